/**
 * The per-request logs to and from storage.session: the chunks each write holds (only those that
 * changed, and removals of those the ring left behind), the logs rebuilt at start, and the mark
 * of logs storage refused for lack of space.
 *
 * A chunk's first write is its key with its entries; later writes append only the entries that
 * changed (the bytes handed to storage follow what changed, not the size of the chunk); the chunk
 * is compacted (its key written whole again) once it is full and every request in it ended, when
 * it has MAX_CHUNK_APPENDS appends, or when most of it changed anyway. The appends it covers are
 * removed only once that key is acknowledged (requestPartsStored): a stop at any instant finds
 * the chunk's key and every append it does not cover.
 */
import type { ViewRef } from '../tab/changeLog';
import type { PageView } from '../tab/model';
import type { Tracker } from '../tab/tracker';
import { timeBaseOfView } from '../session/storageKeys';
import { REQUEST_KEY_PREFIX, chunkSince, decodeRequestChunk, encodeRequestChunk, parseRequestChunkKey, requestPartKey } from './requestCodec';
import { MAX_CHUNK_APPENDS, REQUEST_CHUNK_SIZE, chunkEntries, chunkOf, oldestSeq, restoreRequestLog, storedParts, type ChunkStore, type RequestEntry, type RequestLog } from './requestLog';

/**
 * What the request logs of all tabs may hold in storage.session (keys and values, as Chrome counts
 * them): a share of its 10 MB, so that the logs never take the room the domains need (a
 * 1,500-domain page stores about 300 KB of domains, and as much again of requests). A log that
 * would go past it is no longer written, and its view says so.
 */
export const REQUEST_STORAGE_BUDGET = 2_000_000;

const storedBytes = (key: string, value: string): number => key.length + value.length + 2;

/** Bytes the request logs hold in storage now. */
export function requestStorageBytes(tracker: Tracker): number {
  let total = 0;
  for (const bytes of tracker.requestStorage.values()) total += bytes;
  return total;
}

/** Whether the chunk's next write is its key, whole (see the file's comment). */
function compacts(log: RequestLog, chunk: number, entries: readonly RequestEntry[]): boolean {
  const store = log.stores.get(chunk);
  if (store === undefined || store.next - store.since >= MAX_CHUNK_APPENDS) return true;
  return log.next >= (chunk + 1) * REQUEST_CHUNK_SIZE && entries.every((entry) => entry.end !== undefined);
}

/**
 * Adds the writes of the logs that changed to `set` and `remove`; their pending changes are taken.
 * Within the budget only: a log whose write does not fit is marked and written no more.
 */
export function addRequestWrites(tracker: Tracker, logs: ReadonlyMap<RequestLog, ViewRef>, set: Record<string, string>, remove: string[], budget = REQUEST_STORAGE_BUDGET): void {
  let total = logs.size === 0 ? 0 : requestStorageBytes(tracker);
  const removeKey = (key: string): void => {
    remove.push(key);
    total -= tracker.requestStorage.get(key) ?? 0;
    tracker.requestStorage.delete(key);
  };
  for (const [log, { tabId, viewId }] of logs) {
    const base = timeBaseOfView(viewId);
    const removeChunk = (chunk: number): void => {
      for (const { slot } of storedParts(log, chunk)) removeKey(requestPartKey(tabId, viewId, chunk, slot));
      log.stores.delete(chunk);
    };
    for (const chunk of log.evicted) removeChunk(chunk);
    for (const chunk of log.overBudget === true ? [] : log.dirty) {
      const entries = chunkEntries(log, chunk);
      if (entries.length === 0) {
        removeChunk(chunk);
        continue;
      }
      const changed = entries.filter((entry) => log.changedSeqs.has(entry.seq));
      const store = log.stores.get(chunk) ?? { from: 0, acked: 0, since: 0, next: 0 };
      const whole = compacts(log, chunk, entries);
      const key = requestPartKey(tabId, viewId, chunk, whole ? undefined : store.next);
      const value = whole ? encodeRequestChunk(entries, base, store.next) : encodeRequestChunk(changed, base);
      const before = tracker.requestStorage.get(key) ?? 0;
      const after = storedBytes(key, value);
      if (total - before + after > budget) {
        log.overBudget = true;
        log.version++;
        tracker.changes.touched.add(tabId);
        break;
      }
      set[key] = value;
      tracker.requestStorage.set(key, after);
      total += after - before;
      if (whole) store.since = store.next;
      else store.next++;
      log.stores.set(chunk, store);
    }
    log.dirty.clear();
    log.changedSeqs.clear();
    log.evicted.length = 0;
  }
}

