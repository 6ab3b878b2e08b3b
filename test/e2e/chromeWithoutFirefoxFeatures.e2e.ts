/**
 * What is Firefox-only stays out of Chrome: no address memory, no HTTP version (Chrome's status
 * line cannot be trusted), the DNS check through a DNS-over-HTTPS resolver instead of the
 * browser's (off until turned on), and no host-access prompt.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { currentWorker, extensionPageUrl, launchWithExtension, openPopup, tabIdOf, waitForRows, rowOf, type ExtensionBrowser } from '../support/chromium';
import { img, page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/plain', () => page(img(server, 'img.plain.v4.test')));
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('keeps no address memory, shows no HTTP version and asks for no access', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(server.url('plain.v6.test', '/plain'), { waitUntil: 'load' });
  const popup = await openPopup(browser, await tabIdOf(browser, tab));
  await waitForRows(popup, (rows) => rowOf(rows, 'img.plain.v4.test')?.family === '4');
  // The first badge is the host's reason for IPv4 (no DNS check here: no evidence), not a flag.
  expect(await popup.locator('[data-domain="img.plain.v4.test"] .flags .flag:not(.reason)').allTextContents()).toEqual(['HTTP']);
  expect(await popup.locator('[role="row"][data-domain="img.plain.v4.test"]').getAttribute('data-reason')).toBe('unknown');
  expect(await popup.locator('#allow-host-access').count()).toBe(0);
  const keys = await (await currentWorker(browser)).evaluate(async () => Object.keys(await chrome.storage.session.get(null)));
  expect(keys.filter((key) => key.startsWith('a:'))).toEqual([]);
  await popup.close();
  await tab.close();
});

it('offers the DNS check through a DNS-over-HTTPS resolver, off, saying where names would go', async () => {
  const options = await browser.context.newPage();
  await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
  await options.waitForSelector('#dns-ipv6-check');
  expect(await options.isDisabled('#dns-ipv6-check')).toBe(false);
  expect(await options.isChecked('#dns-ipv6-check')).toBe(false);
  expect(await options.textContent('#dns-ipv6-check-hint')).toContain('DNS-over-HTTPS');
  expect(await options.isChecked('#doh-cloudflare')).toBe(true);
  expect(await options.getAttribute('#doh-sends', 'data-doh-url')).toBe('https://cloudflare-dns.com/dns-query');
  // A custom URL that is not https:// is refused with the reason, and nothing would be sent.
  await options.check('#doh-custom');
  await options.fill('#doh-url', 'http://dns.example/dns-query');
  expect(await options.textContent('#doh-url-error')).toContain('https://');
  expect(await options.getAttribute('#doh-sends', 'data-doh-url')).toBe('');
  await options.close();
});
