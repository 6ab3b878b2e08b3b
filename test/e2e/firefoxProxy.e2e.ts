/**
 * Firefox behind the same local HTTP proxy as proxy.e2e.ts (issue #17). Firefox says per request
 * which proxy it went through (proxyInfo): every row carries `data-proxy="127.0.0.1:<port>"`,
 * the header says the addresses are the proxy's, and the shares count those requests as unknown,
 * never as the server's family. Hosts in `no_proxies_on` are the positive control.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollRows } from '../support/chromium';
import { inExtension, launchFirefoxWithExtension, openExtensionPage, type ExtensionFirefox } from '../support/firefox';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy';
import { img, page } from './fixtures';

const MAIN = 'proxied.v6.test';
const OTHERS = ['a.proxied.v6.test', 'b.proxied.v4.test', 'c.proxied.v4.test'];
const CONTROL_MAIN = 'direct-a.localtest';
const CONTROL_OTHER = 'direct-b.localtest';

let server: FixtureServer;
let proxy: ForwardProxy;
let firefox: ExtensionFirefox;
let control: Page;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/blank', () => page(''));
  server.route('/proxied', () => page(OTHERS.map((host) => img(server, host)).join('')));
  server.route('/control', () => page(img(server, CONTROL_OTHER)));
  proxy = await startForwardProxy();
  firefox = await launchFirefoxWithExtension({
    localDomains: [CONTROL_MAIN, CONTROL_OTHER],
    prefs: {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': proxy.port,
      // Firefox never proxies loopback unless told to; the control hosts alone go direct.
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.no_proxies_on': `${CONTROL_MAIN}, ${CONTROL_OTHER}`,
    },
  });
  control = await openExtensionPage(firefox, server.url('127.0.0.1', '/blank'), 'src/options/index.html');
});

afterAll(async () => {
  await firefox?.close();
  await proxy?.close();
  await server?.close();
});

async function load(url: string): Promise<number> {
  const tab = await firefox.browser.newPage();
  await tab.goto(url, { waitUntil: 'load' });
  const id = await inExtension(control, async (target: string) => (await chrome.tabs.query({})).find((t) => t.url === target)?.id, url);
  if (id === undefined) throw new Error(`no tab found for ${url}`);
  return id;
}

interface Seen {
  rows: Record<string, { family: string; proxy: string | null; address: string }>;
  notice: string | null;
  noticeText: string;
  domains: { v6: number; v4: number; unknown: number } | null;
  requests: { v6: number; v4: number; unknown: number } | null;
  verdict: string | undefined;
}

function readSeen(popup: Page): Promise<Seen> {
  return popup.evaluate(() => {
    const share = (name: string) => {
      const el = document.querySelector<HTMLElement>(`[data-share="${name}"]`);
      return el === null ? null : { v6: Number(el.dataset.v6), v4: Number(el.dataset.v4), unknown: Number(el.dataset.unknown) };
    };
    const notice = document.querySelector<HTMLElement>('[data-page-proxy]');
    return {
      rows: Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('[role="row"][data-domain]')].map((row) => [
          row.dataset.domain ?? '',
          { family: row.dataset.family ?? '', proxy: row.getAttribute('data-proxy'), address: row.dataset.address ?? '' },
        ]),
      ),
      notice: notice?.dataset.pageProxy ?? null,
      noticeText: notice?.textContent ?? '',
      domains: share('domains'),
      requests: share('requests'),
      verdict: document.querySelector<HTMLElement>('[data-verdict]')?.dataset.verdict,
    };
  });
}

async function popupFor(tabId: number, ready: (seen: Seen) => boolean): Promise<Seen> {
  const popup = await openExtensionPage(firefox, server.url('127.0.0.1', '/blank'), `src/popup/index.html?tabId=${tabId}`);
  const [seen] = await pollRows(async () => [await readSeen(popup)], ([s]) => s !== undefined && ready(s), 20_000, 150);
  if (seen === undefined) throw new Error('nothing read');
  return seen;
}

describe('Firefox behind an HTTP proxy', () => {
  it('marks each row with the proxy it reported, says so in the header, and counts none of it as the server’s family; hosts it bypasses are not marked', async () => {
    const tabId = await load(server.url(MAIN, '/proxied'));
    const all = [MAIN, ...OTHERS];
    const carried = new Set(proxy.forwarded().map((entry) => entry.host));
    expect(all.filter((host) => !carried.has(host))).toEqual([]);

    const seen = await popupFor(tabId, (s) => Object.keys(s.rows).length === all.length && s.notice !== null && s.domains?.unknown === all.length);
    expect(seen.notice).toBe('reported');
    expect(seen.noticeText).toBe('Requests went through a proxy: addresses are the proxy\'s');
    for (const host of all) expect(seen.rows[host], host).toMatchObject({ proxy: proxy.endpoint, family: '?', address: '127.0.0.1' });
    expect(seen.domains).toEqual({ v6: 0, v4: 0, unknown: all.length });
    expect(seen.requests?.v4).toBe(0);
    expect(seen.requests?.v6).toBe(0);
    // A proxied answer proves nothing for an IPv6-only client: unknown, not ready or not.
    expect(seen.verdict).toBe('unknown');

    // Positive control: hosts in no_proxies_on answer directly, with their family and no mark.
    const controlTab = await load(server.url(CONTROL_MAIN, '/control'));
    const direct = await popupFor(controlTab, (s) => Object.keys(s.rows).length === 2 && s.domains !== null && s.domains.unknown === 0);
    for (const host of [CONTROL_MAIN, CONTROL_OTHER]) {
      expect(direct.rows[host]?.proxy, host).toBeNull();
      expect(['4', '6'], host).toContain(direct.rows[host]?.family);
    }
    expect(direct.notice).toBeNull();
    expect((direct.domains?.v4 ?? 0) + (direct.domains?.v6 ?? 0)).toBe(2);
    expect(proxy.forwarded().some((entry) => entry.host.startsWith('direct-'))).toBe(false);
  });

  it('the options page has no proxy check: Firefox reports each request’s proxy', async () => {
    // Positive control: the options page is drawn (its DNS-check section is there).
    expect(await control.$('#dns-check')).not.toBeNull();
    expect(await control.$('#proxy-check-button')).toBeNull();
  });
});
