/**
 * Report pages following a tab's per-request log, over a port of their own (watchRequests): the
 * popup's reports never carry it. A page is sent the log when it connects and after each batch
 * in which the log of the tab's current view changed.
 */
import type { Runtime } from 'webextension-polyfill';
import { isWatchTabRequest, parsePortName, type MessageName, type ResponseOf } from '../core/messages';
import { requestLogSummary, type RequestLogSummary } from '../core/requests/requestView';
import type { Tracker } from '../core/tab/tracker';
import { readTracker } from './state';

interface RequestWatcher {
  port: Runtime.Port;
  /** The view and log version last sent, so an unchanged log is not sent again. */
  sent?: string;
}

const watchers = new Map<number, Set<RequestWatcher>>();

/** What a page has seen of a tab's log: its view, the view's URL and the log's version. */
function stampOf(tracker: Tracker, tabId: number): string {
  const view = tracker.tabs.get(tabId)?.current;
  const log = view === undefined ? undefined : tracker.requestLogs.get(view);
  return `${view?.id ?? '-'}:${view?.url ?? ''}:${log?.version ?? 0}`;
}

function summaryOf(tracker: Tracker, tabId: number): { summary: RequestLogSummary; stamp: string } {
  const view = tracker.tabs.get(tabId)?.current;
  const log = view === undefined ? undefined : tracker.requestLogs.get(view);
  return { summary: requestLogSummary(tabId, view, log, tracker.describe), stamp: stampOf(tracker, tabId) };
}

function send(watcher: RequestWatcher, summary: RequestLogSummary, stamp: string): void {
  const update: ResponseOf<'watchRequests'> = { requests: summary };
  watcher.sent = stamp;
  try {
    watcher.port.postMessage(update);
  } catch {
    // The page closed between the batch and the post.
  }
}

export function onRequestWatchConnect(port: Runtime.Port): void {
  const parsed = parsePortName(port.name);
  const name: MessageName = 'watchRequests';
  if (parsed?.name !== name) return;
  if (!isWatchTabRequest(parsed.request)) {
    port.disconnect();
    return;
  }
  const tabId = parsed.request.tabId;
  const watcher: RequestWatcher = { port };
  let set = watchers.get(tabId);
  if (set === undefined) watchers.set(tabId, (set = new Set()));
  set.add(watcher);
  port.onDisconnect.addListener(() => {
    set.delete(watcher);
    if (set.size === 0 && watchers.get(tabId) === set) watchers.delete(tabId);
  });
  void readTracker((tracker) => summaryOf(tracker, tabId)).then(({ summary, stamp }) => send(watcher, summary, stamp));
}

export function pushRequestLogs(tracker: Tracker, tabIds: Iterable<number>): void {
  for (const tabId of tabIds) {
    const set = watchers.get(tabId);
    if (set === undefined) continue;
    // Built at most once per tab and batch, and only when some page has not seen this version.
    let built: { summary: RequestLogSummary; stamp: string } | undefined;
    const stamp = stampOf(tracker, tabId);
    for (const watcher of set) {
      if (watcher.sent === stamp) continue;
      built ??= summaryOf(tracker, tabId);
      send(watcher, built.summary, built.stamp);
    }
  }
}
