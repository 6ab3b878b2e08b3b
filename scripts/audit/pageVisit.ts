/**
 * One visit: open the URL in a tab of its own, wait for the load, scroll to the bottom in steps so
 * lazy content loads, wait until the network has been quiet for the settle time, then read the
 * extension's report of the tab and turn it into the export, exactly as the popup's Export does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { tabExport, type TabExport } from '../../src/core/export/tabExport';
import { extensionSummary, type AuditBrowser, type AuditTab } from './auditBrowser';

export interface VisitOptions {
  settleMs: number;
  timeoutMs: number;
  scroll: boolean;
}

export type VisitOutcome = { report: TabExport } | { error: string; finalUrl: string | null };

/** At most this many screens are scrolled (an endless feed stops there). */
const MAX_SCROLL_STEPS = 60;
const SCROLL_PAUSE_MS = 100;
const POLL_MS = 100;

/** Scrolls a screen at a time until the bottom stays the bottom; resolves the steps taken. */
const SCROLL_EXPRESSION = `(async () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, ${SCROLL_PAUSE_MS}));
  for (let step = 1; step <= ${MAX_SCROLL_STEPS}; step++) {
    window.scrollBy(0, Math.max(200, window.innerHeight));
    await pause();
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) return step;
  }
  return ${MAX_SCROLL_STEPS};
})()`;

/** Network and TLS error codes of Chromium and Firefox, which say the most in the fewest words. */
const ERROR_CODE = /\b(?:net::ERR_\w+|NS_ERROR_\w+|SEC_ERROR_\w+|SSL_ERROR_\w+|MOZILLA_PKIX_ERROR_\w+)/;

/** A browser's error as one line: its error code where it has one, else the reason without the library's prefix and logs. */
export function describeError(error: unknown, timeoutMs: number): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = ERROR_CODE.exec(text)?.[0];
  if (code !== undefined) return code;
  const line = (text.split('\n')[0] ?? '').replace(/^(page\.goto|page\.evaluate|Error):\s*/i, '').trim();
  if (/timeout .*exceeded|timed? ?out/i.test(line)) return `timeout: the page did not load within ${timeoutMs} ms`;
  if (/crash/i.test(line)) return `the tab crashed (${line})`;
  return line === '' ? 'unknown error' : line;
}

/** Waits until no request is in flight and none started or ended for `settleMs`, counting from `since` at the earliest. */
async function waitForQuiet(tab: AuditTab, settleMs: number, since: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (tab.inflight() === 0 && Date.now() - Math.max(tab.lastActivity(), since) >= settleMs) return;
    await sleep(POLL_MS);
  }
  // A page that never goes quiet (a stream, long polling) is reported as it stands at the deadline.
}

export async function visit(browser: AuditBrowser, url: string, options: VisitOptions): Promise<VisitOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let tab: AuditTab | undefined;
  try {
    tab = await browser.newTab();
    await tab.goto(url, options.timeoutMs);
    if (options.scroll) {
      // A page that navigates away while scrolled ends the evaluation; what it loaded still counts.
      await tab.evaluate<number>(SCROLL_EXPRESSION).catch(() => undefined);
    }
    // Quiet counts from the end of the scroll: what the last screen triggers may not have started yet.
    await waitForQuiet(tab, options.settleMs, Date.now(), deadline);
    const finalUrl = tab.url();
    const summary = await extensionSummary(browser, finalUrl);
    if (summary.state !== 'ok') return { error: `the extension has no report of this page (${summary.state})`, finalUrl };
    return { report: tabExport(summary.snapshot, Date.now()) };
  } catch (error) {
    return { error: describeError(error, options.timeoutMs), finalUrl: null };
  } finally {
    await tab?.close().catch(() => undefined);
  }
}
