/**
 * Why IPv4? in Chromium, from real evidence: the page comes over ::1 (native IPv6, this browser's
 * proof that IPv6 works here), the DNS check asks the test's DNS-over-HTTPS responder about its
 * IPv4 hosts. A host with no AAAA reads `no-aaaa`, one that publishes AAAA yet answered over
 * IPv4 within the same minute as the page's IPv6 answer reads `fallback`, an IPv4 literal
 * `literal`; the page's own IPv6 row has no data-reason (the control). The fallback survives a
 * worker stop: the evidence is kept in storage.session.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { extensionPageUrl, launchWithExtension, openPopup, rowOf, stopServiceWorkers, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import { startDohResponder, type DohResponder } from '../support/dohResponder';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { img, page } from './fixtures';
import { waitForStoredView } from './storedState';

const PAGE_HOST = 'reason-page.v6.test';
const NO_AAAA = 'none.reason.v4.test';
const FALLBACK = 'aaaa.reason.v4.test';
const LITERAL = '127.0.0.1';

let server: FixtureServer;
let doh: DohResponder;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/why', () => page([NO_AAAA, FALLBACK, LITERAL].map((host) => img(server, host)).join('')));
  doh = await startDohResponder((name) => (name === FALLBACK ? { aaaa: ['2001:db8::64'] } : { aaaa: [] }));
  browser = await launchWithExtension({ extraArgs: [doh.chromiumFlag] });
});

afterAll(async () => {
  await browser?.close();
  await doh?.close();
  await server?.close();
});

it('each IPv4 row says why, from the DNS answer, the literal and IPv6 reached here; the IPv6 row says nothing', async () => {
  const options = await browser.context.newPage();
  await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
  await options.check('#doh-custom');
  await options.fill('#doh-url', doh.url);
  await options.waitForSelector(`#doh-sends[data-doh-url="${doh.url}"]`);
  await options.check('#dns-ipv6-check');
  await expect.poll(() => options.evaluate(async () => (await chrome.storage.local.get('deviceSettings')).deviceSettings)).toStrictEqual({ dnsIpv6Check: true, dohResolver: 'custom', dohCustomUrl: doh.url });

  const tab = await browser.context.newPage();
  await tab.goto(server.url(PAGE_HOST, '/why'), { waitUntil: 'load' });
  const tabId = await tabIdOf(browser, tab);
  // Both named IPv4 hosts answered by the resolver (the literal is never asked).
  await waitForStoredView(browser, tabId, (view) => [NO_AAAA, FALLBACK].every((host) => view?.domains.get(host)?.dnsIpv6 !== undefined), 20_000);

  const popup = await openPopup(browser, tabId);
  await waitForRows(popup, (rows) => [NO_AAAA, FALLBACK, LITERAL].every((host) => rowOf(rows, host)?.family === '4') && rowOf(rows, PAGE_HOST)?.family === '6');
  const reasonOf = (host: string) => popup.locator(`[role="row"][data-domain="${host}"]`).getAttribute('data-reason');
  await expect.poll(() => reasonOf(FALLBACK)).toBe('fallback');
  expect(await reasonOf(NO_AAAA)).toBe('no-aaaa');
  expect(await reasonOf(LITERAL)).toBe('literal');
  // Control: the page's host answered over ::1 has no reason at all.
  expect(await reasonOf(PAGE_HOST)).toBeNull();
  // The word is in the row, its sentence on hover.
  const badge = popup.locator(`[role="row"][data-domain="${FALLBACK}"] .reason`);
  expect(await badge.textContent()).toBe('fallback');
  expect(await badge.getAttribute('title')).toContain('IPv6 published but not used');
  await popup.close();

  // The browser stops the idle worker: the evidence that IPv6 worked here comes back with the tabs.
  await stopServiceWorkers(browser, tab);
  const again = await openPopup(browser, tabId);
  await waitForRows(again, (rows) => rowOf(rows, FALLBACK)?.family === '4');
  expect(await again.locator(`[role="row"][data-domain="${FALLBACK}"]`).getAttribute('data-reason')).toBe('fallback');
  expect(await again.locator(`[role="row"][data-domain="${PAGE_HOST}"]`).getAttribute('data-reason')).toBeNull();
  await again.close();
  await tab.close();
  await options.close();
});
