/**
 * Chromium behind a local HTTP proxy (issue #17). Chrome reports the proxy's address for every
 * request and says nothing of the proxy itself, so a page whose ten domains all answer from the
 * proxy's loopback address is marked "proxy suspected" — a mark only. A page on hosts the proxy is
 * told to bypass is the positive control: real families, no mark, and the proxy never saw it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionPageUrl, launchWithExtension, openPopup, openReportPage, pollRows, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { startForwardProxy, type ForwardProxy } from '../support/forwardProxy';
import { img, page } from './fixtures';

const MAIN = 'proxied.v6.test';
// Nine more hosts of both families: through the proxy, every one answers from 127.0.0.1.
const OTHERS = ['a.proxied.v6.test', 'b.proxied.v6.test', 'c.proxied.v6.test', 'd.proxied.v6.test', 'e.proxied.v4.test', 'f.proxied.v4.test', 'g.proxied.v4.test', 'h.proxied.v4.test', 'i.proxied.v4.test'];
const CONTROL_MAIN = 'control.direct.v6.test';
const CONTROL_OTHER = 'img.direct.v4.test';

let server: FixtureServer;
let proxy: ForwardProxy;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/proxied', () => page(OTHERS.map((host) => img(server, host)).join('')));
  server.route('/control', () => page(img(server, CONTROL_OTHER)));
  proxy = await startForwardProxy();
  browser = await launchWithExtension({
    extraArgs: [
      `--proxy-server=http://${proxy.endpoint}`,
      // Chromium bypasses the proxy for loopback by default; "<-loopback>" takes that rule away.
      // The control page's hosts bypass it.
      '--proxy-bypass-list=<-loopback>;*.direct.v6.test;*.direct.v4.test',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.close();
});

interface Seen {
  rows: Record<string, { family: string; proxy: string | null; address: string }>;
  notice: string | null;
  noticeText: string;
}

/** The rows' family, address and data-proxy, and the page's proxy notice (popup or report page). */
function readSeen(on: Page, rows: string): Promise<Seen> {
  return on.evaluate((selector: string) => {
    const notice = document.querySelector<HTMLElement>('[data-page-proxy]');
    return {
      rows: Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>(selector)].map((row) => [
          row.dataset.domain ?? '',
          { family: row.dataset.family ?? '', proxy: row.getAttribute('data-proxy'), address: row.dataset.address ?? '' },
        ]),
      ),
      notice: notice?.dataset.pageProxy ?? null,
      noticeText: notice?.textContent ?? '',
    };
  }, rows);
}

async function waitForSeen(on: Page, rows: string, ready: (seen: Seen) => boolean): Promise<Seen> {
  const [seen] = await pollRows(async () => [await readSeen(on, rows)], ([s]) => s !== undefined && ready(s), 20_000, 150);
  if (seen === undefined) throw new Error('nothing read');
  return seen;
}

async function visit(host: string, path: string): Promise<number> {
  const tab = await browser.context.newPage();
  await tab.goto(server.url(host, path), { waitUntil: 'load' });
  return tabIdOf(browser, tab);
}

describe('Chromium behind an HTTP proxy', () => {
  it('marks every row of a ten-domain page answered from the proxy as suspected, and the header says so; a bypassed page is not marked', async () => {
    const tabId = await visit(MAIN, '/proxied');
    const all = [MAIN, ...OTHERS];
    // The proxy really carried every host of the page.
    const carried = new Set(proxy.forwarded().map((entry) => entry.host));
    expect(all.filter((host) => !carried.has(host))).toEqual([]);

    const popup = await openPopup(browser, tabId);
    const seen = await waitForSeen(popup, '[role="row"][data-domain]', (s) => Object.keys(s.rows).length === all.length && s.notice !== null);
    expect(seen.notice).toBe('suspected');
    expect(seen.noticeText).toContain('Addresses may be a proxy');
    expect(seen.noticeText).toContain('127.0.0.1');
    for (const host of all) {
      expect(seen.rows[host], host).toMatchObject({ proxy: 'suspected', address: '127.0.0.1' });
      // Nothing is shown as the server's own family: the IPv6 hosts' server family (6) never appears.
      expect(seen.rows[host]?.family, host).not.toBe('6');
    }

    // The report page's rows carry the same mark.
    const report = await openReportPage(browser, tabId);
    const reported = await waitForSeen(report, 'tbody tr[data-domain]', (s) => Object.keys(s.rows).length === all.length);
    expect(Object.values(reported.rows).map((row) => row.proxy)).toEqual(Array<string>(all.length).fill('suspected'));
    expect(reported.notice).toBe('suspected');

    // Positive control, same browser: hosts that bypass the proxy show their servers' families and no mark.
    const controlTab = await visit(CONTROL_MAIN, '/control');
    const controlPopup = await openPopup(browser, controlTab);
    const control = await waitForSeen(controlPopup, '[role="row"][data-domain]', (s) => Object.keys(s.rows).length === 2);
    expect(control.rows[CONTROL_MAIN]).toEqual({ family: '6', proxy: null, address: '::1' });
    expect(control.rows[CONTROL_OTHER]).toEqual({ family: '4', proxy: null, address: '127.0.0.1' });
    expect(control.notice).toBeNull();
    expect(proxy.forwarded().some((entry) => entry.host.includes('.direct.'))).toBe(false);
  });

  it('the options offer to check the proxy settings, and read nothing before the user asks', async () => {
    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    await options.waitForSelector('#proxy-check-button', { timeout: 10_000 });
    expect(await options.textContent('#proxy-check-button')).toBe('Check my proxy settings');
    // Not granted: no mode read, and the permission is only optional.
    expect(await options.$('[data-proxy-mode]')).toBeNull();
    expect(await browser.worker.evaluate(`chrome.permissions.contains({ permissions: ['proxy'] })`)).toBe(false);
    expect(await browser.worker.evaluate(`chrome.runtime.getManifest().optional_permissions`)).toEqual(['proxy']);
  });
});
