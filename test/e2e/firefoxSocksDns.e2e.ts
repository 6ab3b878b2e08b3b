/**
 * Firefox behind a SOCKS5 proxy that resolves the names itself (the test's own, on loopback), with
 * the DNS check on: no name the proxy resolved is asked of browser.dns. The firefox-test build
 * logs every name it asks (platform/dns.ts), read here through the background page. Positive
 * controls: a host the proxy is told to leave alone is asked in the same run, and with the proxy
 * off the same page's names (reached over IPv4) are all asked.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceSettingsOf, type DeviceSettings } from '../../src/core/settings/deviceSettings';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';
import { pollRows } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { inExtension, launchFirefoxWithExtension, openExtensionPage, type ExtensionFirefox } from '../support/firefox';
import { startSocksProxy, type SocksProxy } from '../support/socksProxy';
import { img, page } from './fixtures';

const MAIN = 'socks-main.localtest';
const PROXIED = ['a.socks.localtest', 'b.socks.localtest'];
/** Loaded after the others, never through the proxy: once it is asked, the check has seen them all. */
const DIRECT = 'direct.socks-control.localtest';

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/blank', () => page(''));
  // The direct host's image is added once the others have loaded, so it answers last.
  server.route('/page', () =>
    page(
      PROXIED.map((host) => img(server, host)).join('') +
        `<script>
          Promise.all([...document.images].map((i) => i.complete ? undefined : new Promise((r) => { i.onload = i.onerror = r; })))
            .then(() => { const last = new Image(); last.src = ${JSON.stringify(server.url(DIRECT, '/last.png'))}; last.onload = last.onerror = () => { document.title = 'done'; }; document.body.append(last); });
        </script>`,
    ),
  );
});

afterAll(async () => {
  await server?.close();
});

/** The names the background asked of browser.dns so far (the test build's log). */
function dnsLookups(control: Page): Promise<string[]> {
  return inExtension(control, async () => [...((await browser.runtime.getBackgroundPage()) as { __ipvlensDnsLookups?: string[] } | null)?.__ipvlensDnsLookups ?? []], undefined);
}

describe.each([
  { proxied: true, asked: [DIRECT] },
  { proxied: false, asked: [DIRECT, MAIN, ...PROXIED] },
])('DNS check on, SOCKS proxy with proxy-side DNS $proxied', ({ proxied, asked }) => {
  let socks: SocksProxy;
  let firefox: ExtensionFirefox;
  let control: Page;

  beforeAll(async () => {
    socks = await startSocksProxy();
    const proxyPrefs = {
      'network.proxy.type': 1,
      'network.proxy.socks': '127.0.0.1',
      'network.proxy.socks_port': socks.port,
      'network.proxy.socks_version': 5,
      'network.proxy.socks_remote_dns': true,
      // Firefox never proxies loopback unless told to; the control page and host go direct.
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.no_proxies_on': `127.0.0.1, ${DIRECT}`,
    };
    // Only names Firefox resolves itself are given to it: behind the proxy, the proxy alone knows the others.
    firefox = await launchFirefoxWithExtension({ localDomains: proxied ? [DIRECT] : [DIRECT, MAIN, ...PROXIED], prefs: proxied ? proxyPrefs : {} });
    control = await openExtensionPage(firefox, server.url('127.0.0.1', '/blank'), 'src/options/index.html');
    await inExtension(control, (deviceSettings: DeviceSettings) => chrome.storage.local.set({ deviceSettings }), { ...deviceSettingsOf(DEFAULT_SETTINGS), dnsIpv6Check: true });
  });

  afterAll(async () => {
    await firefox?.close();
    await socks?.close();
  });

  it(proxied ? 'asks browser.dns about none of the names the proxy resolved' : 'asks browser.dns about every name reached over IPv4 (control)', async () => {
    const tab = await firefox.browser.newPage();
    await tab.goto(server.url(MAIN, '/page'), { waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'done');
    const [seen] = await pollRows(async () => [await dnsLookups(control)], ([names]) => names!.includes(DIRECT), 20_000, 150);
    const pageNames = [DIRECT, MAIN, ...PROXIED];
    expect(seen!.filter((name) => pageNames.includes(name)).sort()).toEqual([...asked].sort());
    // Behind the proxy, Firefox really sent it the names (it resolved none of them itself).
    const byName = socks.requests().filter((request) => request.byName && pageNames.includes(request.host)).map((request) => request.host);
    if (proxied) expect([...new Set(byName)].sort()).toEqual([MAIN, ...PROXIED].sort());
    else expect(byName).toEqual([]);
    await tab.close();
  });
});
