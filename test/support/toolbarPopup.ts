/** The real toolbar popup, opened with action.openPopup() on the active tab and read over CDP. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CdpClient, TargetInfo } from './cdp';
import { currentWorker, pollRows, popupPageUrl, POPUP_LIVE, ROWS_EXPRESSION, type ExtensionBrowser, type PopupRow } from './chromium';

export interface ToolbarPopup {
  evaluate<T>(expression: string): Promise<T>;
  /** Rows through the stable data-* contract, as readRows reads them from a popup page. */
  rows(): Promise<PopupRow[]>;
  close(): Promise<void>;
}

/**
 * Opens the popup for the active tab of the focused window (bring the tab to front first), or over
 * the window `windowId` names.
 */
export async function openToolbarPopup(browser: ExtensionBrowser, cdp: CdpClient, windowId?: number): Promise<ToolbarPopup> {
  const popupPage = popupPageUrl(browser);
  const worker = await currentWorker(browser);
  await worker.evaluate((id: number | undefined) => chrome.action.openPopup(id === undefined ? undefined : { windowId: id }), windowId);
  let target: TargetInfo | undefined;
  for (const deadline = Date.now() + 10_000; target === undefined && Date.now() < deadline; ) {
    target = (await cdp.targets()).find((t) => t.url.startsWith(popupPage));
    if (target === undefined) await sleep(20);
  }
  if (target === undefined) throw new Error('action.openPopup() opened no popup');
  const { targetId } = target;
  const session = await cdp.attach(targetId);
  // Its app has taken over the rows the worker served (popup/main.tsx): a click reaches the app.
  for (const deadline = Date.now() + 10_000; !(await cdp.evaluate<boolean>(session, `document.querySelector(${JSON.stringify(POPUP_LIVE)}) !== null`)); await sleep(20)) {
    if (Date.now() > deadline) throw new Error('the toolbar popup never went live');
  }
  return {
    evaluate: <T>(expression: string) => cdp.evaluate<T>(session, expression),
    rows: () => cdp.evaluate<PopupRow[]>(session, ROWS_EXPRESSION),
    close: async () => {
      await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
      for (const deadline = Date.now() + 5_000; Date.now() < deadline; await sleep(50)) {
        if (!(await cdp.targets()).some((t) => t.targetId === targetId)) return;
      }
    },
  };
}

/** Polls (slowly: reading competes with rendering) until `ready` holds for the popup's rows. */
export function waitForToolbarRows(popup: ToolbarPopup, ready: (rows: PopupRow[]) => boolean, timeoutMs = 15_000): Promise<PopupRow[]> {
  return pollRows(() => popup.rows(), ready, timeoutMs, 200);
}
