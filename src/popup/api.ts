/** The popup's side of the typed messages. */
import browser from 'webextension-polyfill';
import type { MessageName, RequestOf, ResponseOf } from '../core/messages';
import type { TabReport } from '../core/snapshot';

const WATCH_TAB: MessageName = 'watchTab';

/** Which tab to show: `?tabId=N` when opened as a page, else the active tab of this window. */
export async function targetTabId(search: string): Promise<number | undefined> {
  const fromQuery = new URLSearchParams(search).get('tabId');
  if (fromQuery !== null && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id;
}

/**
 * Follows a tab's report live. The background may be stopped at any time, which closes the
 * port: reconnect so the popup keeps updating. Returns a function that stops watching.
 */
export function watchTab(tabId: number, onReport: (report: TabReport) => void): () => void {
  let stopped = false;
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  const connect = (): void => {
    if (stopped) return;
    port = browser.runtime.connect({ name: WATCH_TAB });
    port.onMessage.addListener((message: unknown) => onReport((message as ResponseOf<'watchTab'>).report));
    port.onDisconnect.addListener(() => {
      port = undefined;
      setTimeout(connect, 300);
    });
    const watch: RequestOf<'watchTab'> = { tabId };
    port.postMessage(watch);
  };
  connect();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
