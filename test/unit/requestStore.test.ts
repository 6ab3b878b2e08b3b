import { describe, expect, it } from 'vitest';
import { requestChunkKey, parseRequestChunkKey, decodeRequestChunk, encodeRequestChunk, requestPartKey } from '../../src/core/requests/requestCodec';
import { REQUEST_CHUNK_SIZE, REQUEST_LOG_CAPACITY, liveChunks, logEntries, storedParts } from '../../src/core/requests/requestLog';
import { markRequestLogsNotKept, requestPartsStored } from '../../src/core/requests/requestStore';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { drainChanges, onTabRemoved, type Tracker } from '../../src/core/tab/tracker';
import { timeBaseOfView } from '../../src/core/session/storageKeys';
import { load, newTracker } from './trackerEvents';

type Storage = Map<string, unknown>;

/** One write as the session writer does it: removals, then values; acknowledged unless `lost`. */
function write(t: Tracker, storage: Storage, lost = false): { set: Record<string, string>; remove: string[] } {
  const writes = storageWrites(t, drainChanges(t));
  if (lost) return writes;
  for (const key of writes.remove) storage.delete(key);
  for (const [key, value] of Object.entries(writes.set)) storage.set(key, value);
  requestPartsStored(t, Object.entries(writes.set));
  return writes;
}

/** A write, and the write of the removals its acknowledgement allows (the writer's next one). */
function persist(t: Tracker, storage: Storage): { set: Record<string, string>; remove: string[] } {
  const writes = write(t, storage);
  const after = write(t, storage);
  return { set: { ...writes.set, ...after.set }, remove: [...writes.remove, ...after.remove] };
}

/** The keys the log of tab 1 should have in storage. */
function partKeys(t: Tracker): string[] {
  const { view, log } = logOf(t);
  return liveChunks(log)
    .flatMap((chunk) => storedParts(log, chunk).map(({ slot }) => requestPartKey(1, view.id, chunk, slot)))
    .sort();
}

const requestKeys = (keys: Iterable<string>): string[] => [...keys].filter((key) => key.startsWith('r:')).sort();

function logOf(t: Tracker, tabId = 1) {
  const view = t.tabs.get(tabId)?.current;
  const log = view === undefined ? undefined : t.requestLogs.get(view);
  if (view === undefined || log === undefined) throw new Error('no log');
  return { view, log };
}

/** n complete requests on tab 1 (the first one starts the page view). */
function loads(t: Tracker, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) load(t, `https://h${i % 7}.example/r${i}?size=${i}`, i % 2 === 0 ? '2001:db8::1' : '192.0.2.1', { method: 'GET' }, { statusCode: 200, contentLength: String(i), bodyBytes: i, contentType: 'text/plain' });
}

