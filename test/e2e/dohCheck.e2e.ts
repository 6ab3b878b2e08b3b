/**
 * The DNS check in Chromium, through a DNS-over-HTTPS resolver: a local responder the test starts
 * (dohResponder.ts) answers AAAA for one host the page reached over IPv4, none for another, fails
 * with an HTTP error for a third and never answers a fourth. With the check off it is asked
 * nothing; turned on in the options page with its URL, it is asked each of the page's IPv4 hosts
 * once, and the rows say "IPv6 available, not used", nothing, and "DNS look-up failed" (twice).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PageView } from '../../src/core/tab/model';
import { extensionPageUrl, launchWithExtension, openPopup, tabIdOf, waitForRows, rowOf, type ExtensionBrowser } from '../support/chromium';
import { startDohResponder, type DohBehaviour, type DohResponder } from '../support/dohResponder';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { img, page } from './fixtures';
import { waitForStoredView } from './storedState';

const PAGE_HOST = 'doh-page.v6.test';
/** The page's IPv4 hosts and what the responder does when asked about each. */
const ANSWERS: Record<string, DohBehaviour> = {
  'aaaa.doh.v4.test': { aaaa: ['2001:db8::64'] },
  'none.doh.v4.test': { aaaa: [] },
  'error.doh.v4.test': { status: 503 },
  'slow.doh.v4.test': 'hang',
};
const IPV4_HOSTS = Object.keys(ANSWERS).sort();
/** The host of the page loaded with the check off: never to be asked about. */
const QUIET_HOST = 'quiet.doh.v4.test';

let server: FixtureServer;
let doh: DohResponder;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/off', () => page(img(server, QUIET_HOST)));
  server.route('/on', () => page(IPV4_HOSTS.map((host) => img(server, host)).join('')));
  doh = await startDohResponder((name) => ANSWERS[name] ?? { aaaa: [] });
  browser = await launchWithExtension({ extraArgs: [doh.chromiumFlag] });
});

afterAll(async () => {
  await browser?.close();
  await doh?.close();
  await server?.close();
});

/** Loads a page in a new tab and waits until the worker has stored its hosts, each with an address. */
async function loadPage(path: string, hosts: string[]): Promise<{ tab: Page; tabId: number }> {
  const tab = await browser.context.newPage();
  await tab.goto(server.url(PAGE_HOST, path), { waitUntil: 'load' });
  const tabId = await tabIdOf(browser, tab);
  await waitForStoredView(browser, tabId, (view) => hosts.every((host) => view?.domains.get(host)?.primary !== undefined));
  return { tab, tabId };
}

const settled = (view: PageView | undefined, host: string): boolean => view?.domains.get(host)?.dnsIpv6 !== undefined || view?.domains.get(host)?.dnsLookupFailed === true;

