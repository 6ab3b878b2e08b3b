/**
 * The report page's per-request log of a tab, followed live over its own port (watchRequests):
 * reconnects when the background is stopped, as watchTab does.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { isWatchRequestsResponse, portName } from '../core/messages';
import type { RequestLogSummary } from '../core/requests/requestView';

export function useRequestLog(tabId: number | undefined, enabled: boolean): RequestLogSummary | undefined {
  const [summary, setSummary] = useState<RequestLogSummary | undefined>(undefined);
  useEffect(() => {
    if (tabId === undefined || !enabled) return undefined;
    let stopped = false;
    let port: ReturnType<typeof browser.runtime.connect> | undefined;
    const connect = (): void => {
      if (stopped) return;
      port = browser.runtime.connect({ name: portName('watchRequests', { tabId }) });
      port.onMessage.addListener((message: unknown) => {
        if (isWatchRequestsResponse(message)) setSummary(message.requests);
        else console.error('IPvLens: unexpected message on the watchRequests port', message);
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
  }, [tabId, enabled]);
  return summary;
}

/** IPvLens's version, for the HAR file's creator. */
export function extensionVersion(): string {
  return browser.runtime.getManifest().version;
}
