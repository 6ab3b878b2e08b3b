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

/** Adds the writes of the logs that changed to `set` and `remove`; their pending chunks are taken. */
export function addRequestWrites(logs: ReadonlyMap<RequestLog, ViewRef>, set: Record<string, string>, remove: string[]): void {
  for (const [log, { tabId, viewId }] of logs) {
    const base = timeBaseOfView(viewId);
    for (const chunk of log.dirty) {
      const entries = chunkEntries(log, chunk);
      const key = requestChunkKey(tabId, viewId, chunk);
      if (entries.length > 0) set[key] = encodeRequestChunk(entries, base);
      else remove.push(key);
    }
    for (const chunk of log.evicted) remove.push(requestChunkKey(tabId, viewId, chunk));
    log.dirty.clear();
    log.evicted.length = 0;
  }
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
  }
  for (const [view, gathered] of byView) {
    const log = restoreRequestLog(gathered.entries);
    tracker.requestLogs.set(view, log);
    const oldestChunk = chunkOf(oldestSeq(log));
    for (const [chunk, key] of gathered.keys) if (chunk < oldestChunk) orphans.push(key);
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
