/**
 * The request log's appends (requestStore.ts): what each write holds, the bytes it hands to
 * storage, and that a restore at any instant gets back the log as of the last stored write.
 */
import { describe, expect, it } from 'vitest';
import { createPersistence } from '../../src/background/persistence';
import type { SessionStore } from '../../src/background/sessionWriter';
import { chunkSince, decodeRequestChunk, encodeRequestChunk, parseRequestChunkKey, requestPartKey } from '../../src/core/requests/requestCodec';
import { MAX_CHUNK_APPENDS, REQUEST_CHUNK_SIZE, chunkEntries, logEntries, type RequestEntry, type RequestLog } from '../../src/core/requests/requestLog';
import { COVERED_REMOVAL_BATCH, requestPartsStored } from '../../src/core/requests/requestStore';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { timeBaseOfView } from '../../src/core/session/storageKeys';
import { newPageView } from '../../src/core/tab/model';
import { drainChanges, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type Tracker } from '../../src/core/tab/tracker';
import { MemorySessionStore, nextTurn } from './memorySessionStore';
import { newTracker, request, response } from './trackerEvents';

function logOf(t: Tracker): { viewId: string; log: RequestLog } {
  const view = t.tabs.get(1)?.current;
  const log = view === undefined ? undefined : t.requestLogs.get(view);
  if (view === undefined || log === undefined) throw new Error('no log');
  return { viewId: view.id, log };
}

/** Requests of tab 1, started, answered and ended by index. */
function requests(t: Tracker) {
  const started: RequestEvent[] = [];
  return {
    start(n: number): void {
      for (let i = 0; i < n; i++) {
        const req = request(`https://h${started.length % 5}.example/seg/${started.length}.ts`, { type: 'xmlhttprequest' });
        started.push(req);
        onRequestStarted(t, req);
      }
    },
    end(index: number): void {
      const req = started[index];
      if (req === undefined) throw new Error(`no request ${index}`);
      onResponseStarted(t, response(req, index % 2 === 0 ? '2001:db8::1' : '192.0.2.1', { statusCode: 200, contentLength: '20', bodyBytes: 20 }));
      onRequestEnded(t, req, false);
    },
  };
}