it('asks the resolver nothing with the check off; on, asks each IPv4 host of a page once and shows the answers', async () => {
  const options = await browser.context.newPage();
  await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
  // The resolver is chosen while the check is still off (off by default).
  expect(await options.isChecked('#dns-ipv6-check')).toBe(false);
  expect(await options.textContent('#dns-check-this-device')).toContain('kept on this device only, never synced');
  await options.check('#doh-custom');
  await options.fill('#doh-url', doh.url);
  await options.waitForSelector(`#doh-sends[data-doh-url="${doh.url}"]`);
  expect(await options.textContent('#doh-sends')).toContain(`to ${doh.url}`);

  // Off: the page's IPv4 host is recorded, and the responder hears nothing.
  const off = await loadPage('/off', [QUIET_HOST]);
  const offPopup = await openPopup(browser, off.tabId);
  await waitForRows(offPopup, (rows) => rowOf(rows, QUIET_HOST)?.family === '4');
  expect(doh.asked()).toEqual([]);
  await offPopup.close();
  await off.tab.close();

  // On (the positive control): exactly the new page's IPv4 hosts are asked, once each.
  await options.check('#dns-ipv6-check');
  // The check and its resolver stay on this device (storage.local); the synced settings hold the rest.
  await expect.poll(() => options.evaluate(async () => (await chrome.storage.local.get('deviceSettings')).deviceSettings)).toStrictEqual({ dnsIpv6Check: true, dohResolver: 'custom', dohCustomUrl: doh.url });
  const syncedFields = await options.evaluate(async () => Object.keys(((await chrome.storage.sync.get('settings')).settings ?? {})));
  expect(syncedFields).toContain('iconStyle');
  expect(syncedFields.filter((field) => ['dnsIpv6Check', 'dohResolver', 'dohCustomUrl'].includes(field))).toEqual([]);
  const on = await loadPage('/on', IPV4_HOSTS);
  // The hanging host settles when the extension gives up on it (its timeout).
  const view = await waitForStoredView(browser, on.tabId, (stored) => IPV4_HOSTS.every((host) => settled(stored, host)), 20_000);
  expect(doh.asked().sort()).toEqual(IPV4_HOSTS);
  // The resolver's own request belongs to no page: the page's domains are its own.
  expect([...(view?.domains.keys() ?? [])].sort()).toEqual([PAGE_HOST, ...IPV4_HOSTS].sort());

  // "None" is an answer (no AAAA); an error or a timeout is no evidence, kept apart from it.
  const evidence = (host: string) => ({ dnsIpv6: view?.domains.get(host)?.dnsIpv6, failed: view?.domains.get(host)?.dnsLookupFailed });
  expect(IPV4_HOSTS.map((host) => [host, evidence(host)])).toEqual([
    ['aaaa.doh.v4.test', { dnsIpv6: ['2001:db8::64'], failed: undefined }],
    ['error.doh.v4.test', { dnsIpv6: undefined, failed: true }],
    ['none.doh.v4.test', { dnsIpv6: [], failed: undefined }],
    ['slow.doh.v4.test', { dnsIpv6: undefined, failed: true }],
  ]);

  const popup = await openPopup(browser, on.tabId);
  await waitForRows(popup, (rows) => IPV4_HOSTS.every((host) => rowOf(rows, host)?.family === '4'));
  const flags = async (host: string) => ({
    ipv6NotUsed: await popup.locator(`[data-domain="${host}"] [data-ipv6-not-used]`).evaluateAll((els) => els.map((el) => el.getAttribute('data-ipv6-not-used'))),
    failed: await popup.locator(`[data-domain="${host}"] [data-dns-lookup-failed]`).count(),
  });
  expect(await flags('aaaa.doh.v4.test')).toEqual({ ipv6NotUsed: ['2001:db8::64'], failed: 0 });
  expect(await flags('none.doh.v4.test')).toEqual({ ipv6NotUsed: [], failed: 0 });
  expect(await flags('error.doh.v4.test')).toEqual({ ipv6NotUsed: [], failed: 1 });
  expect(await flags('slow.doh.v4.test')).toEqual({ ipv6NotUsed: [], failed: 1 });
  // The evidence gives each host its readiness: AAAA → published, none → ipv4-only, no answer → unknown.
  const readiness = (host: string) => popup.locator(`[data-domain="${host}"]`).first().getAttribute('data-readiness');
  expect(await Promise.all(IPV4_HOSTS.map(async (host) => [host, await readiness(host)]))).toEqual([
    ['aaaa.doh.v4.test', 'published'],
    ['error.doh.v4.test', 'unknown'],
    ['none.doh.v4.test', 'ipv4-only'],
    ['slow.doh.v4.test', 'unknown'],
  ]);
  // One host has no AAAA records: the page is not ready for an IPv6-only network.
  expect(await popup.locator('[data-verdict]').getAttribute('data-verdict')).toBe('not-ready');
  expect(doh.asked().sort()).toEqual(IPV4_HOSTS);
  await popup.close();
  await on.tab.close();
  await options.close();
});
