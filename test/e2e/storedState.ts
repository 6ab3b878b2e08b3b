/**
 * What a restarted worker would find: storage.session read from the extension and restored with
 * the core's own codec, so a test can wait for a write to land (poll with a deadline) instead of
 * sleeping for the batch writer, whatever the stored format.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { restoreTracker } from '../../src/core/session/persisted';
import { createTracker, type Tracker } from '../../src/core/tab/tracker';
import type { PageView } from '../../src/core/tab/model';
import { currentWorker, type ExtensionBrowser } from '../support/chromium';

/** The tracker restored from what storage.session holds right now. */
export async function storedTracker(browser: ExtensionBrowser): Promise<Tracker> {
  const worker = await currentWorker(browser);
  const entries = await worker.evaluate(() => chrome.storage.session.get(null));
  const tracker = createTracker(() => 'restored');
  restoreTracker(tracker, entries);
  return tracker;
}

/** Waits until the stored state of a tab's page view (undefined: no tab stored) satisfies `ready`. */
export async function waitForStoredView(
  browser: ExtensionBrowser,
  tabId: number,
  ready: (view: PageView | undefined) => boolean,
  timeoutMs = 10_000,
): Promise<PageView | undefined> {
  const deadline = Date.now() + timeoutMs;
  let view: PageView | undefined;
  do {
    view = (await storedTracker(browser)).tabs.get(tabId)?.current;
    if (ready(view)) return view;
    await sleep(50);
  } while (Date.now() < deadline);
  const seen = view === undefined ? 'no view' : JSON.stringify([...view.domains.values()].map(({ domain, requests }) => ({ domain, requests })));
  throw new Error(`the stored state of tab ${tabId} never became ready within ${timeoutMs} ms; last stored: ${seen}`);
}

/** Requests started to a domain in a stored page view. */
export function storedRequests(view: PageView | undefined, domain: string): number | undefined {
  return view?.domains.get(domain)?.requests;
}

/**
 * Sends the history writer a request that changes no site (delete none) and waits for its answer:
 * the writer works through its changes in order, so whatever was queued before is done.
 */
export async function throughHistoryWriter(page: Page): Promise<void> {
  const answer: unknown = await page.evaluate(() => chrome.runtime.sendMessage({ message: 'historyDelete', request: { sites: [] } }));
  if (JSON.stringify(answer) !== JSON.stringify({ ok: true, removed: 0 })) throw new Error(`the history writer answered ${JSON.stringify(answer)}`);
}