/** One write's request-log values, acknowledged: key → seqs it holds (and the appends a chunk's key covers). */
function writeOnce(t: Tracker): Map<string, { seqs: number[]; since: number }> {
  const { set } = storageWrites(t, drainChanges(t));
  requestPartsStored(t, Object.entries(set));
  const { viewId } = logOf(t);
  const written = new Map<string, { seqs: number[]; since: number }>();
  for (const [key, value] of Object.entries(set)) {
    const parsed = parseRequestChunkKey(key);
    if (parsed === undefined) continue;
    written.set(key, { seqs: (decodeRequestChunk(value, timeBaseOfView(viewId), parsed.chunk) ?? []).map((entry) => entry.seq), since: chunkSince(value) });
  }
  return written;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('the request log’s writes: a chunk’s key, then appends of what changed', () => {
  type Step = [name: string, act: (r: ReturnType<typeof requests>) => void, expected: (viewId: string) => Record<string, { seqs: number[]; since: number }>];
  const steps: Step[] = [
    ['a chunk’s first write is its key', (r) => r.start(3), (v) => ({ [requestPartKey(1, v, 0)]: { seqs: [0, 1, 2], since: 0 } })],
    ['a change to one entry appends that entry only', (r) => r.end(1), (v) => ({ [requestPartKey(1, v, 0, 0)]: { seqs: [1], since: 0 } })],
    ['new entries are appended too', (r) => r.start(2), (v) => ({ [requestPartKey(1, v, 0, 1)]: { seqs: [3, 4], since: 0 } })],
    ...range(2, MAX_CHUNK_APPENDS).map((slot): Step => [`append ${slot}`, (r) => r.start(1), (v) => ({ [requestPartKey(1, v, 0, slot)]: { seqs: [3 + slot], since: 0 } })]),
    [
      `after ${MAX_CHUNK_APPENDS} appends the chunk’s key is written whole, covering them`,
      (r) => r.end(0),
      (v) => ({ [requestPartKey(1, v, 0)]: { seqs: range(0, MAX_CHUNK_APPENDS + 3), since: MAX_CHUNK_APPENDS } }),
    ],
    ['appends go on after it', (r) => r.end(2), (v) => ({ [requestPartKey(1, v, 0, MAX_CHUNK_APPENDS)]: { seqs: [2], since: 0 } })],
    [
      'a change across two chunks: the new chunk’s key, and an append to the old one',
      (r) => r.start(REQUEST_CHUNK_SIZE - (MAX_CHUNK_APPENDS + 3) + 2),
      (v) => ({
        [requestPartKey(1, v, 0, MAX_CHUNK_APPENDS + 1)]: { seqs: range(MAX_CHUNK_APPENDS + 3, REQUEST_CHUNK_SIZE), since: 0 },
        [requestPartKey(1, v, 1)]: { seqs: [REQUEST_CHUNK_SIZE, REQUEST_CHUNK_SIZE + 1], since: 0 },
      }),
    ],
    [
      'a full chunk whose requests all ended is written whole',
      (r) => range(0, REQUEST_CHUNK_SIZE).filter((i) => ![0, 1, 2].includes(i)).forEach((i) => r.end(i)),
      (v) => ({ [requestPartKey(1, v, 0)]: { seqs: range(0, REQUEST_CHUNK_SIZE), since: MAX_CHUNK_APPENDS + 2 } }),
    ],
  ];

  it('holds, write after write, what the table says', () => {
    const t = newTracker();
    const r = requests(t);
    for (const [name, act, expected] of steps) {
      act(r);
      const { viewId } = logOf(t);
      expect(Object.fromEntries(writeOnce(t)), name).toEqual(expected(viewId));
    }
    // Positive control of the restore: what was written is the log.
    expect(writeOnce(t).size).toBe(0);
  });
});

describe('bytes handed to storage', () => {
  it('follow what changed: a stream with 6 requests in flight hands far fewer than rewriting each changed chunk whole', () => {
    const t = newTracker();
    const r = requests(t);
    let appended = 0;
    let wholeChunks = 0;
    const total = 600;
    for (let i = 0; i < total + 6; i++) {
      if (i < total) r.start(1);
      if (i >= 6) r.end(i - 6);
      const { viewId, log } = logOf(t);
      // What the first format wrote: every chunk with a change, whole.
      for (const chunk of log.dirty) wholeChunks += requestPartKey(1, viewId, chunk).length + JSON.stringify(encodeRequestChunk(chunkEntries(log, chunk), timeBaseOfView(viewId))).length;
      const { set } = storageWrites(t, drainChanges(t));
      requestPartsStored(t, Object.entries(set));
      for (const [key, value] of Object.entries(set)) if (key.startsWith('r:')) appended += key.length + JSON.stringify(value).length;
    }
    console.log(`request-log bytes per write of a 600-request stream: ${appended} with appends, ${wholeChunks} rewriting chunks whole`);
    expect(appended).toBeGreaterThan(0);
    expect(appended).toBeLessThan(wholeChunks / 3);
  });
});

describe('restore: the chunk’s key, then the appends it does not cover, in order', () => {
  it('applies uncovered appends over the key (the newest version of an entry wins), and takes covered ones for orphans', () => {
    const t = newTracker();
    const r = requests(t);
    r.start(4);
    writeOnce(t);
    r.end(0);
    writeOnce(t);
    r.end(1);
    writeOnce(t);
    const { viewId, log } = logOf(t);
    const expected = structuredClone(logEntries(log));
    const base = timeBaseOfView(viewId);
    const [e0, e1, e2, e3] = expected as [RequestEntry, RequestEntry, RequestEntry, RequestEntry];
    const unended = ({ end: _end, ...entry }: RequestEntry): RequestEntry => entry;
    const stored: Record<string, string> = {
      [requestPartKey(1, viewId, 0)]: encodeRequestChunk([unended(e0), e1, unended(e2), unended(e3)], base, 3),
      // Covered by the key (since 3), and older than it: must not be applied.
      [requestPartKey(1, viewId, 0, 2)]: encodeRequestChunk([{ ...e1, url: 'https://stale.example/' }], base),
      [requestPartKey(1, viewId, 0, 3)]: encodeRequestChunk([{ ...e0, url: 'https://older.example/' }, e2], base),
      [requestPartKey(1, viewId, 0, 4)]: encodeRequestChunk([e0, e3], base),
    };
    const restored = newTracker(viewId.slice(0, 1));
    restored.tabs.set(1, { tabId: 1, current: newPageView({ id: viewId, committed: true, partial: false, startedAt: 0 }) });
    const orphans = restoreTracker(restored, stored);
    const back = logOf(restored).log;
    expect(logEntries(back)).toEqual(expected);
    expect(orphans).toEqual([requestPartKey(1, viewId, 0, 2)]);
    // The next append follows the last one stored; the covered one is still to be removed.
    expect(back.stores.get(0)).toEqual({ from: 3, acked: 3, since: 3, next: 5 });
  });

  it.each([
    ['a chunk as the first format wrote it (no number at its end)', '[[0,"r1",1,"GET","https://a.example/","script",0]]', 0],
    ['a compacted chunk', '[[0,"r1",1,"GET","https://a.example/","script",0],7]', 7],
    ['a chunk whose last entry ends with a number in a string', '[[0,"r1",1,"GET","https://a.example/,7","script",0]]', 0],
    ['an empty chunk', '[]', 0],
    ['not a chunk', 'nonsense', 0],
  ])('reads what a chunk’s key covers: %s', (_name, value, since) => {
    expect(chunkSince(value)).toBe(since);
    if (value.startsWith('[')) expect(decodeRequestChunk(value, 0, 0)).toHaveLength(value === '[]' ? 0 : 1);
  });

  it.each<[string, { tabId: number; viewId: string; chunk: number; slot?: number } | undefined]>([
    ['r:3:a.b:12', { tabId: 3, viewId: 'a.b', chunk: 12 }],
    ['r:3:a.b:12.0', { tabId: 3, viewId: 'a.b', chunk: 12, slot: 0 }],
    ['r:3:a.b:0.15', { tabId: 3, viewId: 'a.b', chunk: 0, slot: 15 }],
    ['r:3:a.b:12.', undefined],
    ['r:3:a.b:12.01', undefined],
    ['r:3:a.b:12.x', undefined],
    ['r:3:a.b:.1', undefined],
    ['r:3:a.b:12.-1', undefined],
  ])('parses the key %s', (key, parsed) => {
    expect(parseRequestChunkKey(key)).toEqual(parsed);
    if (parsed !== undefined) expect(requestPartKey(parsed.tabId, parsed.viewId, parsed.chunk, parsed.slot)).toBe(key);
  });
});

describe('a stop at any instant', () => {
  /** Turns of a stream: one request starts per turn and the one started 3 turns before ends. */
  const TURNS = 90;

  async function run(killAfter: number): Promise<{ store: MemorySessionStore; atSet: Map<number, RequestEntry[]>; removals: number }> {
    const store = new MemorySessionStore();
    store.killAfter = killAfter;
    const tracker = newTracker();
    const atSet = new Map<number, RequestEntry[]>();
    let removals = 0;
    const counted: SessionStore = {
      set: (items) => {
        atSet.set(store.calls.length, structuredClone(logEntries(logOf(tracker).log)));
        return store.set(items);
      },
      remove: (keys) => {
        if (keys.some((key) => parseRequestChunkKey(key)?.slot !== undefined)) removals++;
        return store.remove(keys);
      },
    };
    const { writer } = createPersistence(tracker, { store: counted, recordFinished: () => Promise.resolve(), shownChanged: () => undefined, after: () => () => undefined });
    const r = requests(tracker);
    for (let i = 0; i < TURNS; i++) {
      r.start(1);
      if (i >= 3) r.end(i - 3);
      writer.changed();
      await nextTurn();
    }
    return { store, atSet, removals };
  }

  it('restores the log as of the last stored write, whichever storage call it stopped after', async () => {
    const full = await run(Infinity);
    // Positive controls: appends were compacted, and covered ones removed, within this run.
    expect(full.removals).toBeGreaterThan(0);
    const calls = full.store.calls.length;
    for (let killAfter = 1; killAfter <= calls; killAfter++) {
      const { store, atSet } = await run(killAfter);
      // The last set among the calls that settled: its state is what storage holds.
      let lastSet = 0;
      for (const at of atSet.keys()) if (at < killAfter && store.calls[at]?.settled === true) lastSet = Math.max(lastSet, at);
      const expected = atSet.get(lastSet) ?? [];
      const restored = newTracker('w');
      const orphans = restoreTracker(restored, store.snapshot());
      const view = restored.tabs.get(1)?.current;
      const log = view === undefined ? undefined : restored.requestLogs.get(view);
      expect(log === undefined ? [] : logEntries(log), `stopped after ${killAfter} of ${calls} calls`).toEqual(expected);
      // Orphans are only appends a stored key covers.
      for (const key of orphans) {
        const parsed = parseRequestChunkKey(key);
        expect(parsed?.slot, key).toBeDefined();
        expect(chunkSince(store.data.get(requestPartKey(1, parsed?.viewId ?? '', parsed?.chunk ?? -1)))).toBeGreaterThan(parsed?.slot ?? Infinity);
      }
    }
  });

  it('removes an append only once a key that covers it was acknowledged, and in batches', () => {
    const t = newTracker();
    const r = requests(t);
    r.start(4 * REQUEST_CHUNK_SIZE);
    /** Values handed to storage and not acknowledged yet (the writer keeps them for the next write). */
    let pending: Record<string, string> = {};
    /** Per chunk, the appends a key storage acknowledged covers. */
    const ackedSince = new Map<number, number>();
    const batches: number[] = [];
    for (let i = 0; i < 4 * REQUEST_CHUNK_SIZE; i++) {
      r.end(i);
      const { set, remove } = storageWrites(t, drainChanges(t));
      const slots = remove.map((key) => parseRequestChunkKey(key)).filter((parsed) => parsed?.slot !== undefined);
      for (const parsed of slots) expect(parsed?.slot, `write ${i}`).toBeLessThan(ackedSince.get(parsed?.chunk ?? -1) ?? 0);
      if (slots.length > 0) batches.push(slots.length);
      pending = { ...pending, ...set };
      // Every third write is refused: nothing of it is acknowledged.
      if (i % 3 === 2) continue;
      requestPartsStored(t, Object.entries(pending));
      for (const [key, value] of Object.entries(pending)) {
        const parsed = parseRequestChunkKey(key);
        if (parsed !== undefined && parsed.slot === undefined) ackedSince.set(parsed.chunk, Math.max(ackedSince.get(parsed.chunk) ?? 0, chunkSince(value)));
      }
      pending = {};
    }
    // Positive control: removals happened, each of a whole batch.
    expect(batches.length).toBeGreaterThan(0);
    for (const size of batches) expect(size).toBeGreaterThanOrEqual(COVERED_REMOVAL_BATCH);
  });
});
