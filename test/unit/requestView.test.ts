import { describe, expect, it } from 'vitest';
import { createDescriber } from '../../src/core/address/addressClass';
import { RequestFlag, logRequestStart, logResponse, newRequestLog } from '../../src/core/requests/requestLog';
import {
  NO_REQUEST_FILTER,
  filterRequests,
  requestChoices,
  requestLogSummary,
  requestRows,
  shortUrl,
  sortRequests,
  statusKeyOf,
  type RequestRow,
} from '../../src/core/requests/requestView';

const describe_ = createDescriber();

function row(seq: number, over: Partial<RequestRow>): RequestRow {
  return { seq, requestId: `r${seq}`, start: 1000 + seq, method: 'GET', url: `https://a.example/${seq}`, type: 'script', flags: 0, ...over };
}

const ROWS: RequestRow[] = [
  row(0, { url: 'https://a.example/', type: 'main_frame', status: 200, address: '::1', family: 6, addressClass: 'loopback', end: 1050, size: 300 }),
  row(1, { url: 'https://img.b.example/x.png', type: 'image', status: 404, address: '127.0.0.1', family: 4, addressClass: 'loopback', end: 1003, size: 0 }),
  row(2, { url: 'https://b.example/api?q=1', type: 'xmlhttprequest', method: 'POST', error: 'net::ERR_FAILED', end: 1100 }),
  row(3, { url: 'https://a.example/late.js', type: 'script', flags: RequestFlag.cache }),
];

const seqs = (rows: readonly RequestRow[]): number[] => rows.map((r) => r.seq);

describe('the Requests view as data', () => {
  it('gives each row the family and class of its address as the describer says now', () => {
    const log = newRequestLog();
    logRequestStart(log, { requestId: 'a', url: 'https://x.example/', type: 'image', time: 1, tabId: 1 });
    logResponse(log, { requestId: 'a', time: 2, ip: '::ffff:127.0.0.2', fromCache: false });
    logRequestStart(log, { requestId: 'b', url: 'https://y.example/', type: 'image', time: 3, tabId: 1 });
    logResponse(log, { requestId: 'b', time: 4, ip: 'not-an-address', fromCache: false });
    const [mapped, odd] = requestRows(log, describe_);
    expect(mapped).toMatchObject({ address: '127.0.0.2', family: 4, addressClass: 'ipv4-mapped', method: 'GET' });
    expect(odd).toMatchObject({ address: 'not-an-address' });
    expect(odd?.family).toBeUndefined();
  });

  it('filters by family, domain, type and text, each alone and together', () => {
    expect(seqs(filterRequests(ROWS, NO_REQUEST_FILTER))).toEqual([0, 1, 2, 3]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, families: new Set(['6']) }))).toEqual([0]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, families: new Set(['?']) }))).toEqual([2, 3]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, domain: 'a.example' }))).toEqual([0, 3]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, type: 'image' }))).toEqual([1]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, text: '  API ' }))).toEqual([2]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, text: '404' }))).toEqual([1]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, text: 'err_failed' }))).toEqual([2]);
    expect(seqs(filterRequests(ROWS, { ...NO_REQUEST_FILTER, domain: 'a.example', type: 'script' }))).toEqual([3]);
  });

  it.each([
    ['start', 'ascending', [0, 1, 2, 3]],
    ['start', 'descending', [3, 2, 1, 0]],
    ['status', 'ascending', [2, 0, 1, 3]],
    ['status', 'descending', [1, 0, 2, 3]],
    ['family', 'ascending', [0, 1, 2, 3]],
    ['family', 'descending', [1, 0, 2, 3]],
    ['size', 'descending', [0, 1, 2, 3]],
    ['duration', 'ascending', [1, 0, 2, 3]],
    ['method', 'descending', [2, 0, 1, 3]],
    ['url', 'ascending', [0, 3, 2, 1]],
    ['flags', 'ascending', [3, 0, 1, 2]],
  ] as const)('sorts by %s %s, rows without a value last', (column, direction, expected) => {
    expect(seqs(sortRequests(ROWS, { column, direction }))).toEqual(expected);
  });

  it('offers the domains and types present', () => {
    expect(requestChoices(ROWS)).toEqual({ domains: ['a.example', 'b.example', 'img.b.example'], types: ['image', 'main_frame', 'script', 'xmlhttprequest'] });
  });

  it.each([
    [ROWS[0], '200'],
    [ROWS[2], 'error'],
    [ROWS[3], ''],
  ])('data-status of a row', (r, expected) => {
    expect(r === undefined ? undefined : statusKeyOf(r)).toBe(expected);
  });

  it('shortens a long URL in the middle and leaves a short one whole (without its scheme)', () => {
    expect(shortUrl('https://a.example/x')).toBe('a.example/x');
    const long = `https://cdn.example/${'p'.repeat(100)}?q=end`;
    const short = shortUrl(long, 40);
    expect(short).toHaveLength(40);
    expect(short.startsWith('cdn.example/')).toBe(true);
    expect(short.endsWith('?q=end')).toBe(true);
    expect(short).toContain('…');
  });

  it('summarises the log of a view, and says when there is no tab', () => {
    const log = newRequestLog(3);
    for (let i = 0; i < 5; i++) logRequestStart(log, { requestId: `r${i}`, url: `https://a.example/${i}`, type: 'image', time: i, tabId: 1 });
    const summary = requestLogSummary(1, { id: 'v1', url: 'https://a.example/', startedAt: 0 }, log, describe_);
    expect(summary).toMatchObject({ state: 'ok', total: 5, dropped: 2, capacity: 3, notKept: false, page: { id: 'v1', url: 'https://a.example/' } });
    expect(summary.rows.map((r) => r.requestId)).toEqual(['r2', 'r3', 'r4']);
    expect(requestLogSummary(1, undefined, undefined, describe_)).toMatchObject({ state: 'no-tab', rows: [] });
    expect(requestLogSummary(1, { id: 'v2', startedAt: 0 }, undefined, describe_)).toMatchObject({ state: 'ok', rows: [], total: 0, dropped: 0, capacity: 2000 });
  });
});
