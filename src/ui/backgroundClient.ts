/**
 * The pages' one client of the background, over the typed messages of core/messages.ts: a port
 * that follows a tab (watchTab) and one-shot requests (askBackground). Replies are checked, not cast.
 */
import browser from 'webextension-polyfill';
import { ONE_SHOT_REPLY_CHECKS, isWatchTabResponse, portName, type OneShotName, type RequestOf, type ResponseOf } from '../core/messages';
import type { ViewConfig } from '../core/settings/settings';
import type { TabSummary } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { afterNextPaint, markOnce } from './paint';

export interface TabWatch {
  stop(): void;
}

/**
 * Follows a tab's report live. The background may be stopped at any time, which closes the
 * port: reconnect so the page keeps updating. With `allRows` every row is asked for at once (the
 * report page), and the first screen the background answers before it reads that is skipped.
 * With `firstScreenFirst` (the popup) the background sends the first screen, then every row
 * unasked; a report that arrives before the first screen is painted waits for that paint, so the
 * first frame never holds more than the first screen.
 */
export function watchTab(
  tabId: number,
  onReport: (report: TabSummary, config: ViewConfig) => void,
  options: { allRows?: boolean; firstScreenFirst?: boolean } = {},
): TabWatch {
  let stopped = false;
  const allRows = options.allRows === true;
  let port: ReturnType<typeof browser.runtime.connect> | undefined;
  // Set while a first screen is delivered but not yet painted: the latest report waiting for it.
  let painting = false;
  let waiting: { report: TabSummary; config: ViewConfig } | undefined;
  const deliver = (report: TabSummary, config: ViewConfig): void => {
    if (painting) {
      waiting = { report, config };
      return;
    }
    onReport(report, config);
    if (options.firstScreenFirst !== true || report.state !== 'ok' || report.snapshot.omittedRows === 0) return;
    painting = true;
    afterNextPaint(() => {
      painting = false;
      const next = waiting;
      waiting = undefined;
      if (next !== undefined && !stopped) deliver(next.report, next.config);
    });
  };
  const askForAllRows = (): void => {
    const request: RequestOf<'allRows'> = { allRows: true };
    port?.postMessage(request);
  };
  const connect = (): void => {
    if (stopped) return;
    port = browser.runtime.connect({ name: portName('watchTab', options.firstScreenFirst === true ? { tabId, thenAllRows: true } : { tabId }) });
    port.onMessage.addListener((message: unknown) => {
      markOnce('ipvlens:report-received');
      if (!isWatchTabResponse(message)) {
        console.error('IPvLens: unexpected message on the watchTab port', message);
        return;
      }
      const update = message;
      if (options.allRows === true && update.report.state === 'ok' && update.report.snapshot.omittedRows > 0) return;
      deliver(update.report, update.config);
    });
    port.onDisconnect.addListener(() => {
      port = undefined;
      setTimeout(connect, 300);
    });
    if (allRows) askForAllRows();
  };
  connect();
  return {
    stop: () => {
      stopped = true;
      port?.disconnect();
    },
  };
}

/** Sends one message to the background and returns its checked answer (rejects on any other). */
export async function askBackground<K extends OneShotName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  const reply: unknown = await browser.runtime.sendMessage({ message: name, request });
  if (!ONE_SHOT_REPLY_CHECKS[name](reply)) throw new Error(`no valid answer to ${name}`);
  return reply;
}

/** Asks the background to delete sites (or all) and says what happened, for a status line. */
export async function deleteHistory(request: RequestOf<'historyDelete'>): Promise<string> {
  const answer = await askBackground('historyDelete', request);
  return answer.ok ? t('historyDeleted', String(answer.removed)) : t('historyChangeFailed', answer.error);
}
