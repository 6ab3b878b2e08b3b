/** The browser calls the popup and the report page share (messages to the background: backgroundClient.ts). */
import browser from 'webextension-polyfill';
import { tabIdInQuery } from '../core/view/tabQuery';


/** Which tab to show: `?tabId=N` when opened as a page, else the active tab of this window. */
export async function targetTabId(search: string): Promise<number | undefined> {
  const fromQuery = tabIdInQuery(search);
  if (fromQuery !== undefined) return fromQuery;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id;
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
