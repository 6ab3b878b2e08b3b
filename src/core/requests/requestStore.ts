/**
 * The per-request logs to and from storage.session: the chunks each write holds (only those that
 * changed, and removals of those the ring left behind), the logs rebuilt at start, and the mark
 * of logs storage refused for lack of space.
 */
import type { ViewRef } from '../tab/changeLog';
import type { PageView } from '../tab/model';
import type { Tracker } from '../tab/tracker';
import { timeBaseOfView } from '../session/storageKeys';
import { REQUEST_KEY_PREFIX, decodeRequestChunk, encodeRequestChunk, parseRequestChunkKey, requestChunkKey } from './requestCodec';
import { chunkEntries, chunkOf, oldestSeq, restoreRequestLog, type RequestEntry, type RequestLog } from './requestLog';

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

/**
 * Adds the writes of the logs that changed to `set` and `remove`; their pending chunks are taken.
 * Within the budget only: a log whose chunk does not fit is marked and written no more.
 */
export function addRequestWrites(tracker: Tracker, logs: ReadonlyMap<RequestLog, ViewRef>, set: Record<string, string>, remove: string[], budget = REQUEST_STORAGE_BUDGET): void {
  let total = logs.size === 0 ? 0 : requestStorageBytes(tracker);
  for (const [log, { tabId, viewId }] of logs) {
    const base = timeBaseOfView(viewId);
    for (const chunk of log.evicted) {
      const key = requestChunkKey(tabId, viewId, chunk);
      remove.push(key);
      total -= tracker.requestStorage.get(key) ?? 0;
      tracker.requestStorage.delete(key);
    }
    for (const chunk of log.overBudget === true ? [] : log.dirty) {
      const entries = chunkEntries(log, chunk);
      const key = requestChunkKey(tabId, viewId, chunk);
      const before = tracker.requestStorage.get(key) ?? 0;
      if (entries.length === 0) {
        remove.push(key);
        tracker.requestStorage.delete(key);
        total -= before;
        continue;
      }
      const value = encodeRequestChunk(entries, base);
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
    }
    log.dirty.clear();
    log.evicted.length = 0;
  }
}

/** Request-log keys that are removed: their bytes no longer count against the budget. */
export function forgetRequestKeys(tracker: Tracker, removed: Iterable<string>): void {
  for (const key of removed) if (key.startsWith(REQUEST_KEY_PREFIX)) tracker.requestStorage.delete(key);
}

function viewOf(tracker: Tracker, tabId: number, viewId: string): PageView | undefined {
  const tab = tracker.tabs.get(tabId);
  return tab?.current.id === viewId ? tab.current : tab?.previous?.id === viewId ? tab.previous : undefined;
}

/**
 * Rebuilds the logs of the restored views from their chunks. Returns the keys that belong to no
 * view, could not be read, or hold only entries the ring has moved past.
 */
export function restoreRequestLogs(tracker: Tracker, entries: Record<string, unknown>): string[] {
  const orphans: string[] = [];
  const byView = new Map<PageView, { entries: RequestEntry[]; keys: Map<number, string> }>();
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(REQUEST_KEY_PREFIX)) continue;
    const parsed = parseRequestChunkKey(key);
    const view = parsed === undefined ? undefined : viewOf(tracker, parsed.tabId, parsed.viewId);
    const decoded = view === undefined || parsed === undefined ? undefined : decodeRequestChunk(stored, timeBaseOfView(parsed.viewId), parsed.chunk);
    if (view === undefined || parsed === undefined || decoded === undefined) {
      orphans.push(key);
      continue;
    }
    let gathered = byView.get(view);
    if (gathered === undefined) byView.set(view, (gathered = { entries: [], keys: new Map() }));
    gathered.entries.push(...decoded);
    gathered.keys.set(parsed.chunk, key);
    if (typeof stored === 'string') tracker.requestStorage.set(key, storedBytes(key, stored));
  }
  for (const [view, gathered] of byView) {
    const log = restoreRequestLog(gathered.entries);
    tracker.requestLogs.set(view, log);
    const oldestChunk = chunkOf(oldestSeq(log));
    for (const [chunk, key] of gathered.keys) {
      if (chunk >= oldestChunk) continue;
      orphans.push(key);
      tracker.requestStorage.delete(key);
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
