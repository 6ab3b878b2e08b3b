import { describe, expect, it } from 'vitest';
import { bareAddress, buildHar, queryStringOf } from '../../src/core/requests/har';
import { RequestFlag, type RequestEntry } from '../../src/core/requests/requestLog';
import { harValidator } from '../support/harSchema';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const PAGE = { id: 'v1', url: 'https://site.example/', startedAt: T0 };
const CREATOR = { name: 'IPvLens', version: '0.1.0' };

function entry(over: Partial<RequestEntry>): RequestEntry {
  return { seq: 0, requestId: 'r1', start: T0 + 5, method: 'GET', url: 'https://site.example/a.js?x=1&y=%20z', type: 'script', flags: 0, ...over };
}

/** Firefox: HTTP/2 reported; a response with both headers read. */
const firefox = entry({ status: 200, statusText: 'OK', httpVersion: 'HTTP/2', ip: '2001:db8::1', size: 120, contentLength: '120', contentType: 'text/javascript', responseAt: T0 + 25, end: T0 + 40 });
/** Chrome: no version (its status line is never trusted), an IPv4 server, no Content-Length. */
const chrome = entry({ seq: 1, requestId: 'r2', start: T0 + 6, status: 404, ip: '192.0.2.7', responseAt: T0 + 16, end: T0 + 17 });
/** A request that failed: no response at all. */
const failed = entry({ seq: 2, requestId: 'r3', start: T0 + 7, url: 'https://gone.example/', end: T0 + 57, error: 'net::ERR_NAME_NOT_RESOLVED' });
/** A Firefox cache hit: no address reported. */
const cached = entry({ seq: 3, requestId: 'r4', start: T0 + 8, status: 200, flags: RequestFlag.cache, size: 5, contentLength: '5', responseAt: T0 + 9, end: T0 + 9 });
/** A redirect through a proxy. */
const redirect = entry({ seq: 4, requestId: 'r5', start: T0 + 9, status: 301, ip: '127.0.0.1', proxy: '127.0.0.1:3128', flags: RequestFlag.redirect | RequestFlag.proxy, redirectUrl: 'https://site.example/b', responseAt: T0 + 12, end: T0 + 12 });
/** Still in flight at export. */
const pending = entry({ seq: 5, requestId: 'r6', start: T0 + 10 });

const har = buildHar(PAGE, [firefox, chrome, failed, cached, redirect, pending], CREATOR);
const entries = har.log.entries;

