/**
 * Open pages subscribe to a tab over a port and get a fresh report after each batch: the first
 * screen of rows until the page asks for all of them, or (`thenAllRows`, the popup) the first
 * screen and, in the next task, every row: the first answer stays small and quick, and the rest
 * costs no second round trip.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { isAllRowsRequest, type ResponseOf } from '../core/messages';
import type { TabSummary } from '../core/view/snapshot';
import { FIRST_SCREEN_ROWS, tabSummary } from '../core/view/snapshot';
import type { Tracker } from '../core/tab/tracker';
import { currentConfig } from './config';
import { currentProxyContext } from './proxySettings';
import { readTracker } from './state';
import { followTab, portRequest, postToPage } from './tabPorts';
import { keptUrl } from './adapt';

interface Watcher {
  port: Runtime.Port;
  allRows: boolean;
}

const watchers = new Map<number, Set<Watcher>>();

const rowLimitOf = (watcher: Watcher): number => (watcher.allRows ? Infinity : FIRST_SCREEN_ROWS);

export async function buildSummary(tabId: number, rowLimit: number): Promise<TabSummary> {
  const { view, describe, notKept, nativeIpv6 } = await readTracker((tracker) => ({ view: tracker.tabs.get(tabId)?.current, describe: tracker.describe, notKept: tracker.tabs.get(tabId)?.notKept, nativeIpv6: tracker.nativeIpv6 }));
  // A view that knows its URL needs nothing from the tabs API: answer without that round trip.
  if (view?.url !== undefined) return tabSummary(tabId, view, undefined, describe, rowLimit, notKept, currentProxyContext(), nativeIpv6);
  let tabUrl: string | undefined;
  try {
    const url = (await browser.tabs.get(tabId)).url;
    tabUrl = url === undefined ? undefined : keptUrl(url);
  } catch {
    return { tabId, state: 'no-tab' };
  }
  // Read again after the await: a batch may have replaced the view meanwhile.
  const latest = await readTracker((tracker) => ({ view: tracker.tabs.get(tabId)?.current, describe: tracker.describe, notKept: tracker.tabs.get(tabId)?.notKept, nativeIpv6: tracker.nativeIpv6 }));
  return tabSummary(tabId, latest.view ?? view, tabUrl, latest.describe, rowLimit, latest.notKept, currentProxyContext(), latest.nativeIpv6);
}

function send(port: Runtime.Port, report: TabSummary): void {
  const { settings, pageScheme } = currentConfig();
  const update: ResponseOf<'watchTab'> = { report, config: { settings, pageScheme } };
  postToPage(port, update);
}

export function onWatchConnect(port: Runtime.Port): void {
  const request = portRequest(port, 'watchTab');
  if (request === undefined) return;
  const { tabId, thenAllRows } = request;
  const watcher: Watcher = { port, allRows: false };
  const set = followTab(watchers, tabId, watcher);
  const sendAllRows = (): void => {
    // Nothing for a page that closed meanwhile.
    if (watcher.allRows || !set.has(watcher)) return;
    watcher.allRows = true;
    void buildSummary(tabId, Infinity).then((report) => send(port, report));
  };
  port.onMessage.addListener((message: unknown) => {
    if (isAllRowsRequest(message)) sendAllRows();
  });
  void buildSummary(tabId, FIRST_SCREEN_ROWS).then((report) => {
    send(port, report);
    if (thenAllRows !== true) return;
    // Complete already (or no rows at all): later reports are every row.
    if (report.state !== 'ok' || report.snapshot.omittedRows === 0) watcher.allRows = true;
    // A task of its own, so the first screen's message leaves before every row is built.
    else setTimeout(sendAllRows, 0);
  });
}

export function pushToWatchers(tracker: Tracker, tabIds: Iterable<number>): void {
  for (const tabId of tabIds) {
    const set = watchers.get(tabId);
    if (set === undefined) continue;
    const tab = tracker.tabs.get(tabId);
    // At most two reports per tab: the first screen and all rows.
    const reports = new Map<number, TabSummary>();
    for (const watcher of set) {
      const rowLimit = rowLimitOf(watcher);
      let report = reports.get(rowLimit);
      // A tab touched in this batch that has no state left was closed: a report page left open says so.
      if (report === undefined) reports.set(rowLimit, (report = tab === undefined ? { tabId, state: 'no-tab' } : tabSummary(tabId, tab.current, undefined, tracker.describe, rowLimit, tab.notKept, currentProxyContext(), tracker.nativeIpv6)));
      send(watcher.port, report);
    }
  }
}