describe('the request log in storage.session', () => {
  it('writes only the chunks that changed, never the whole ring', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    loads(t, 60);
    const first = persist(t, storage);
    const { view } = logOf(t);
    expect(requestKeys(Object.keys(first.set))).toEqual([0, 1, 2].map((c) => requestChunkKey(1, view.id, c)).sort());
    loads(t, 1, 60);
    const second = persist(t, storage);
    // Chunk 2 had 10 entries: only the new one is written, as the chunk's first append.
    expect(requestKeys(Object.keys(second.set))).toEqual([requestPartKey(1, view.id, 2, 0)]);
    expect(decodeRequestChunk(second.set[requestPartKey(1, view.id, 2, 0)], timeBaseOfView(view.id), 2)?.map((entry) => entry.seq)).toEqual([60]);
    // Nothing changed: nothing written.
    expect(requestKeys(Object.keys(persist(t, storage).set))).toEqual([]);
  });

  it('follows the ring past 2,000 requests: chunks it left behind are removed, storage holds exactly the ring', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    const extra = 3 * REQUEST_CHUNK_SIZE + 5;
    loads(t, REQUEST_LOG_CAPACITY - 10);
    persist(t, storage);
    loads(t, extra + 10, REQUEST_LOG_CAPACITY - 10);
    const writes = persist(t, storage);
    const { view, log } = logOf(t);
    expect(requestKeys(writes.remove).filter((key) => parseRequestChunkKey(key)?.slot === undefined)).toEqual([0, 1, 2].map((c) => requestChunkKey(1, view.id, c)).sort());
    expect(requestKeys(storage.keys())).toEqual(partKeys(t));
    // Restored, it is the same ring: the last 2,000, the same number dropped.
    const restored = newTracker('w');
    const orphans = restoreTracker(restored, Object.fromEntries(storage));
    expect(orphans).toEqual([]);
    const back = logOf(restored);
    expect(logEntries(back.log)).toEqual(logEntries(log));
    expect(back.log.next).toBe(REQUEST_LOG_CAPACITY + extra);
    const bytes = [...storage].filter(([key]) => key.startsWith('r:')).reduce((sum, [key, value]) => sum + key.length + JSON.stringify(value).length, 0);
    console.log(`storage.session per request-log entry: ${(bytes / REQUEST_LOG_CAPACITY).toFixed(1)} bytes (a full ring: ${(bytes / 1024).toFixed(0)} KiB)`);
    expect(bytes / REQUEST_LOG_CAPACITY).toBeLessThan(200);
  });

  it('removes a closed tab’s chunks with its other keys', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    loads(t, 30);
    persist(t, storage);
    expect(requestKeys(storage.keys())).toHaveLength(2);
    onTabRemoved(t, 1);
    persist(t, storage);
    expect(requestKeys(storage.keys())).toEqual([]);
    // Nothing of the tab is left; only the browser-wide native-IPv6 evidence (times, no host) stays.
    expect([...storage.keys()]).toEqual(['nativeIpv6']);
  });

  it('takes each chunk on its own at restore: a bad one, one of no view and one the ring has passed are orphans; the rest comes back', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    loads(t, 40);
    persist(t, storage);
    const { view, log } = logOf(t);
    const entries = Object.fromEntries(storage);
    entries[requestChunkKey(1, view.id, 7)] = 'not json';
    entries[requestChunkKey(1, 'vGone', 0)] = entries[requestChunkKey(1, view.id, 0)];
    entries[requestChunkKey(1, view.id, 1)] = JSON.stringify([['bad entry'], ...(JSON.parse(String(entries[requestChunkKey(1, view.id, 1)])) as unknown[])]);
    const restored = newTracker('w');
    const orphans = restoreTracker(restored, entries);
    expect(orphans.sort()).toEqual([requestChunkKey(1, view.id, 7), requestChunkKey(1, 'vGone', 0)].sort());
    expect(logEntries(logOf(restored).log)).toEqual(logEntries(log));
  });

  it('decodes what it encodes, and refuses what is not a chunk', () => {
    const t = newTracker();
    loads(t, 3);
    const { log } = logOf(t);
    const entries = logEntries(log);
    expect(decodeRequestChunk(encodeRequestChunk(entries, 500), 500, 0)).toEqual(entries);
    for (const bad of [undefined, 3, '{}', '[', 'null']) expect(decodeRequestChunk(bad, 0, 0)).toBeUndefined();
    // An entry filed under the wrong chunk is not taken.
    expect(decodeRequestChunk(encodeRequestChunk(entries, 0), 0, 1)).toEqual([]);
    expect(parseRequestChunkKey('r:3:a.b:12')).toEqual({ tabId: 3, viewId: 'a.b', chunk: 12 });
    for (const key of ['r:3:a', 'r:x:a:1', 'r:3:a:01', 'd:3:a:1', 'r:3:a:-1']) expect(parseRequestChunkKey(key)).toBeUndefined();
  });

  it('marks a tab whose log storage refused, and unmarks it once written', () => {
    const t = newTracker();
    loads(t, 2);
    const { view, log } = logOf(t);
    drainChanges(t);
    markRequestLogsNotKept(t, [requestChunkKey(1, view.id, 0), 'd:1:x:y']);
    expect(log.notKept).toBe(true);
    expect(t.changes.touched.has(1)).toBe(true);
    markRequestLogsNotKept(t, ['d:1:x:y']);
    expect(log.notKept).toBeUndefined();
  });
});

describe('write groups', () => {
  it('a tab’s request log is a group of its own, apart from its domains and from other tabs', async () => {
    const { writeGroupOf } = await import('../../src/background/persistence');
    expect(writeGroupOf('r:3:v1:0')).toBe(writeGroupOf('r:3:v2:5'));
    expect(writeGroupOf('r:3:v1:0')).not.toBe(writeGroupOf('d:3:v1:a.example'));
    expect(writeGroupOf('r:3:v1:0')).not.toBe(writeGroupOf('r:4:v1:0'));
    expect(writeGroupOf('d:3:v1:a.example')).toBe(writeGroupOf('t:3'));
  });
});

describe('the request logs’ share of storage', () => {
  it('stops writing a log that would pass the budget, says so, and counts removed chunks out again', async () => {
    const { addRequestWrites, requestStorageBytes } = await import('../../src/core/requests/requestStore');
    const { requestLogSummary } = await import('../../src/core/requests/requestView');
    const t = newTracker();
    // Two tabs of 100 requests each; a budget that holds the first tab's log and not both.
    for (const tabId of [1, 2]) for (let i = 0; i < 100; i++) load(t, `https://h.example/t${tabId}/${i}`, '192.0.2.1', { tabId });
    const changes = drainChanges(t);
    const first = new Map([...changes.requestLogs].filter(([, ref]) => ref.tabId === 1));
    const second = new Map([...changes.requestLogs].filter(([, ref]) => ref.tabId === 2));
    const set: Record<string, string> = {};
    addRequestWrites(t, first, set, [], 20_000);
    const afterFirst = requestStorageBytes(t);
    expect(afterFirst).toBeGreaterThan(10_000);
    expect(afterFirst).toBeLessThanOrEqual(20_000);
    expect(Object.keys(set)).toHaveLength(4);
    addRequestWrites(t, second, set, [], 20_000);
    expect(requestStorageBytes(t)).toBeLessThanOrEqual(20_000);
    const log2 = logOf(t, 2).log;
    expect(log2.overBudget).toBe(true);
    expect(requestLogSummary(2, logOf(t, 2).view, log2, t.describe).notKept).toBe(true);
    expect(logOf(t, 1).log.overBudget).toBeUndefined();
    // Tab 1 closes: its chunks are removed and no longer count.
    onTabRemoved(t, 1);
    storageWrites(t, drainChanges(t));
    expect([...t.requestStorage.keys()].some((key) => key.startsWith('r:1:'))).toBe(false);
    expect(requestStorageBytes(t)).toBeLessThan(afterFirst);
  });
});
