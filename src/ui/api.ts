/** The pages' side of the typed messages, and the browser calls the popup and the report page share. */
import browser from 'webextension-polyfill';
import { portName, type RequestOf, type ResponseOf } from '../core/messages';
import { markOnce } from './paint';
import type { ViewConfig } from '../core/settings';
import type { TabReport } from '../core/snapshot';

/** The tab named by `?tabId=N`: the popup opened as a page of its own. */
export function tabIdInQuery(search: string): number | undefined {
  const fromQuery = new URLSearchParams(search).get('tabId');
  return fromQuery !== null && /^\d+$/.test(fromQuery) ? Number(fromQuery) : undefined;
}

/** Which tab to show: `?tabId=N` when opened as a page, else the active tab of this window. */
export async function targetTabId(search: string): Promise<number | undefined> {
  const fromQuery = tabIdInQuery(search);
  if (fromQuery !== undefined) return fromQuery;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id;
}

export interface TabWatch {
  /** Ask for every row (reports start with the first screen only); kept across reconnects. */
  showAllRows(): void;
  stop(): void;
}

/**
 * Follows a tab's report live. The background may be stopped at any time, which closes the
 * port: reconnect so the page keeps updating. With `allRows` every row is asked for at once (the
 * report page), and the first screen the background answers before it reads that is skipped.
 */
export function watchTab(tabId: number, onReport: (report: TabReport, config: ViewConfig) => void, options: { allRows?: boolean } = {}): TabWatch {
  let stopped = false;
  let allRows = options.allRows === true;
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  const askForAllRows = (): void => {
    const request: RequestOf<'allRows'> = { allRows: true };
    port?.postMessage(request);
  };
  const connect = (): void => {
    if (stopped) return;
    port = browser.runtime.connect({ name: portName('watchTab', { tabId }) });
    port.onMessage.addListener((message: unknown) => {
      markOnce('ipvlens:report-received');
      const update = message as ResponseOf<'watchTab'>;
      if (options.allRows === true && update.report.state === 'ok' && update.report.snapshot.omittedRows > 0) return;
      onReport(update.report, update.config);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      setTimeout(connect, 300);
    });
    if (allRows) askForAllRows();
  };
  connect();
  return {
    showAllRows: () => {
      if (allRows) return;
      allRows = true;
      askForAllRows();
    },
    stop: () => {
      stopped = true;
      port?.disconnect();
    },
  };
}

export function copyText(text: string): Promise<void> {
  return navigator.clipboard.writeText(text);
}

export function openOptions(): void {
  browser.runtime.openOptionsPage().catch((error: unknown) => console.error('IPvLens: could not open the options', error));
}

/** The full report on a tab: its whole table, sortable and filterable, in a page of its own. */
export function openReport(tabId: number): void {
  const url = browser.runtime.getURL(`src/report/index.html?tabId=${tabId}`);
  browser.tabs.create({ url }).catch((error: unknown) => console.error('IPvLens: could not open a tab', error));
}
