/**
 * A hostile page in Chromium: 2,000 requests with long URLs (Chrome allows 2 MB) and a response
 * with an overlong Content-Type. Most URLs are 64 KiB and the last few 1 MiB: Chromium itself
 * takes about 3 s per 1 MiB URL on the test machine (with an empty extension too; 0.07 s at
 * 64 KiB), so 2,000 of them would take well over an hour. The worker keeps each URL cut to 2,048 characters, so its heap
 * (DevTools protocol, after a full collection) grows by a few MiB at most, where keeping the URLs
 * whole held gigabytes; the Requests view marks the cut URLs as cut, and so does the HAR.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Har } from '../../src/core/requests/har';
import { launchWithExtension, openPopup, openReportPage, pollRows, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import { CdpClient } from '../support/cdp';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { harValidator } from '../support/harSchema';
import { page } from './fixtures';

const HOST = 'huge.v4.test';
const REQUESTS = 2000;
const URL_CHARACTERS = 64 * 1024;
/** The last requests' URLs: 1 MiB. */
const HUGE_URLS = 4;
const HUGE_URL_CHARACTERS = 1024 * 1024;
const KEPT_URL = 2048;
const HEAP_GROWTH_LIMIT = 8 * 1024 * 1024;
const LONG_TYPE = `text/plain; note=${'t'.repeat(1000)}`;

let server: FixtureServer;
let browser: ExtensionBrowser;
let cdp: CdpClient;
let worker: string;

/** A port nothing listens on: the long requests fail at once, after the browser has reported them. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  server = await startFixtureServer();
  const refused = `http://${HOST}:${await closedPort()}`;
  server.route('/long-type', () => ({ body: 'typed', type: LONG_TYPE }));
  server.route('/hostile', () =>
    page(`<script>
      async function run() {
        const pad = 'p'.repeat(${URL_CHARACTERS});
        const hugePad = 'q'.repeat(${HUGE_URL_CHARACTERS});
        const long = (n) => fetch('${refused}/u' + n + '/' + (n < ${REQUESTS - HUGE_URLS} ? pad : hugePad), { mode: 'no-cors' }).catch(() => undefined);
        let next = 0;
        const one = async () => {
          while (next < ${REQUESTS - HUGE_URLS}) await long(next++);
        };
        await Promise.all(Array.from({ length: 12 }, one));
        for (let n = ${REQUESTS - HUGE_URLS}; n < ${REQUESTS}; n++) await long(n);
        await (await fetch('/long-type')).text();
        document.title = 'done';
      }
      run().catch((e) => { document.title = 'failed: ' + e; });
    </script>`),
  );
  browser = await launchWithExtension({ extraArgs: ['--remote-debugging-port=0'] });
  cdp = await CdpClient.connect(browser.userDataDir);
  const prefix = `chrome-extension://${browser.extensionId}/`;
  const target = (await cdp.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
  if (target === undefined) throw new Error('the extension has no service worker target');
  worker = await cdp.attach(target.targetId);
});

afterAll(async () => {
  cdp?.close();
  await browser?.close();
  await server?.close();
});

/** The worker's JS heap in use after a full collection. */
async function workerHeap(): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage', {}, worker);
  return (await cdp.send<{ usedSize: number }>('Runtime.getHeapUsage', {}, worker)).usedSize;
}

interface SeenRow {
  url: string;
  truncated: string;
  title: string;
  text: string;
}

const readRows = (report: Page): Promise<SeenRow[]> =>
  report.$$eval('[data-request-url]', (rows) =>
    rows.map((row) => ({
      url: row.getAttribute('data-request-url') ?? '',
      truncated: row.getAttribute('data-truncated') ?? '',
      title: row.querySelector('td.url')?.getAttribute('title') ?? '',
      text: row.querySelector('td.url')?.textContent ?? '',
    })),
  );

describe('a page sending 2,000 URLs of 64 KiB to 1 MiB', () => {
  let tab: Page;
  let heapBefore: number;
  let heapAfter: number;

  beforeAll(async () => {
    heapBefore = await workerHeap();
    tab = await browser.context.newPage();
    await tab.goto(server.url(HOST, '/hostile'), { waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'done' || document.title.startsWith('failed'), undefined, { timeout: 240_000, polling: 500 });
    expect(await tab.title()).toBe('done');
    // The worker has seen them all: its row of the host counts the page, the 2,000 and the last.
    const popup = await openPopup(browser, await tabIdOf(browser, tab));
    await waitForRows(popup, (rows) => rows.some((row) => row.domain === HOST && row.requests === REQUESTS + 2), 120_000);
    await popup.close();
    heapAfter = await workerHeap();
  }, 400_000);

  it('grows the worker’s heap by a few MiB at most', () => {
    const growth = heapAfter - heapBefore;
    console.info(`IPvLens hugeUrls: the worker's heap grew by ${(growth / 1048576).toFixed(2)} MiB`);
    expect(growth).toBeLessThanOrEqual(HEAP_GROWTH_LIMIT);
  });

  it('the heap reading sees growth of that size (positive control)', async () => {
    await cdp.evaluate(worker, 'globalThis.__ipvlensProbe = Array.from({ length: 1 << 21 }, (_, i) => i + 0.5); 0');
    const grown = await workerHeap();
    await cdp.evaluate(worker, 'delete globalThis.__ipvlensProbe; 0');
    expect(grown - heapAfter).toBeGreaterThan(HEAP_GROWTH_LIMIT);
  });

  it('the Requests view shows each URL cut and marked as cut; the HAR says so', async () => {
    const report = await openReportPage(browser, await tabIdOf(browser, tab));
    await report.click('[data-view="requests"]');
    const rows = await pollRows(() => readRows(report), (seen) => seen.length === REQUESTS, 60_000, 500);
    // The ring keeps the last 2,000 of the page's 2,002 requests: the page and the first hostile one went.
    const hostile = rows.filter((row) => row.url.includes('/u'));
    expect(hostile).toHaveLength(REQUESTS - 1);
    expect(hostile.filter((row) => row.url.includes('/qqq'))).toHaveLength(HUGE_URLS);
    for (const row of hostile) {
      expect(row.url).toHaveLength(KEPT_URL);
      expect(row.truncated).toBe('url');
      expect(row.text.endsWith('…')).toBe(true);
      expect(row.title).toContain('cut to 2,048 characters');
    }
    // Positive control: a URL that was not cut has no mark.
    const typed = rows.find((row) => row.url.endsWith('/long-type'));
    expect(typed).toMatchObject({ url: server.url(HOST, '/long-type'), truncated: 'contentType' });
    expect(typed?.title).toBe(server.url(HOST, '/long-type'));

    const [download] = await Promise.all([report.waitForEvent('download'), report.click('[data-export="har"]')]);
    const har = JSON.parse(readFileSync(await download.path(), 'utf8')) as Har;
    const { valid, errors } = harValidator()(har);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
    const entries = har.log.entries;
    const cut = entries.filter((entry) => entry.request.url.includes('/u'));
    expect(cut).toHaveLength(REQUESTS - 1);
    expect(cut.every((entry) => entry.request.url.length === KEPT_URL && entry._truncated?.join() === 'url')).toBe(true);
    const typedEntry = entries.find((entry) => entry.request.url.endsWith('/long-type'));
    expect(typedEntry?._truncated).toEqual(['contentType']);
    expect(typedEntry?.response.content.mimeType).toBe(LONG_TYPE.slice(0, 256));
    await report.close();
  }, 180_000);
});
