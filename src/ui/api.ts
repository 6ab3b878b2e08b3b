/** The browser calls the popup and the report page share (messages to the background: backgroundClient.ts). */
import browser from 'webextension-polyfill';
import { popupTabId } from '../platform/popupTab';

const askedTabs = new Map<string, Promise<number | undefined>>();

/**
 * Which tab the popup shows: `?tabId=N` when opened as a page, else the active tab of its window.
 * Asked once per page: the popup's script asks as it starts, to check the worker's served answer,
 * and its app then follows the same tab.
 */
export function targetTabId(search: string): Promise<number | undefined> {
  let asked = askedTabs.get(search);
  if (asked === undefined) {
    asked = popupTabId(search, 'popup page');
    askedTabs.set(search, asked);
    // A failed query is asked again next time.
    asked.catch(() => askedTabs.delete(search));
  }
  return asked;
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