/**
 * Covered appends a log gathers before their removal is written: a removal is a storage call of
 * its own, and covered appends are harmless meanwhile (a restore takes them for orphans).
 */
export const COVERED_REMOVAL_BATCH = 32;

/**
 * Writes that storage acknowledged: a chunk's key stored there covers its appends below the
 * number it ends with, which may go from now on; once a log has COVERED_REMOVAL_BATCH of them,
 * their removal is noted in the change log. Returns whether there is such a removal to write.
 */
export function requestPartsStored(tracker: Tracker, stored: Iterable<readonly [string, string]>): boolean {
  const acked = new Map<RequestLog, ViewRef>();
  for (const [key, value] of stored) {
    if (!key.startsWith(REQUEST_KEY_PREFIX)) continue;
    const parsed = parseRequestChunkKey(key);
    if (parsed === undefined || parsed.slot !== undefined) continue;
    const since = chunkSince(value);
    const view = since === 0 ? undefined : viewOf(tracker, parsed.tabId, parsed.viewId);
    const log = view === undefined ? undefined : tracker.requestLogs.get(view);
    const store = log?.stores.get(parsed.chunk);
    if (log === undefined || store === undefined || since <= store.acked) continue;
    store.acked = since;
    acked.set(log, parsed);
  }
  let removals = false;
  for (const [log, { tabId, viewId }] of acked) {
    let covered = 0;
    for (const store of log.stores.values()) covered += store.acked - store.from;
    if (covered < COVERED_REMOVAL_BATCH) continue;
    for (const [chunk, store] of log.stores) {
      for (; store.from < store.acked; store.from++) tracker.changes.removed.push({ kind: 'requests', tabId, viewId, chunk, slot: store.from });
    }
    removals = true;
  }
  return removals;
}

/** Request-log keys that are removed: their bytes no longer count against the budget. */
export function forgetRequestKeys(tracker: Tracker, removed: Iterable<string>): void {
  for (const key of removed) if (key.startsWith(REQUEST_KEY_PREFIX)) tracker.requestStorage.delete(key);
}

function viewOf(tracker: Tracker, tabId: number, viewId: string): PageView | undefined {
  const tab = tracker.tabs.get(tabId);
  return tab?.current.id === viewId ? tab.current : tab?.previous?.id === viewId ? tab.previous : undefined;
}

interface StoredPart {
  chunk: number;
  /** Undefined for the chunk's key. */
  slot: number | undefined;
  key: string;
  entries: RequestEntry[];
  since: number;
}

/**
 * How far past the first append a chunk's key does not cover a stored append may be numbered.
 * A chunk is compacted once it has MAX_CHUNK_APPENDS appends, so its appends are numbered below
 * that; the room beyond is for a compaction storage refused. An append numbered further is
 * damage, and is dropped: taken as the chunk's count, it would make every later write of the
 * chunk list that many keys (storedParts), hanging the worker at each start.
 */
export const MAX_APPEND_SPAN = 8 * MAX_CHUNK_APPENDS;

/**
 * A view's chunks put together: each chunk's key, then the appends it does not cover, in order.
 * The keys of appends left out go to `leftOut`: those its key covers, and those out of range
 * (see MAX_APPEND_SPAN).
 */
