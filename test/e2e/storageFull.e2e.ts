/**
 * Storage full is never silent: with storage.session nearly full, a page of many domains is
 * loaded; the popup and the report say how many of its domains were not kept. Once room is made
 * (a filler removed, another tab closed), they are written, the notice goes, and a worker stop
 * then loses none of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { currentWorker, launchWithExtension, openPopup, openReportPage, pollRows, readRows, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { img, page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

const HOSTS = 120;
const FILLER = 'zz-test-filler';

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  server.route('/many', (url) => {
    const tag = url.searchParams.get('tag') ?? 'many';
    return page(Array.from({ length: HOSTS }, (_, i) => img(server, `h${i}.${tag}.v4.test`)).join(''));
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Fills storage.session (outside IPvLens's keys) until only `leaveBytes` are free. First it waits
 * until IPvLens's use stops changing: a loaded page's request log is compacted and its covered
 * appends removed after the load, and room freed after the fill would let every domain in. IPvLens
 * may still write between the measure and the filler's set: then it measures again.
 */
async function fillSessionStorage(leaveBytes: number): Promise<void> {
  const worker = await currentWorker(browser);
  const inUse = (): Promise<number> => worker.evaluate(() => chrome.storage.session.getBytesInUse(null));
  let last = await inUse();
  let steady = 0;
  for (const deadline = Date.now() + 15_000; steady < 3; ) {
    if (Date.now() > deadline) throw new Error('storage.session use never settled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await inUse();
    steady = now === last ? steady + 1 : 0;
    last = now;
  }
  await worker.evaluate(
    async ({ key, leave }) => {
      const quota = chrome.storage.session.QUOTA_BYTES;
      for (let attempt = 1; ; attempt++) {
        const used = await chrome.storage.session.getBytesInUse(null);
        try {
          await chrome.storage.session.set({ [key]: 'x'.repeat(quota - used - leave - key.length - 2) });
          return;
        } catch (error) {
          if (attempt === 5 || !/quota/i.test(String(error))) throw error;
        }
      }
    },
    { key: FILLER, leave: leaveBytes },
  );
}

const notKeptOf = (view: Page): Promise<number | undefined> =>
  view.evaluate(() => {
    const value = document.querySelector('[data-not-kept]')?.getAttribute('data-not-kept');
    return value === null || value === undefined ? undefined : Number(value);
  });

async function until<T>(what: string, read: () => Promise<T>, ready: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const result = await pollRows(async () => [await read()], ([value]) => ready(value as T), timeoutMs, 100).catch(() => {
    throw new Error(`timed out waiting for ${what}`);
  });
  return result[0] as T;
}

describe('session storage full', () => {
  it('says how many domains were not kept, in popup and report, and keeps them once there is room', async () => {
    // Another tab first, to be closed later (its keys go: room is made by IPvLens's own removal).
    const other = await browser.context.newPage();
    await other.goto(server.url('other.v4.test', '/many?tag=other'), { waitUntil: 'load' });
    // 5 KB: room for a few dozen of its 121 domains (a stored domain costs ~120 bytes).
    await fillSessionStorage(5_000);

    const tab = await browser.context.newPage();
    await tab.goto(server.url('full.v4.test', '/many?tag=full'), { waitUntil: 'load' });
    const tabId = await tabIdOf(browser, tab);
    const popup = await openPopup(browser, tabId);
    const report = await openReportPage(browser, tabId);
    // Every domain is listed (the state is whole while the worker runs)...
    await pollRows(() => readRows(popup), (rows) => rows.length === HOSTS + 1, 30_000, 150);
    // ...and the notice says how many of them storage refused.
    const notKept = (await until('the not-kept notice', () => notKeptOf(popup), (n) => n !== undefined && n > 0)) ?? 0;
    expect(notKept).toBeLessThanOrEqual(HOSTS + 1);
    expect(await popup.locator('[data-not-kept]').textContent()).toContain(`${notKept} domains of this page were not kept: storage is full`);
    expect(await until('the report notice', () => notKeptOf(report), (n) => n !== undefined)).toBe(notKept);
    // Every domain without a stored key is counted (and so is one whose latest state was refused).
    const stored = await (await currentWorker(browser)).evaluate(async (id) => Object.keys(await chrome.storage.session.get(null)).filter((key) => key.startsWith(`d:${id}:`)).length, tabId);
    expect(stored).toBeLessThan(HOSTS + 1);
    expect(notKept).toBeGreaterThanOrEqual(HOSTS + 1 - stored);
    // Positive control for the notice's absence below: the other tab has none.
    const otherPopup = await openPopup(browser, await tabIdOf(browser, other));
    await pollRows(() => readRows(otherPopup), (rows) => rows.length === HOSTS + 1, 30_000, 150);
    expect(await notKeptOf(otherPopup)).toBeUndefined();
    await otherPopup.close();

    // Room is made: the filler goes, and closing the other tab removes its keys, which retries at once.
    await (await currentWorker(browser)).evaluate((key) => chrome.storage.session.remove(key), FILLER);
    await other.close();
    await until('the notice to go', () => notKeptOf(popup), (n) => n === undefined);
    await until('the report notice to go', () => notKeptOf(report), (n) => n === undefined);
    const storedAfter = await (await currentWorker(browser)).evaluate(async (id) => Object.keys(await chrome.storage.session.get(null)).filter((key) => key.startsWith(`d:${id}:`)).length, tabId);
    expect(storedAfter).toBe(HOSTS + 1);

    // A worker stop now loses none of them.
    await stopServiceWorkers(browser, tab);
    await report.close();
    await popup.close();
    const reopened = await openPopup(browser, tabId);
    const rows = await pollRows(() => readRows(reopened), (seen) => seen.length === HOSTS + 1, 30_000, 150);
    expect(rows.filter((row) => row.family === '4')).toHaveLength(HOSTS + 1);
    await reopened.close();
    await tab.close();
  });
});
