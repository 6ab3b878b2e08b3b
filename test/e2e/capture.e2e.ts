/**
 * The built extension in Debian's Chromium against local fixtures reached over 127.0.0.1 and ::1.
 * Every expectation is checked through the popup's stable data-* contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import {
  currentWorker,
  launchWithExtension,
  openPopup,
  readRows,
  rowOf,
  stopServiceWorkers,
  tabIdOf,
  waitForRows,
  type ExtensionBrowser,
  type PopupRow,
} from '../support/chromium';
import { CdpClient } from '../support/cdp';
import { storedRequests, waitForStoredView } from './storedState';
import { openToolbarPopup, waitForToolbarRows } from '../support/toolbarPopup';
import { img, page, streamPage } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer({ extraAddresses: ['127.0.0.2'] });
  // A page's own service worker needs a secure origin; plain http is fine for this one host.
  browser = await launchWithExtension({
    extraArgs: [
      `--unsafely-treat-insecure-origin-as-secure=${server.url('sw.v4.test', '').replace(/\/$/, '')}`,
      // For the toolbar popup, reached over CDP.
      '--remote-debugging-port=0',
    ],
  });
  registerFixtures(server);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function registerFixtures(s: FixtureServer): void {
  s.route('/mixed', () =>
    page(img(s, 'img.mixed.v4.test') + img(s, 'img.mixed.v6.test') + `<script src="${s.url('js.mixed.v4.test', '/a.js')}"></script>`),
  );
  s.route('/ipv6-only', () => page(img(s, 'a.only6.v6.test') + img(s, 'b.only6.v6.test')));
  s.route('/redirect', (url) => ({ status: 302, headers: { location: s.url('landing.v6.test', `/landing?from=${url.host}`) } }));
  s.route('/landing', () => page(img(s, 'after-redirect.v4.test')));
  s.route('/first', () => page(img(s, 'first-only.v4.test')));
  s.route('/second', () =>
    page(img(s, 'second-only.v6.test') + `<script>history.pushState({}, '', '/second/pushed');</script>`),
  );
  s.route('/later', () => page('<button id="go">load</button>'));
  s.route('/many', (url) => {
    const n = Number(url.searchParams.get('n') ?? '300');
    const tag = url.searchParams.get('tag') ?? 'many';
    let body = '';
    for (let i = 0; i < n; i++) body += img(s, `d${i}.${tag}.${i % 2 === 0 ? 'v4' : 'v6'}.test`);
    return page(body);
  });
  s.route('/stream', (url) => {
    const six = Number(url.searchParams.get('six') ?? '0');
    const four = Number(url.searchParams.get('four') ?? '0');
    const tag = url.searchParams.get('tag') ?? 'live';
    return streamPage(s, { [`${tag}.v6.test`]: six, [`${tag}.v4.test`]: four });
  });
  s.route('/sw-page', () =>
    page(`<script>
      navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(async () => {
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
        const res = await fetch('${s.url('swasset.v6.test', '/via-worker.txt')}');
        document.title = 'sw ' + res.status;
      });
    </script>`),
  );
  s.route('/sw.js', () => ({
    type: 'text/javascript',
    body: `self.addEventListener('install', () => self.skipWaiting());
      self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
      self.addEventListener('fetch', (e) => { if (e.request.url.includes('swasset')) e.respondWith(fetch(e.request.url, { mode: 'cors' })); });`,
  }));
  s.route('/cacheable', () => page(img(s, 'cached.v4.test', '/c.png?cache=1') + img(s, 'cached.v6.test', '/c.png?cache=1')));
  s.route('/mapped', () => page(img(s, 'mapped.test')));
  // Fetched resources come from the HTTP cache on a reload (never from the renderer's memory cache).
  s.route('/reloadable', () =>
    page(`<script>
      Promise.all(${JSON.stringify([s.url('reload-a.v4.test', '/r.txt?cache=1'), s.url('reload-b.v6.test', '/r.txt?cache=1')])}
        .map((u) => fetch(u).then((r) => r.text())))
        .then(() => { document.title = 'fetched'; }, (e) => { document.title = 'failed: ' + e; });
    </script>`),
  );
}

async function load(url: string): Promise<{ tab: Page; tabId: number }> {
  const tab = await browser.context.newPage();
  await tab.goto(url, { waitUntil: 'load' });
  return { tab, tabId: await tabIdOf(browser, tab) };
}

async function rowsWhen(tabId: number, ready: (rows: PopupRow[]) => boolean, timeoutMs?: number): Promise<PopupRow[]> {
  const popup = await openPopup(browser, tabId);
  try {
    return await waitForRows(popup, ready, timeoutMs);
  } finally {
    await popup.close();
  }
}

async function actionTitle(tabId: number): Promise<string> {
  return (await currentWorker(browser)).evaluate((id: number) => chrome.action.getTitle({ tabId: id }), tabId);
}

const has = (domains: string[]) => (rows: PopupRow[]) => domains.every((d) => rowOf(rows, d)?.family !== '?' && rowOf(rows, d) !== undefined);

describe('capture in Chromium', () => {
  it('lists a mixed page with the family of each domain and the main page first', async () => {
    const { tab, tabId } = await load(server.url('mixed.v6.test', '/mixed'));
    const rows = await rowsWhen(tabId, has(['mixed.v6.test', 'img.mixed.v4.test', 'img.mixed.v6.test', 'js.mixed.v4.test']));
    expect(rows[0]).toEqual({ domain: 'mixed.v6.test', family: '6', requests: 1, address: '::1', addressClass: 'loopback' });
    expect(rowOf(rows, 'img.mixed.v4.test')).toEqual({ domain: 'img.mixed.v4.test', family: '4', requests: 1, address: '127.0.0.1', addressClass: 'loopback' });
    expect(rowOf(rows, 'img.mixed.v6.test')?.family).toBe('6');
    expect(rowOf(rows, 'js.mixed.v4.test')?.family).toBe('4');
    expect(rows).toHaveLength(4);
    const title = await actionTitle(tabId);
    expect(title).toContain('mixed.v6.test — ::1');
    expect(title).toContain('2 over IPv6, 2 over IPv4');
    await tab.close();
  });

  it('shows an IPv6-only page as IPv6 with its address in the popup header', async () => {
    const { tab, tabId } = await load(server.url('only6.v6.test', '/ipv6-only'));
    const rows = await rowsWhen(tabId, has(['only6.v6.test', 'a.only6.v6.test', 'b.only6.v6.test']));
    expect(rows.map((r) => r.family)).toEqual(['6', '6', '6']);
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('.main-address');
    expect(await popup.textContent('.main-address')).toContain('::1');
    expect(await popup.textContent('.summary')).toContain('3 domains: 3 over IPv6, 0 over IPv4');
    await popup.close();
    await tab.close();
  });

  it('moves the main domain to the target of a redirect and keeps the first hop listed', async () => {
    const { tab, tabId } = await load(server.url('start.v4.test', '/redirect'));
    expect(tab.url()).toContain('landing.v6.test');
    const rows = await rowsWhen(tabId, has(['start.v4.test', 'landing.v6.test', 'after-redirect.v4.test']));
    expect(rows[0]?.domain).toBe('landing.v6.test');
    expect(rowOf(rows, 'start.v4.test')).toEqual({ domain: 'start.v4.test', family: '4', requests: 1, address: '127.0.0.1', addressClass: 'loopback' });
    await tab.close();
  });

  it('starts afresh on a new top-level navigation, but not on history.pushState', async () => {
    const { tab, tabId } = await load(server.url('nav.v4.test', '/first'));
    await rowsWhen(tabId, has(['first-only.v4.test']));
    await tab.goto(server.url('nav.v6.test', '/second'), { waitUntil: 'load' });
    await tab.waitForURL(/\/second\/pushed$/);
    const rows = await rowsWhen(tabId, has(['nav.v6.test', 'second-only.v6.test']));
    expect(rowOf(rows, 'first-only.v4.test')).toBeUndefined();
    expect(rowOf(rows, 'nav.v4.test')).toBeUndefined();
    expect(rows[0]?.domain).toBe('nav.v6.test');
    await expect.poll(() => actionTitle(tabId), { timeout: 5_000 }).toMatch(/^nav\.v6\.test — ::1\n/);
    await tab.close();
  });

  it('opens as the toolbar popup on the active tab and lists all of its domains, not just the first screen', async () => {
    const { tab } = await load(server.url('toolbar.v6.test', '/many?n=120&tag=toolbar'));
    await rowsWhen(await tabIdOf(browser, tab), (rows) => rows.length === 121);
    await tab.bringToFront();
    const cdp = await CdpClient.connect(browser.userDataDir);
    const popup = await openToolbarPopup(browser, cdp);
    try {
      const rows = await waitForToolbarRows(popup, (r) => r.length === 121);
      expect(rows[0]).toEqual({ domain: 'toolbar.v6.test', family: '6', requests: 1, address: '::1', addressClass: 'loopback' });
      expect(rowOf(rows, 'd0.toolbar.v4.test')?.family).toBe('4');
      expect(rowOf(rows, 'd119.toolbar.v6.test')?.family).toBe('6');
      expect(await popup.evaluate<string>(`document.querySelector('.summary').textContent`)).toBe('121 domains: 61 over IPv6, 60 over IPv4');
      // The worker served it with its rows in, for the active tab it found itself (popupPage.ts).
      expect(await popup.evaluate<string>('document.documentElement.dataset.served')).toBe('prerendered');
    } finally {
      await popup.close();
      cdp.close();
      await tab.close();
    }
  });

  it('lists every one of 320 domains', async () => {
    const { tab, tabId } = await load(server.url('many.v6.test', '/many?n=320'));
    const rows = await rowsWhen(tabId, (r) => r.length >= 321 && r.every((row) => row.family !== '?'), 30_000);
    expect(rows).toHaveLength(321);
    expect(rows.filter((r) => r.family === '4')).toHaveLength(160);
    expect(rows.filter((r) => r.family === '6')).toHaveLength(161);
    await tab.close();
  });

  it('counts every segment of a live-stream-like page, updating an open popup', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(server.url('stream.v6.test', '/later'));
    const tabId = await tabIdOf(browser, tab);
    const popup = await openPopup(browser, tabId);
    await tab.goto(server.url('stream.v6.test', '/stream?tag=seg&six=400&four=250'));
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    expect(server.hits('seg.v6.test')).toBe(400);
    expect(server.hits('seg.v4.test')).toBe(250);
    const rows = await waitForRows(popup, (r) => rowOf(r, 'seg.v6.test')?.requests === 400 && rowOf(r, 'seg.v4.test')?.requests === 250);
    expect(rowOf(rows, 'seg.v6.test')?.family).toBe('6');
    expect(rowOf(rows, 'seg.v4.test')?.family).toBe('4');
    await popup.close();
    await tab.close();
  });

  it("attributes requests made by the page's own service worker to the tab", async () => {
    const { tab, tabId } = await load(server.url('sw.v4.test', '/sw-page'));
    await tab.waitForFunction(() => document.title === 'sw 200', undefined, { timeout: 30_000 });
    const rows = await rowsWhen(tabId, has(['sw.v4.test', 'swasset.v6.test']));
    expect(rowOf(rows, 'swasset.v6.test')?.family).toBe('6');
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('[data-domain="swasset.v6.test"] .flag-serviceWorker');
    await popup.close();
    await tab.close();
  });

  it('keeps its data when the browser stops the service worker, and goes on counting', async () => {
    const { tab, tabId } = await load(server.url('restart.v6.test', '/stream?tag=rs&six=30&four=20'));
    await tab.waitForFunction(() => document.title === 'done');
    await rowsWhen(tabId, (r) => rowOf(r, 'rs.v6.test')?.requests === 30 && rowOf(r, 'rs.v4.test')?.requests === 20);
    // Once storage holds the counts (the batch writer has run), stop every service worker as the browser would.
    await waitForStoredView(browser, tabId, (view) => storedRequests(view, 'rs.v6.test') === 30 && storedRequests(view, 'rs.v4.test') === 20);
    await (await currentWorker(browser)).evaluate(() => Object.assign(globalThis, { beforeStop: true }));
    await stopServiceWorkers(browser, tab);
    const afterStop = await rowsWhen(tabId, (r) => r.length > 0);
    // The popup woke a new worker: the marker set on the old one is gone.
    expect(await (await currentWorker(browser)).evaluate(() => 'beforeStop' in globalThis)).toBe(false);
    expect(rowOf(afterStop, 'rs.v6.test')).toEqual({ domain: 'rs.v6.test', family: '6', requests: 30, address: '::1', addressClass: 'loopback' });
    expect(rowOf(afterStop, 'rs.v4.test')).toEqual({ domain: 'rs.v4.test', family: '4', requests: 20, address: '127.0.0.1', addressClass: 'loopback' });
    // New requests after the restart add to the restored counts.
    await tab.evaluate(async (base: string) => {
      for (let n = 100; n < 110; n++) await (await fetch(`${base}?n=${n}`)).text();
    }, server.url('rs.v6.test', '/seg'));
    await rowsWhen(tabId, (r) => rowOf(r, 'rs.v6.test')?.requests === 40 && rowOf(r, 'rs.v4.test')?.requests === 20);
    await tab.close();
  });

  it('copies a value on click or Enter and labels rows and links when they are reached', async () => {
    const { tab, tabId } = await load(server.url('copy.v6.test', '/ipv6-only'));
    await rowsWhen(tabId, has(['copy.v6.test', 'a.only6.v6.test']));
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('[data-domain="copy.v6.test"]');
    const status = (): Promise<string> => popup.textContent('.copied').then((text) => text ?? '');
    // Enter on the focused first row copies its domain.
    await popup.focus('[data-domain="copy.v6.test"]');
    expect(await popup.getAttribute('[data-domain="copy.v6.test"]', 'aria-label')).toBe('copy.v6.test, IPv6, loopback');
    await popup.keyboard.press('Enter');
    await popup.waitForFunction(() => /copy\.v6\.test/.test(document.querySelector('.copied')?.textContent ?? ''));
    expect(await status()).toBe('Copied copy.v6.test');
    // A click on an address copies the address.
    await popup.click('[data-domain="a.only6.v6.test"] .address .copy');
    await popup.waitForFunction(() => (document.querySelector('.copied')?.textContent ?? '').includes('::1'));
    expect(await status()).toBe('Copied ::1');
    // Pointing at a row gives it, its class badge and its look-up links their tooltips.
    await popup.hover('[data-domain="a.only6.v6.test"] .domain .copy');
    expect(await popup.getAttribute('[data-domain="a.only6.v6.test"]', 'title')).toMatch(/\d\d:\d\d:\d\d/);
    expect(await popup.getAttribute('[data-domain="a.only6.v6.test"] .class', 'title')).toBe('Loopback: this machine itself.');
    expect(await popup.getAttribute('[data-domain="a.only6.v6.test"] .domain a.lookup', 'title')).toBe('Look up a.only6.v6.test on bgp.he.net');
    expect(await popup.getAttribute('[data-domain="a.only6.v6.test"] .domain a.lookup', 'href')).toBe('https://bgp.he.net/dns/a.only6.v6.test');
    // Out of the tab order (the grid's arrow keys reach it), in a new tab that cannot reach back.
    const linkAttributes = await popup.$eval('[data-domain="a.only6.v6.test"] .address a.lookup', (link) => [link.getAttribute('href'), link.getAttribute('tabindex'), link.getAttribute('target'), link.getAttribute('rel')]);
    expect(linkAttributes).toEqual(['https://bgp.he.net/ip/::1', '-1', '_blank', 'noopener noreferrer']);
    // Links come to the rows reached (pointed at, or focused from the keyboard), not to every row.
    expect(await popup.locator('[data-domain="a.only6.v6.test"] a.lookup').count()).toBe(2);
    expect(await popup.locator('[data-domain="copy.v6.test"] a.lookup').count()).toBe(2);
    expect(await popup.locator('[data-domain="b.only6.v6.test"] a.lookup').count()).toBe(0);
    await popup.close();
    await tab.close();
  });

  it('keeps two tabs apart', async () => {
    const first = await load(server.url('apart.v4.test', '/mixed'));
    const second = await load(server.url('apart.v6.test', '/ipv6-only'));
    const rowsA = await rowsWhen(first.tabId, has(['apart.v4.test', 'img.mixed.v6.test']));
    const rowsB = await rowsWhen(second.tabId, has(['apart.v6.test', 'a.only6.v6.test']));
    expect(rowOf(rowsA, 'apart.v6.test')).toBeUndefined();
    expect(rowOf(rowsA, 'a.only6.v6.test')).toBeUndefined();
    expect(rowOf(rowsB, 'apart.v4.test')).toBeUndefined();
    expect(rowOf(rowsB, 'img.mixed.v4.test')).toBeUndefined();
    await first.tab.close();
    await second.tab.close();
  });

  it('shows cached responses with their address and the cache flag', async () => {
    const warm = await load(server.url('cache.v6.test', '/cacheable'));
    await rowsWhen(warm.tabId, has(['cached.v4.test', 'cached.v6.test']));
    await warm.tab.close();
    const servedBefore = server.hits('cached.v4.test') + server.hits('cached.v6.test');
    // A new tab (new renderer memory) is served from the HTTP cache, which still has the address.
    const { tab, tabId } = await load(server.url('cache.v6.test', '/cacheable'));
    const rows = await rowsWhen(tabId, has(['cached.v4.test', 'cached.v6.test']));
    expect(server.hits('cached.v4.test') + server.hits('cached.v6.test')).toBe(servedBefore);
    expect(rowOf(rows, 'cached.v4.test')?.family).toBe('4');
    expect(rowOf(rows, 'cached.v6.test')?.family).toBe('6');
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('[data-domain="cached.v4.test"] .flag-cache');
    expect(await popup.getAttribute('[data-domain="cached.v4.test"]', 'data-address')).toBe('127.0.0.1');
    await popup.close();
    await tab.close();
  });

  it('after a reload served from the HTTP cache, lists the cached domains afresh with their address and the cache flag', async () => {
    const { tab, tabId } = await load(server.url('reload.v6.test', '/reloadable'));
    await tab.waitForFunction(() => document.title === 'fetched');
    const warm = await rowsWhen(tabId, has(['reload-a.v4.test', 'reload-b.v6.test']));
    expect(rowOf(warm, 'reload.v6.test')?.requests).toBe(1);
    const servedBefore = server.hits('reload-a.v4.test') + server.hits('reload-b.v6.test');
    const pagesBefore = server.hits('reload.v6.test');

    await expect.poll(() => actionTitle(tabId), { timeout: 5_000 }).toMatch(/^reload\.v6\.test — ::1\n/);
    await tab.reload({ waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'fetched');
    // The browser clears the tab's action title and icon on the new document; the same page means
    // the same title, which IPvLens must send again all the same.
    await expect.poll(() => actionTitle(tabId), { timeout: 5_000 }).toMatch(/^reload\.v6\.test — ::1\n/);
    expect(server.hits('reload.v6.test')).toBe(pagesBefore + 1);
    expect(server.hits('reload-a.v4.test') + server.hits('reload-b.v6.test')).toBe(servedBefore);
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('[data-domain="reload-a.v4.test"] .flag-cache');
    await popup.waitForSelector('[data-domain="reload-b.v6.test"] .flag-cache');
    const rows = await readRows(popup);
    // A reload is a new page view: counts start again from this load.
    expect(rowOf(rows, 'reload.v6.test')).toEqual({ domain: 'reload.v6.test', family: '6', requests: 1, address: '::1', addressClass: 'loopback' });
    expect(rowOf(rows, 'reload-a.v4.test')).toEqual({ domain: 'reload-a.v4.test', family: '4', requests: 1, address: '127.0.0.1', addressClass: 'loopback' });
    expect(rowOf(rows, 'reload-b.v6.test')).toEqual({ domain: 'reload-b.v6.test', family: '6', requests: 1, address: '::1', addressClass: 'loopback' });
    expect(await popup.getAttribute('[data-domain="reload-a.v4.test"]', 'data-address')).toBe('127.0.0.1');
    expect(await popup.getAttribute('[data-domain="reload-b.v6.test"]', 'data-address')).toBe('::1');
    await popup.close();
    await tab.close();
  });

  it('shows an IPv4-mapped peer as the IPv4 server it is', async () => {
    const { tab, tabId } = await load(server.url('mapped-page.v6.test', '/mapped'));
    const rows = await rowsWhen(tabId, has(['mapped.test']));
    expect(rowOf(rows, 'mapped.test')?.family).toBe('4');
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('[data-domain="mapped.test"]');
    expect(await popup.getAttribute('[data-domain="mapped.test"]', 'data-address')).toBe('127.0.0.2');
    expect(await popup.getAttribute('[data-domain="mapped.test"]', 'data-class')).toBe('ipv4-mapped');
    await popup.close();
    await tab.close();
  });

  it('says a browser page has nothing to show', async () => {
    const tab = await browser.context.newPage();
    await tab.goto('about:blank');
    // chrome://version is a browser page: nothing went over the network.
    await tab.goto('chrome://version');
    const worker = await currentWorker(browser);
    const tabId = await worker.evaluate(async () => (await chrome.tabs.query({})).find((t) => t.url === undefined || t.url.startsWith('chrome://'))?.id);
    expect(tabId).toBeDefined();
    const popup = await openPopup(browser, tabId ?? -1);
    await popup.waitForSelector('.message h1');
    expect(await popup.textContent('.message h1')).toBe('Nothing to show');
    expect(await readRows(popup)).toHaveLength(0);
    await popup.close();
    await tab.close();
  });

  it('asks a tab that loaded before the extension to be reloaded, then shows what it loads later', async () => {
    const { tab, tabId } = await load(server.url('before.v6.test', '/later'));
    await rowsWhen(tabId, has(['before.v6.test']));
    // What an extension update does to a running page: its session state is gone and its worker
    // starts anew. (chrome.runtime.reload() does not bring an unpacked extension back headless.)
    await (await currentWorker(browser)).evaluate(() => chrome.storage.session.clear());
    await stopServiceWorkers(browser, tab);
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('.message h1');
    expect(await popup.textContent('.message h1')).toBe('Reload the page');
    await tab.evaluate(async (url: string) => (await fetch(url)).text(), server.url('after.v4.test', '/seg'));
    await waitForRows(popup, (r) => rowOf(r, 'after.v4.test')?.family === '4');
    // The page's URL is asked of the tab once the first request arrives: one batch later.
    await popup.waitForFunction(() => document.querySelector('h1')?.textContent === 'before.v6.test');
    expect(await popup.textContent('.notice')).toContain('loaded before IPvLens started');
    await popup.close();
    await tab.close();
  });
});