describe('HAR 1.2 of the request log', () => {
  it('validates against the HAR 1.2 JSON Schema (har-schema)', () => {
    const { valid, errors } = harValidator()(JSON.parse(JSON.stringify(har)));
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema refuses a HAR missing a required field (positive control of the check above)', () => {
    const broken = JSON.parse(JSON.stringify(har)) as { log: { entries: Array<Record<string, unknown>> } };
    delete broken.log.entries[0]?.timings;
    expect(harValidator()(broken).valid).toBe(false);
    const bracketed = JSON.parse(JSON.stringify(har)) as { log: { entries: Array<Record<string, unknown>> } };
    if (bracketed.log.entries[0] !== undefined) bracketed.log.entries[0].serverIPAddress = '[2001:db8::1]';
    expect(harValidator()(bracketed).valid).toBe(false);
  });

  it('has the log’s version, creator and the page view', () => {
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual(CREATOR);
    expect(har.log.pages).toEqual([{ id: 'page_v1', startedDateTime: new Date(T0).toISOString(), title: 'https://site.example/', pageTimings: { onContentLoad: -1, onLoad: -1 } }]);
    expect(entries.every((e) => e.pageref === 'page_v1')).toBe(true);
  });

  it('writes every required field of each entry, with -1 only where the spec allows it', () => {
    for (const e of entries) {
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']));
      expect(Object.keys(e.request).sort()).toEqual(['bodySize', 'cookies', 'headers', 'headersSize', 'httpVersion', 'method', 'queryString', 'url']);
      expect(Object.keys(e.response).sort()).toEqual(['bodySize', 'content', 'cookies', 'headers', 'headersSize', 'httpVersion', 'redirectURL', 'status', 'statusText']);
      // send, wait and receive are required and never negative; the time is their sum.
      for (const name of ['send', 'wait', 'receive'] as const) expect(e.timings[name]).toBeGreaterThanOrEqual(0);
      expect(e.time).toBe(e.timings.send + e.timings.wait + e.timings.receive);
      expect([e.timings.blocked, e.timings.dns, e.timings.connect, e.timings.ssl]).toEqual([-1, -1, -1, -1]);
      expect([e.request.headersSize, e.request.bodySize, e.response.headersSize]).toEqual([-1, -1, -1]);
      expect(e.cache).toEqual({});
      expect(e).not.toHaveProperty('connection');
    }
  });

  it('times and sizes from what the browser reported', () => {
    const [ff] = entries;
    expect(ff?.startedDateTime).toBe(new Date(T0 + 5).toISOString());
    expect(ff?.timings).toMatchObject({ send: 0, wait: 20, receive: 15 });
    expect(ff?.time).toBe(35);
    expect(ff?.request.queryString).toEqual([
      { name: 'x', value: '1' },
      { name: 'y', value: ' z' },
    ]);
    expect(ff?.response.headers).toEqual([
      { name: 'Content-Length', value: '120' },
      { name: 'Content-Type', value: 'text/javascript' },
    ]);
    expect(ff?.response.content).toEqual({ size: 120, mimeType: 'text/javascript' });
    expect(ff?.response.bodySize).toBe(120);
    // No Content-Length: sizes unknown (-1), no MIME type known.
    expect(entries[1]?.response.content).toEqual({ size: -1, mimeType: '' });
    expect(entries[1]?.response.bodySize).toBe(-1);
    // A cache hit moved no body over the network.
    expect(entries[3]?.response.bodySize).toBe(0);
    expect(entries[3]?._fromCache).toBe(true);
  });

  it('writes Firefox’s HTTP version and never one for Chrome', () => {
    expect(entries[0]?.request.httpVersion).toBe('HTTP/2');
    expect(entries[0]?.response.httpVersion).toBe('HTTP/2');
    expect(entries[1]?.request.httpVersion).toBe('');
    expect(entries[1]?.response.httpVersion).toBe('');
  });

  it('gives serverIPAddress bare (IPv6 without brackets), and none when the browser gave none', () => {
    expect(entries[0]?.serverIPAddress).toBe('2001:db8::1');
    expect(entries[1]?.serverIPAddress).toBe('192.0.2.7');
    expect(entries[3]).not.toHaveProperty('serverIPAddress');
    expect(entries[2]).not.toHaveProperty('serverIPAddress');
    expect(bareAddress('[::1]')).toBe('::1');
    expect(bareAddress('::1')).toBe('::1');
  });

  it('writes a failed request with status 0 and its error, a redirect with its target and proxy, a pending one with what is known', () => {
    expect(entries[2]?.response).toMatchObject({ status: 0, statusText: '', httpVersion: '', content: { size: -1, mimeType: '' }, redirectURL: '' });
    expect(entries[2]?._error).toBe('net::ERR_NAME_NOT_RESOLVED');
    expect(entries[2]?.timings).toMatchObject({ wait: 50, receive: 0 });
    expect(entries[4]?.response.redirectURL).toBe('https://site.example/b');
    expect(entries[4]?._proxy).toBe('127.0.0.1:3128');
    expect(entries[5]?.time).toBe(0);
    expect(entries[5]?.response.status).toBe(0);
  });

  it('orders entries by start time', () => {
    const reversed = buildHar(PAGE, [pending, redirect, cached, failed, chrome, firefox], CREATOR);
    expect(reversed.log.entries.map((e) => e.startedDateTime)).toEqual(entries.map((e) => e.startedDateTime));
  });

  it.each([
    ['https://a.example/', []],
    ['https://a.example/?a=1&a=2&b', [{ name: 'a', value: '1' }, { name: 'a', value: '2' }, { name: 'b', value: '' }]],
    ['not a url', []],
  ])('parses the query string of %s', (url, expected) => {
    expect(queryStringOf(url)).toEqual(expected);
  });
});
