/**
 * Many tabs against storage.session's 10 MB quota: 20 tabs of 1,501 domains each (30,020; on main
 * about 14 MB, so the last tabs came back empty after a worker stop). Every domain must be
 * written, and every tab must list all of its domains again after the browser stops the
 * extension's service worker and a new one restores the state from storage. Loading 30,000 tiny
 * images from as many hosts is slow on a busy two-core machine: one tab of 1,500 took 19 s, all
 * 20 tabs 12 minutes (load average 25), hence the long timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { currentWorker, extensionPageUrl, launchWithExtension, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { img, page } from './fixtures';

const TABS = 20;
const IMAGES_PER_TAB = 1_500;
/** The images plus the page's own host. */
const DOMAINS_PER_TAB = IMAGES_PER_TAB + 1;
/** Tabs loading at once: more only queue on this machine's two cores. */
const LOADING_AT_ONCE = 4;

let server: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  // Tiny images from hosts of their own: `i<n>.t<k>.v4.test` / `.v6.test`, one per domain.
  server.route('/quota', (url) => {
    const tab = Number(url.searchParams.get('tab'));
    let body = '';
    for (let i = 0; i < IMAGES_PER_TAB; i++) body += img(server, `i${i}.t${tab}.${i % 2 === 0 ? 'v4' : 'v6'}.test`);
    return page(body);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Stored domain keys per tab id, read from the extension's storage.session by key name only. */
async function storedDomainsPerTab(): Promise<Map<number, number>> {
  const keys = await (await currentWorker(browser)).evaluate(async () => {
    const session = chrome.storage.session as unknown as { getKeys(): Promise<string[]> };
    return session.getKeys();
  });
  const counts = new Map<number, number>();
  for (const key of keys) {
    const match = /^d:(\d+):/.exec(key);
    if (match !== null) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
  }
  return counts;
}

/**
 * A tab's domains and families as the popup gets them: its full report from the worker, over the
 * popup's own port (first screen, then all rows), read from an extension page.
 */
async function reportRows(reader: Page, tabId: number): Promise<Array<[string, number | null]>> {
  return reader.evaluate(
    (id: number) =>
      new Promise<Array<[string, number | null]>>((resolve, reject) => {
        type Row = { domain: string; family?: number };
        type Update = { report: { state: string; snapshot?: { omittedRows: number; domains: Row[] } } };
        const port = chrome.runtime.connect({ name: `watchTab:${JSON.stringify({ tabId: id })}` });
        const timer = setTimeout(() => reject(new Error(`no complete report for tab ${id}`)), 60_000);
        port.onMessage.addListener((message: Update) => {
          const snapshot = message.report.snapshot;
          if (snapshot !== undefined && snapshot.omittedRows > 0) return port.postMessage({ allRows: true });
          clearTimeout(timer);
          port.disconnect();
          resolve((snapshot?.domains ?? []).map((row) => [row.domain, row.family ?? null]));
        });
      }),
    tabId,
  );
}

async function loadTab(index: number): Promise<{ tab: Page; tabId: number }> {
  const tab = await browser.context.newPage();
  await tab.goto(server.url(`t${index}.v4.test`, `/quota?tab=${index}`), { waitUntil: 'load', timeout: 600_000 });
  return { tab, tabId: await tabIdOf(browser, tab) };
}

describe('storage.session holds many tabs', () => {
  it(`restores all ${TABS * DOMAINS_PER_TAB} domains of ${TABS} tabs after the service worker stops`, async () => {
    const started = Date.now();
    const tabs: Array<{ tab: Page; tabId: number }> = [];
    for (let first = 0; first < TABS; first += LOADING_AT_ONCE) {
      const batch = Array.from({ length: Math.min(LOADING_AT_ONCE, TABS - first) }, (_, i) => loadTab(first + i));
      tabs.push(...(await Promise.all(batch)));
    }
    expect(server.hitsMatching((host) => /^i\d+\.t\d+\.v[46]\.test$/.test(host))).toBe(TABS * IMAGES_PER_TAB);

    // Every domain written before the stop (the worker batches writes; a refused write never lands).
    const complete = (counts: Map<number, number>): boolean => tabs.every(({ tabId }) => counts.get(tabId) === DOMAINS_PER_TAB);
    let stored = new Map<number, number>();
    const deadline = Date.now() + 60_000;
    while (!complete(stored) && Date.now() < deadline) {
      stored = await storedDomainsPerTab();
      if (!complete(stored)) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const storedPerTab = tabs.map(({ tabId }) => stored.get(tabId) ?? 0);
    const bytesInUse = await (await currentWorker(browser)).evaluate(() => chrome.storage.session.getBytesInUse(null));
    console.log(`after ${Date.now() - started} ms, stored domains per tab: ${storedPerTab.join(' ')}; storage.session ${bytesInUse} bytes`);
    expect(storedPerTab).toEqual(tabs.map(() => DOMAINS_PER_TAB));

    await (await currentWorker(browser)).evaluate(() => Object.assign(globalThis, { beforeStop: true }));
    await stopServiceWorkers(browser, tabs[0]?.tab as Page);

    // A new worker restores the state; each tab's full report then lists every one of its domains.
    const reader = await browser.context.newPage();
    await reader.goto(extensionPageUrl(browser, 'src/options/index.html'));
    const listed: number[] = [];
    for (const [index, { tabId }] of tabs.entries()) {
      const rows = await reportRows(reader, tabId);
      listed.push(rows.length);
      const expected = [[`t${index}.v4.test`, 4], ...Array.from({ length: IMAGES_PER_TAB }, (_, i) => [`i${i}.t${index}.${i % 2 === 0 ? 'v4' : 'v6'}.test`, i % 2 === 0 ? 4 : 6])];
      if (rows.length === DOMAINS_PER_TAB) expect(rows.sort(), `tab ${index}`).toEqual(expected.sort());
    }
    console.log(`domains listed per tab after the stop: ${listed.join(' ')}`);
    // Read from a new worker: the marker set on the old one is gone.
    expect(await (await currentWorker(browser)).evaluate(() => 'beforeStop' in globalThis)).toBe(false);
    expect(listed).toEqual(tabs.map(() => DOMAINS_PER_TAB));
  }, 2_400_000);
});