function assemble(stores: Map<number, ChunkStore>, parts: StoredPart[], leftOut: Set<string>): RequestEntry[] {
  const byChunk = new Map<number, StoredPart[]>();
  for (const part of parts) {
    let list = byChunk.get(part.chunk);
    if (list === undefined) byChunk.set(part.chunk, (list = []));
    list.push(part);
  }
  const bySeq = new Map<number, RequestEntry>();
  for (const [chunk, list] of byChunk) {
    list.sort((a, b) => (a.slot ?? -1) - (b.slot ?? -1));
    const key = list.find((part) => part.slot === undefined);
    // Without its key (refused, or damaged), a chunk's appends count from the first of them.
    const since = key?.since ?? list[0]?.slot ?? 0;
    const store = { from: since, acked: since, since, next: since };
    for (const part of list) {
      if (part.slot !== undefined && part.slot < since) {
        // Covered by the chunk's key, which is stored: its removal had not been written yet.
        leftOut.add(part.key);
        continue;
      }
      if (part.slot !== undefined && part.slot >= since + MAX_APPEND_SPAN) {
        leftOut.add(part.key);
        continue;
      }
      if (part.slot !== undefined) store.next = part.slot + 1;
      for (const entry of part.entries) bySeq.set(entry.seq, entry);
    }
    stores.set(chunk, store);
  }
  return [...bySeq.values()];
}

/**
 * Rebuilds the logs of the restored views from their chunks and appends. Returns the keys that
 * belong to no view, could not be read, hold only entries the ring has moved past, or are appends
 * their chunk's key covers.
 */
export function restoreRequestLogs(tracker: Tracker, entries: Record<string, unknown>): string[] {
  const orphans: string[] = [];
  const byView = new Map<PageView, StoredPart[]>();
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(REQUEST_KEY_PREFIX)) continue;
    const parsed = parseRequestChunkKey(key);
    const view = parsed === undefined ? undefined : viewOf(tracker, parsed.tabId, parsed.viewId);
    const decoded = view === undefined || parsed === undefined ? undefined : decodeRequestChunk(stored, timeBaseOfView(parsed.viewId), parsed.chunk);
    if (view === undefined || parsed === undefined || decoded === undefined) {
      orphans.push(key);
      continue;
    }
    let parts = byView.get(view);
    if (parts === undefined) byView.set(view, (parts = []));
    parts.push({ chunk: parsed.chunk, slot: parsed.slot, key, entries: decoded, since: parsed.slot === undefined ? chunkSince(stored) : 0 });
    if (typeof stored === 'string') tracker.requestStorage.set(key, storedBytes(key, stored));
  }
  for (const [view, parts] of byView) {
    const stores = new Map<number, ChunkStore>();
    const leftOut = new Set<string>();
    const log = restoreRequestLog(assemble(stores, parts, leftOut));
    log.stores = stores;
    tracker.requestLogs.set(view, log);
    const oldestChunk = chunkOf(oldestSeq(log));
    for (const part of parts) {
      if (part.chunk >= oldestChunk && !leftOut.has(part.key)) continue;
      orphans.push(part.key);
      if (part.chunk < oldestChunk) log.stores.delete(part.chunk);
      tracker.requestStorage.delete(part.key);
    }
  }
  return orphans;
}

/**
 * Marks the logs of current views that have chunks among `refusedKeys` (storage is full), and
 * unmarks the others; a tab whose mark changes is shown again.
 */
export function markRequestLogsNotKept(tracker: Tracker, refusedKeys: Iterable<string>): void {
  const refused = new Set<string>();
  for (const key of refusedKeys) {
    const parsed = parseRequestChunkKey(key);
    if (parsed !== undefined) refused.add(`${parsed.tabId}:${parsed.viewId}`);
  }
  for (const tab of tracker.tabs.values()) {
    const log = tracker.requestLogs.get(tab.current);
    if (log === undefined) continue;
    const notKept = refused.has(`${tab.tabId}:${tab.current.id}`);
    if ((log.notKept === true) === notKept) continue;
    if (notKept) log.notKept = true;
    else delete log.notKept;
    log.version++;
    tracker.changes.touched.add(tab.tabId);
  }
}
