/**
 * A page that streams for hours keeps what it kept after ten minutes: after any number of
 * requests that ended, what the tracker holds per request (the Requests view's ring and its
 * storage bookkeeping, the domains' in-flight ids, the change log) is bounded — whether its
 * writes happen or never come. Requests still in flight are kept (the positive control).
 */
import { describe, expect, it } from 'vitest';
import { REQUEST_CHUNK_SIZE, REQUEST_LOG_CAPACITY, MAX_CHUNK_APPENDS, logEntries, type RequestLog } from '../../src/core/requests/requestLog';
import { requestPartsStored } from '../../src/core/requests/requestStore';
import { storageWrites } from '../../src/core/session/persisted';
import { MAX_INFLIGHT_IDS, type PageView } from '../../src/core/tab/model';
import { drainShownChanges, drainStoredChanges, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type Tracker } from '../../src/core/tab/tracker';
import { navigate, newTracker, request, response } from './trackerEvents';

const HOSTS = ['seg.v6.example', 'seg.v4.example'];
/** Chunks the ring spans at most (it need not start at a chunk's first entry). */
const RING_CHUNKS = REQUEST_LOG_CAPACITY / REQUEST_CHUNK_SIZE + 1;

type Writes = 'every 10 requests' | 'never';

/** A tab streaming `total` segments from two hosts, `open` of the last ones left in flight. */
function stream(total: number, open: number, writes: Writes): { tracker: Tracker; view: PageView; log: RequestLog; pending: RequestEvent[] } {
  const tracker = newTracker();
  navigate(tracker, 1, 'https://stream.example/', '192.0.2.1', 'doc');
  const pending: RequestEvent[] = [];
  for (let i = 0; i < total; i++) {
    const req = request(`https://${HOSTS[i % 2]}/seg/${i}.ts`, { type: 'xmlhttprequest' });
    onRequestStarted(tracker, req);
    onResponseStarted(tracker, response(req, i % 2 === 0 ? '2001:db8::1' : '192.0.2.2', { statusCode: 200, contentLength: '20', bodyBytes: 20 }));
    if (i < total - open) onRequestEnded(tracker, req, false);
    else pending.push(req);
    if (i % 10 === 9 || i === total - 1) {
      if (writes === 'never') {
        // What the bench's build without writes does each turn: the changes are let go.
        drainStoredChanges(tracker);
      } else {
        const { set } = storageWrites(tracker, drainStoredChanges(tracker));
        requestPartsStored(tracker, Object.entries(set));
      }
      drainShownChanges(tracker);
    }
  }
  const view = tracker.tabs.get(1)?.current;
  const log = view === undefined ? undefined : tracker.requestLogs.get(view);
  if (view === undefined || log === undefined) throw new Error('no view or log');
  return { tracker, view, log, pending };
}

const CASES: Array<[number, Writes]> = [
  [100, 'every 10 requests'],
  [REQUEST_LOG_CAPACITY + 10, 'every 10 requests'],
  [10_000, 'every 10 requests'],
  [100, 'never'],
  [REQUEST_LOG_CAPACITY + 10, 'never'],
  [10_000, 'never'],
];

describe('after N requests that all ended', () => {
  it.each(CASES)('%i requests, writes %s: every structure is bounded by the ring, none by N', (total, writes) => {
    const { tracker, view, log } = stream(total, 0, writes);
    // The page's own request is logged too.
    expect(logEntries(log)).toHaveLength(Math.min(total + 1, REQUEST_LOG_CAPACITY));
    expect(log.open.size).toBe(0);
    for (const host of HOSTS) expect(view.domains.get(host)?.inflight).toEqual([]);
    // Bookkeeping of changes not written yet: at most the ring's entries and chunks.
    expect(log.changedSeqs.size).toBeLessThanOrEqual(REQUEST_LOG_CAPACITY + REQUEST_CHUNK_SIZE);
    expect(log.dirty.size).toBeLessThanOrEqual(RING_CHUNKS);
    // Chunks to remove from storage: only ones that were stored, and none left once written.
    expect(log.evicted.length).toBe(0);
    expect(log.stores.size).toBeLessThanOrEqual(RING_CHUNKS);
    expect(tracker.requestStorage.size).toBeLessThanOrEqual(RING_CHUNKS * (1 + MAX_CHUNK_APPENDS));
    const changes = tracker.changes;
    expect(changes.removed.length + changes.domains.size + changes.requestLogs.size + changes.finished.length).toBe(0);
  });

  it('a log never written keeps the changes of the entries still in its ring, and no more', () => {
    // With the page's own request, 10,000 entries: a whole number of chunks, so the ring starts at
    // a chunk's first entry.
    const { log } = stream(9_999, 0, 'never');
    expect([...log.changedSeqs].sort((a, b) => a - b)).toEqual(Array.from({ length: REQUEST_LOG_CAPACITY }, (_, i) => 10_000 - REQUEST_LOG_CAPACITY + i));
  });

  it.each(CASES)('%i requests, writes %s, the last 6 still in flight: those are kept, and end as usual', (total, writes) => {
    const { tracker, view, log, pending } = stream(total, 6, writes);
    expect(log.open.size).toBe(6);
    const inflight = HOSTS.flatMap((host) => view.domains.get(host)?.inflight ?? []);
    expect(inflight.sort()).toEqual(pending.map((req) => req.requestId).sort());
    for (const req of pending) onRequestEnded(tracker, req, false);
    expect(log.open.size).toBe(0);
    for (const host of HOSTS) expect(view.domains.get(host)?.inflight).toEqual([]);
    expect(logEntries(log).filter((entry) => entry.end === undefined)).toEqual([]);
  });
});

describe('in-flight ids of requests whose end never comes', () => {
  it.each([
    [1, 1],
    [MAX_INFLIGHT_IDS, MAX_INFLIGHT_IDS],
    [MAX_INFLIGHT_IDS + 1, MAX_INFLIGHT_IDS],
    [5000, MAX_INFLIGHT_IDS],
  ])('%i started, none ended: %i kept, the newest', (started, kept) => {
    const tracker = newTracker();
    navigate(tracker, 1, 'https://stream.example/', '192.0.2.1', 'doc');
    const reqs = Array.from({ length: started }, (_, i) => request(`https://cdn.example/${i}`));
    for (const req of reqs) onRequestStarted(tracker, req);
    const record = tracker.tabs.get(1)?.current.domains.get('cdn.example');
    expect(record?.inflight).toEqual(reqs.slice(started - kept).map((req) => req.requestId));
    // The newest still end as before: the domain is no longer "connected" once they have.
    for (const req of reqs.slice(started - kept)) onRequestEnded(tracker, req, false);
    expect(record?.inflight).toEqual([]);
  });
});
