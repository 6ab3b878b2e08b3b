/**
 * The tracker's side of the per-request log: each page view's log (made on its first request),
 * fed by the same events as the domain records, and noted in the change log for storage.
 */
import type { ViewRef } from '../tab/changeLog';
import type { PageView } from '../tab/model';
import type { EndEvent, RequestEvent, ResponseEvent, Tracker } from '../tab/tracker';
import { liveChunks, logRequestEnd, logRequestStart, logResponse, newRequestLog, type RequestLog } from './requestLog';

/** A view's log; made empty on first use. */
export function requestLogOf(tracker: Tracker, view: PageView): RequestLog {
  let log = tracker.requestLogs.get(view);
  if (log === undefined) tracker.requestLogs.set(view, (log = newRequestLog()));
  return log;
}

/** Notes the log for the next write, under the tab and view it belongs to (no allocation when already noted so). */
export function markRequestLog(tracker: Tracker, tabId: number, view: PageView, log: RequestLog): void {
  const logs = tracker.changes.requestLogs;
  const ref: ViewRef | undefined = logs.get(log);
  if (ref?.tabId !== tabId || ref.viewId !== view.id) logs.set(log, { tabId, viewId: view.id });
  tracker.changes.touched.add(tabId);
}

export function noteRequestStart(tracker: Tracker, tabId: number, view: PageView, event: RequestEvent): void {
  const log = requestLogOf(tracker, view);
  logRequestStart(log, event);
  markRequestLog(tracker, tabId, view, log);
}

/** A response, or a redirect (which also ends its hop). */
export function noteResponse(tracker: Tracker, tabId: number, view: PageView, event: ResponseEvent & { redirectUrl?: string }): void {
  const log = tracker.requestLogs.get(view);
  if (log === undefined) return;
  const before = log.version;
  logResponse(log, event);
  if (log.version !== before) markRequestLog(tracker, tabId, view, log);
}

export function noteRequestEnd(tracker: Tracker, tabId: number, view: PageView, event: EndEvent, failed: boolean): void {
  const log = tracker.requestLogs.get(view);
  if (log === undefined) return;
  const before = log.version;
  logRequestEnd(log, event.requestId, event.time, failed ? (event.error ?? 'failed') : undefined);
  if (log.version !== before) markRequestLog(tracker, tabId, view, log);
}

/** A view moved to another tab id (Chrome's prerender swap): its whole log is written under the new id. */
export function rewriteRequestLog(tracker: Tracker, tabId: number, view: PageView): void {
  const log = tracker.requestLogs.get(view);
  if (log === undefined) return;
  // Nothing is stored under the new id yet: each chunk's next write is its key, whole.
  log.stores.clear();
  for (const chunk of liveChunks(log)) log.dirty.add(chunk);
  markRequestLog(tracker, tabId, view, log);
}
