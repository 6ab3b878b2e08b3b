import type { WebRequest } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { endEvent, responseEvent } from '../../src/background/adapt';
import { responseDetails } from '../support/responseDetails';

// An HTTP/2 status line as Firefox gives it (Chrome says HTTP/1.1 whatever it was).
const details = (over: Partial<WebRequest.OnResponseStartedDetailsType>): WebRequest.OnResponseStartedDetailsType => responseDetails({ statusLine: 'HTTP/2.0 200 ', ...over });

describe('webRequest details → response events, as each browser sends them', () => {
  it.each<[string, Partial<WebRequest.OnResponseStartedDetailsType>, string | undefined]>([
    ['an address', { ip: '2001:db8::1' }, '2001:db8::1'],
    ['none (a service worker answered)', {}, undefined],
    ['Firefox’s null for a cache hit', { ip: null as unknown as string, fromCache: true }, undefined],
    ['an empty address', { ip: '' }, undefined],
  ])('%s', (_name, over, ip) => {
    expect(responseEvent(details(over), true).ip).toBe(ip);
  });

  it.each([
    [true, 'HTTP/2.0 200 '],
    [false, undefined],
  ])('the status line is passed on only where it is trusted (%s)', (trusted, statusLine) => {
    expect(responseEvent(details({ ip: '192.0.2.1' }), trusted).statusLine).toBe(statusLine);
  });
});

describe('Firefox’s proxyInfo → the response event’s proxy', () => {
  it.each<[string, unknown, string | undefined]>([
    ['an HTTP proxy', { type: 'http', host: '127.0.0.1', port: 3128, proxyDNS: false }, 'http'],
    ['direct', { type: 'direct', host: '', port: 0, proxyDNS: false }, undefined],
    ['none', undefined, undefined],
  ])('%s', (_name, proxyInfo, type) => {
    const event = responseEvent({ ...details({ ip: '127.0.0.1' }), proxyInfo }, true);
    expect(event.proxy?.type).toBe(type);
    expect(event.ip).toBe('127.0.0.1');
  });
});

describe('what the per-request log takes from the details', () => {
  it('the method, the status code and the two headers read (the first of each, any case)', () => {
    const headers = [
      { name: 'X-Content-Type', value: 'not read: as long as Content-Length' },
      { name: 'content-type', value: 'text/html; charset=utf-8' },
      { name: 'Content-Length', value: '42' },
      { name: 'X-Other', value: 'not read' },
      { name: 'CONTENT-TYPE', value: 'text/plain' },
    ];
    const event = responseEvent(details({ method: 'POST', statusCode: 404, responseHeaders: headers }), false);
    expect(event).toMatchObject({ method: 'POST', statusCode: 404, contentType: 'text/html; charset=utf-8', contentLength: '42', bodyBytes: 42 });
    const bare = responseEvent(details({}), false);
    expect(bare.contentType).toBeUndefined();
    expect(bare.contentLength).toBeUndefined();
  });

  it('the error of a failed request', () => {
    const failed = endEvent({ ...details({}), error: 'net::ERR_CONNECTION_REFUSED' });
    expect(failed).toMatchObject({ requestId: '1', method: 'GET', error: 'net::ERR_CONNECTION_REFUSED' });
    expect(endEvent(details({})).error).toBeUndefined();
  });
});
