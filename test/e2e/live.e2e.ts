/**
 * The live view against a real stream: segments from an IPv6 and an IPv4 host over several
 * seconds, checked against what the fixture server counted (requests, declared bytes, responses
 * without a size), and a service worker stopped while segments are in flight.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sharePercentages } from '../../src/core/live/share';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { currentWorker, launchWithExtension, openPopup, pollRows, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { readLive, readRowFigures, sumOf, type RowFigures } from '../support/livePanel';
import { storedRequests, waitForStoredView } from './storedState';
import { page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  registerFixtures(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function registerFixtures(s: FixtureServer): void {
  // Segments at a steady pace for several seconds, from three hosts: IPv6, IPv4, and an IPv4
  // host that sends no Content-Length (chunked).
  s.route('/paced', (url) => {
    const tag = url.searchParams.get('tag') ?? 'paced';
    const plan = {
      six: [s.url(`${tag}.v6.test`, '/seg.ts'), Number(url.searchParams.get('six'))],
      four: [s.url(`${tag}.v4.test`, '/seg.ts'), Number(url.searchParams.get('four'))],
      chunked: [s.url(`chunk-${tag}.v4.test`, '/seg.ts'), Number(url.searchParams.get('chunked'))],
    };
    const gap = Number(url.searchParams.get('gap') ?? '80');
    return page(`<script>
      const plan = ${JSON.stringify(plan)};
      async function run() {
        const rounds = Math.max(...Object.values(plan).map(([, n]) => n));
        for (let i = 0; i < rounds; i++) {
          await Promise.all(Object.entries(plan).filter(([, [, n]]) => i < n).map(async ([kind, [base]]) => {
            const query = kind === 'chunked' ? '?chunked=1&n=' + i : '?size=' + (100 + i) + '&n=' + i;
            await (await fetch(base + query)).text();
          }));
          await new Promise((r) => setTimeout(r, ${gap}));
        }
        document.title = 'done';
      }
      run().catch((e) => { document.title = 'failed: ' + e; });
    </script>`);
  });
  // Waves of slow segments (the server holds each answer), so requests are in flight at any moment.
  s.route('/waves', (url) => {
    const tag = url.searchParams.get('tag') ?? 'waves';
    const waves = Number(url.searchParams.get('waves'));
    const delay = Number(url.searchParams.get('delay'));
    const hosts = [s.url(`${tag}.v6.test`, '/seg.ts'), s.url(`${tag}.v4.test`, '/seg.ts')];
    return page(`<script>
      const hosts = ${JSON.stringify(hosts)};
      async function run() {
        for (let wave = 0; wave < ${waves}; wave++) {
          const urls = hosts.flatMap((base) => [0, 1].map((k) => base + '?delay=${delay}&wave=' + wave + '&k=' + k));
          await Promise.all(urls.map(async (u) => (await fetch(u)).text()));
        }
        document.title = 'done';
      }
      run().catch((e) => { document.title = 'failed: ' + e; });
    </script>`);
  });
}

async function load(url: string): Promise<{ tab: Page; tabId: number }> {
  const tab = await browser.context.newPage();
  await tab.goto(url, { waitUntil: 'load' });
  return { tab, tabId: await tabIdOf(browser, tab) };
}

function rowFiguresWhen(popup: Page, ready: (rows: RowFigures[]) => boolean, timeoutMs = 20_000): Promise<RowFigures[]> {
  return pollRows(() => readRowFigures(popup), ready, timeoutMs, 150);
}

const figuresOf = (rows: RowFigures[], domain: string): RowFigures | undefined => rows.find((row) => row.domain === domain);

/** Rows whose requests and declared bytes equal what the server served to each host, none in flight. */
const matchServer = (hosts: string[]) => (rows: RowFigures[]) =>
  hosts.every((host) => {
    const row = figuresOf(rows, host);
    return row?.requests === server.hits(host) && row.bytes === server.declaredBytes(host) && !row.connected;
  });

