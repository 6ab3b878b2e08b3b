/** Open popups subscribe to a tab over a port and get a fresh report after each batch. */
import browser, { type Runtime } from 'webextension-polyfill';
import { isWatchTabRequest, parsePortName, type MessageName, type ResponseOf } from '../core/messages';
import type { TabReport } from '../core/snapshot';
import { reportFor } from '../core/snapshot';
import type { Tracker } from '../core/tracker';
import { readTracker } from './state';

const watchers = new Map<number, Set<Runtime.Port>>();

async function buildReport(tabId: number): Promise<TabReport> {
  const view = await readTracker((tracker) => tracker.tabs.get(tabId)?.current);
  // A view that knows its URL needs nothing from the tabs API: answer without that round trip.
  if (view?.url !== undefined) return reportFor(tabId, view, undefined);
  let tabUrl: string | undefined;
  try {
    tabUrl = (await browser.tabs.get(tabId)).url;
  } catch {
    return { tabId, state: 'no-tab' };
  }
  // Read again after the await: a batch may have replaced the view meanwhile.
  const latest = await readTracker((tracker) => tracker.tabs.get(tabId)?.current);
  return reportFor(tabId, latest ?? view, tabUrl);
}

function send(port: Runtime.Port, report: TabReport): void {
  const update: ResponseOf<'watchTab'> = { report };
  try {
    port.postMessage(update);
  } catch {
    // The popup closed between the batch and the post.
  }
}

export function onWatchConnect(port: Runtime.Port): void {
  const parsed = parsePortName(port.name);
  const watchTab: MessageName = 'watchTab';
  if (parsed?.name !== watchTab) return;
  if (!isWatchTabRequest(parsed.request)) {
    port.disconnect();
    return;
  }
  const tabId = parsed.request.tabId;
  let set = watchers.get(tabId);
  if (set === undefined) watchers.set(tabId, (set = new Set()));
  set.add(port);
  port.onDisconnect.addListener(() => {
    set.delete(port);
    if (set.size === 0 && watchers.get(tabId) === set) watchers.delete(tabId);
  });
  void buildReport(tabId).then((report) => send(port, report));
}
export function pushToWatchers(tracker: Tracker, tabIds: Iterable<number>): void {
  for (const tabId of tabIds) {
    const set = watchers.get(tabId);
    if (set === undefined) continue;
    const report = reportFor(tabId, tracker.tabs.get(tabId)?.current, undefined);
    for (const port of set) send(port, report);
  }
}
