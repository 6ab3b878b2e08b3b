/**
 * The tab the popup page shows (core/view/tabQuery.ts popupTabOf), asked of the browser. The page
 * knows its window: a toolbar popup's `currentWindow` is the window it opened over. The worker that
 * serves the page (background/popupPage.ts) has no window; it takes the last focused one, which
 * is that window unless focus moved meanwhile, and its answer names the tab it was drawn for, so
 * the page refuses it when the two differ (ui/useTabSummary.ts).
 */
import browser from 'webextension-polyfill';
import { popupTabOf } from '../core/view/tabQuery';

export type AskingFrom = 'popup page' | 'worker';

export async function popupTabId(search: string, from: AskingFrom): Promise<number | undefined> {
  const tab = popupTabOf(search);
  if (tab.kind === 'named') return tab.tabId;
  if (tab.kind === 'none') return undefined;
  const window = from === 'popup page' ? { currentWindow: true } : { lastFocusedWindow: true };
  const [active] = await browser.tabs.query({ active: true, ...window });
  return active?.id;
}
