/** The popup's side of the typed messages. */
import browser from 'webextension-polyfill';
import { portName, type ResponseOf } from '../core/messages';
import { markOnce } from './paint';
import type { TabReport } from '../core/snapshot';

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
    port = browser.runtime.connect({ name: portName('watchTab', { tabId }) });
    port.onMessage.addListener((message: unknown) => {
      markOnce('ipvlens:report-received');
      onReport((message as ResponseOf<'watchTab'>).report);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      setTimeout(connect, 300);
    });
  };
  connect();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