describe('live view in Chromium', () => {
  it('shows per-domain counts, bytes, shares and a timeline that match what the server served', async () => {
    const six = 'paced.v6.test';
    const four = 'paced.v4.test';
    const chunked = 'chunk-paced.v4.test';
    const pageHost = 'live-page.v4.test';
    const { tab, tabId } = await load(server.url(pageHost, '/paced?six=40&four=30&chunked=6&gap=80'));
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    expect([server.hits(six), server.hits(four), server.hits(chunked)]).toEqual([40, 30, 6]);

    const popup = await openPopup(browser, tabId);
    const hosts = [pageHost, six, four, chunked];
    const rows = await rowFiguresWhen(popup, matchServer(hosts));
    for (const host of hosts) {
      // Everything happened within the last minute; sizes as the server declared them.
      expect(figuresOf(rows, host), host).toMatchObject({
        requests: server.hits(host),
        lastMinute: server.hits(host),
        bytes: server.declaredBytes(host),
        unsized: server.undeclared(host),
      });
    }
    expect(figuresOf(rows, chunked)).toMatchObject({ bytes: 0, unsized: 6 });

    const live = await readLive(popup);
    const v4Hosts = [pageHost, four, chunked];
    const requests = { v6: server.hits(six), v4: sumOf(v4Hosts.map((h) => server.hits(h))), unknown: 0 };
    const bytes = { v6: server.declaredBytes(six), v4: sumOf(v4Hosts.map((h) => server.declaredBytes(h))), unknown: 0 };
    expect(live.shares.domains).toMatchObject({ v6: 1, v4: 3, unknown: 0 });
    expect(live.shares.requests).toMatchObject(requests);
    expect(live.shares.bytes).toMatchObject(bytes);
    const percent = sharePercentages(requests);
    expect(live.shares.requests.text).toContain(`IPv6 ${percent.v6} % · IPv4 ${percent.v4} %`);
    expect(live.shares.bytes.text).toContain('6 responses of unknown size');

    // The ten-minute timeline: both families in non-empty buckets, adding up to every response.
    const timeline = live.timelines['10m'];
    expect(timeline?.v6).toHaveLength(60);
    expect(timeline?.v6?.some((n) => n > 0)).toBe(true);
    expect(timeline?.v4?.some((n) => n > 0)).toBe(true);
    expect(sumOf(timeline?.v6)).toBe(requests.v6);
    expect(sumOf(timeline?.v4)).toBe(requests.v4);
    expect(sumOf(timeline?.failed)).toBe(0);
    // The toolbar popup has no hour chart; the full tab (this page, ?tabId=) has both.
    expect(sumOf(live.timelines['1h']?.v6)).toBe(requests.v6);
    expect(live.switches).toEqual([]);
    await popup.close();
    await tab.close();
  });

  it('counts on from where it was when the service worker is stopped with segments in flight', async () => {
    const six = 'waves.v6.test';
    const four = 'waves.v4.test';
    const pageHost = 'waves-page.v4.test';
    const waves = 6;
    const { tab, tabId } = await load(server.url(pageHost, `/waves?waves=${waves}&delay=1500`));
    const popup = await openPopup(browser, tabId);
    // Wave 3 has reached the server: its answers are held for 1.5 s. Wait until storage holds the
    // request starts of all three waves (the batch writer has run), answers still outstanding.
    const arrived = (): number => server.hits(six) + server.hits(four);
    for (const deadline = Date.now() + 30_000; arrived() < 3 * 4 && Date.now() < deadline; ) await sleep(20);
    expect(arrived()).toBe(3 * 4);
    await waitForStoredView(browser, tabId, (view) => storedRequests(view, six) === 6 && storedRequests(view, four) === 6, 1_000);
    const before = await rowFiguresWhen(popup, (rows) => figuresOf(rows, six)?.requests === 6 && figuresOf(rows, four)?.requests === 6);
    expect(figuresOf(before, six)?.connected).toBe(true);

    await (await currentWorker(browser)).evaluate(() => Object.assign(globalThis, { beforeStop: true }));
    await stopServiceWorkers(browser, tab);

    // The answers of wave 3 arrive at a stopped worker, which the browser starts again; the open
    // popup reconnects and keeps counting from where it was.
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    expect([server.hits(six), server.hits(four)]).toEqual([2 * waves, 2 * waves]);
    const after = await rowFiguresWhen(popup, matchServer([pageHost, six, four]));
    // It was a new worker that counted the rest: the marker set on the old one is gone.
    expect(await (await currentWorker(browser)).evaluate(() => 'beforeStop' in globalThis)).toBe(false);
    for (const host of [six, four]) {
      expect(figuresOf(after, host), host).toMatchObject({ requests: 2 * waves, lastMinute: 2 * waves, bytes: server.declaredBytes(host), unsized: 0 });
    }
    // Nothing is left "in flight" from before the stop.
    expect(after.filter((row) => row.connected)).toEqual([]);
    const live = await readLive(popup);
    expect(live.shares.requests).toMatchObject({ v6: 2 * waves, v4: 2 * waves + server.hits(pageHost), unknown: 0 });
    expect(sumOf(live.timelines['10m']?.v6)).toBe(2 * waves);
    expect(sumOf(live.timelines['10m']?.v4)).toBe(2 * waves + server.hits(pageHost));
    await popup.close();
    await tab.close();
  });
});
