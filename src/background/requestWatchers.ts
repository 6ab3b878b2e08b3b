/**
 * Report pages following a tab's per-request log, over a port of their own (watchRequests): the
 * popup's reports never carry it. A page is sent the log when it connects and after each batch
 * in which the log of the tab's current view changed.
 */
import type { Runtime } from 'webextension-polyfill';
import type { ResponseOf } from '../core/messages';
import { requestLogSummary, type RequestLogSummary } from '../core/requests/requestView';
import type { Tracker } from '../core/tab/tracker';
import { readTracker } from './state';
import { followTab, portRequest, postToPage } from './tabPorts';

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
  postToPage(watcher.port, update);
}

export function onRequestWatchConnect(port: Runtime.Port): void {
  const request = portRequest(port, 'watchRequests');
  if (request === undefined) return;
  const tabId = request.tabId;
  const watcher: RequestWatcher = { port };
  followTab(watchers, tabId, watcher);
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
