import { describe, expect, it } from 'vitest';
import {
  REQUEST_CHUNK_SIZE,
  REQUEST_LOG_CAPACITY,
  RequestFlag,
  chunkEntries,
  chunkOf,
  droppedCount,
  httpVersionOf,
  liveChunks,
  logEntries,
  logRequestEnd,
  logRequestStart,
  logResponse,
  newRequestLog,
  restoreRequestLog,
  type RequestLog,
} from '../../src/core/requests/requestLog';
import { onRedirect, onRequestEnded, onRequestStarted, onResponseStarted, type EndEvent } from '../../src/core/tab/tracker';
import { newTracker, request, response, tick } from './trackerEvents';

const start = (log: RequestLog, id: string, url = `https://a.example/${id}`, tabId = 1) =>
  logRequestStart(log, { requestId: id, url, type: 'script', method: 'GET', time: 1000 + log.next, tabId });

describe('the request ring', () => {
  it('keeps every request until it is full, in order, with nothing dropped', () => {
    const log = newRequestLog();
    for (let i = 0; i < 10; i++) start(log, `r${i}`);
    expect(logEntries(log).map((e) => e.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(droppedCount(log)).toBe(0);
  });

  it.each([1, 24, 25, 26, 500])('holds the last 2,000 of 2,000 + %i requests and says how many were dropped', (extra) => {
    const log = newRequestLog();
    const total = REQUEST_LOG_CAPACITY + extra;
    for (let i = 0; i < total; i++) {
      start(log, `r${i}`);
      // Each chunk stored as it starts (what requestStore.ts notes of a write).
      if (i % REQUEST_CHUNK_SIZE === 0) log.stores.set(chunkOf(i), { from: 0, acked: 0, since: 0, next: 0 });
    }
    const entries = logEntries(log);
    expect(entries).toHaveLength(REQUEST_LOG_CAPACITY);
    expect(entries[0]?.requestId).toBe(`r${extra}`);
    expect(entries[entries.length - 1]?.requestId).toBe(`r${total - 1}`);
    expect(droppedCount(log)).toBe(extra);
    expect(log.slots).toHaveLength(REQUEST_LOG_CAPACITY);
    // The chunks the ring has moved past wholly are to be removed from storage, each once.
    const gone = Math.floor(extra / REQUEST_CHUNK_SIZE);
    expect(log.evicted).toEqual(Array.from({ length: gone }, (_, i) => i));
    expect(liveChunks(log)[0]).toBe(Math.floor(extra / REQUEST_CHUNK_SIZE));
    // In-flight requests that fell out of the ring are forgotten: memory stays bounded.
    expect(log.open.size).toBe(REQUEST_LOG_CAPACITY);
    expect(log.open.has('r0')).toBe(false);
  });

  it('fills an entry from its response and end; a failure keeps the browser’s error', () => {
    const log = newRequestLog();
    start(log, 'ok');
    start(log, 'bad');
    logResponse(log, {
      requestId: 'ok',
      time: 1010,
      ip: '2001:db8::1',
      fromCache: false,
      statusCode: 200,
      statusLine: 'HTTP/2.0 200 OK',
      bodyBytes: 42,
      contentLength: '42',
      contentType: 'text/plain',
      proxy: { type: 'http', host: '127.0.0.1', port: 3128, proxyDns: false },
    });
    logRequestEnd(log, 'ok', 1020);
    logRequestEnd(log, 'bad', 1030, 'net::ERR_CONNECTION_REFUSED');
    const [ok, bad] = logEntries(log);
    expect(ok).toMatchObject({ status: 200, statusText: 'OK', httpVersion: 'HTTP/2', ip: '2001:db8::1', size: 42, contentType: 'text/plain', responseAt: 1010, end: 1020, proxy: '127.0.0.1:3128' });
    expect(ok?.flags).toBe(RequestFlag.proxy);
    expect(bad).toMatchObject({ end: 1030, error: 'net::ERR_CONNECTION_REFUSED' });
    expect(bad?.status).toBeUndefined();
    expect(log.open.size).toBe(0);
    // A late event for an ended request changes nothing.
    const version = log.version;
    logRequestEnd(log, 'ok', 2000);
    expect(log.version).toBe(version);
    expect(ok?.end).toBe(1020);
  });

  it.each([
    ['HTTP/1.1 200 OK', 'HTTP/1.1'],
    ['HTTP/2.0 200 OK', 'HTTP/2'],
    ['HTTP/3.0 204 No Content', 'HTTP/3'],
    ['HTTP/1.0 404 Not Found', 'HTTP/1.0'],
    ['garbage', undefined],
  ])('reads the version of %j as %j', (line, version) => {
    expect(httpVersionOf(line)).toBe(version);
  });

  it('restores entries at their places; the unfinished ones can still be answered', () => {
    const log = newRequestLog();
    for (let i = 0; i < 30; i++) start(log, `r${i}`);
    for (let i = 0; i < 29; i++) logRequestEnd(log, `r${i}`, 2000 + i);
    const back = restoreRequestLog(logEntries(log));
    expect(logEntries(back)).toEqual(logEntries(log));
    expect(back.next).toBe(30);
    expect([...back.open.keys()]).toEqual(['r29']);
    logRequestEnd(back, 'r29', 3000);
    expect(chunkEntries(back, 1).at(-1)?.end).toBe(3000);
  });
});

describe('the tracker feeds the log', () => {
  it('logs each hop of a redirect, the response’s facts and a failure, under the page view', () => {
    const t = newTracker();
    const nav = request('https://a.example/', { type: 'main_frame', method: 'GET' });
    onRequestStarted(t, nav);
    onResponseStarted(t, response(nav, '192.0.2.1', { statusCode: 200, contentType: 'text/html', bodyBytes: 10, contentLength: '10' }));
    onRequestEnded(t, nav, false);
    const moved = request('http://b.example/old', { method: 'POST' });
    onRequestStarted(t, moved);
    onRedirect(t, { ...response(moved, '2001:db8::2', { statusCode: 301 }), redirectUrl: 'https://b.example/new' });
    const hop = { ...moved, url: 'https://b.example/new', time: tick() };
    onRequestStarted(t, hop);
    onResponseStarted(t, response(hop, '2001:db8::2', { statusCode: 404 }));
    onRequestEnded(t, hop, false);
    const failed = request('https://c.example/x');
    onRequestStarted(t, failed);
    const end: EndEvent = { ...failed, time: tick(), error: 'NS_ERROR_UNKNOWN_HOST' };
    onRequestEnded(t, end, true);

    const view = t.tabs.get(1)?.current;
    const log = view === undefined ? undefined : t.requestLogs.get(view);
    expect(log).toBeDefined();
    const entries = log === undefined ? [] : logEntries(log);
    expect(entries.map((e) => [e.method, e.url, e.status, e.redirectUrl, e.error])).toEqual([
      ['GET', 'https://a.example/', 200, undefined, undefined],
      ['POST', 'http://b.example/old', 301, 'https://b.example/new', undefined],
      ['POST', 'https://b.example/new', 404, undefined, undefined],
      ['GET', 'https://c.example/x', undefined, undefined, 'NS_ERROR_UNKNOWN_HOST'],
    ]);
    expect(entries[1]?.flags).toBe(RequestFlag.redirect);
    expect(entries[0]).toMatchObject({ ip: '192.0.2.1', contentType: 'text/html', size: 10 });
    expect(entries.every((e) => e.end !== undefined)).toBe(true);
    // The change log names the log for the next write.
    expect(log !== undefined && t.changes.requestLogs.has(log)).toBe(true);
  });

  it('marks service-worker requests, and logs them on the tab whose page started them', () => {
    const t = newTracker();
    const nav = request('https://app.example/', { type: 'main_frame' });
    onRequestStarted(t, nav);
    onResponseStarted(t, response(nav, '192.0.2.1'));
    onRequestEnded(t, nav, false);
    const sw = request('https://api.example/data', { tabId: -1, initiator: 'https://app.example' });
    onRequestStarted(t, sw);
    onResponseStarted(t, response(sw, '192.0.2.9', { fromCache: true }));
    const view = t.tabs.get(1)?.current;
    const log = view === undefined ? undefined : t.requestLogs.get(view);
    const entry = log === undefined ? undefined : logEntries(log)[1];
    expect(entry?.url).toBe('https://api.example/data');
    expect(entry?.flags).toBe(RequestFlag.serviceWorker | RequestFlag.cache);
  });
});
