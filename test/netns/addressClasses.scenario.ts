/**
 * Runs inside a network namespace made for it (see test/e2e/addressClasses.e2e.ts): puts
 * addresses of many classes on the namespace's own loopback, serves a page whose resources come
 * from each, and drives the built extension in Chromium there. Nothing can leave the namespace.
 * Prints one line, `RESULT {json}`, with what the popup and the options page showed.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { img, page } from '../e2e/fixtures';
import { currentWorker, extensionPageUrl, launchWithExtension, openPopup, readRows, tabIdOf, waitForRows, type ExtensionBrowser, type PopupRow } from '../support/chromium';
import { startFixtureServer } from '../support/fixtureServer';
import { reportScenario } from '../support/netns';
import { HOSTS, LEARNED_PREFIX, USER_PREFIX } from './hosts';


function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'inherit' });
}

async function readOptions(options: Page) {
  return options.evaluate(() => ({
    error: document.querySelector('#nat64-error')?.textContent ?? '',
    prefixes: [...document.querySelectorAll('[data-prefix]')].map((el) => `${el.getAttribute('data-source')} ${el.getAttribute('data-prefix')}`),
  }));
}

async function storedSettings(browser: ExtensionBrowser): Promise<unknown> {
  const worker = await currentWorker(browser);
  return worker.evaluate(async () => (await chrome.storage.sync.get('settings')).settings);
}

async function main(): Promise<unknown> {
  ip('link', 'set', 'lo', 'up');
  const extra = Object.values(HOSTS)
    .map((host) => host.address)
    .filter((address) => !['127.0.0.1', '::1'].includes(address))
    // A mapped address reaches the IPv4 one.
    .map((address) => address.replace(/^::ffff:/, ''));
  for (const address of extra) {
    if (address.includes(':')) ip('-6', 'addr', 'add', `${address}/128`, 'dev', 'lo', 'nodad');
    else ip('addr', 'add', `${address}/32`, 'dev', 'lo');
  }
  const server = await startFixtureServer({ extraAddresses: extra });
  const rules = Object.entries(HOSTS)
    .map(([host, { address }]) => `MAP ${host} ${address.includes(':') ? `[${address}]` : address}`)
    .join(', ');
  const browser = await launchWithExtension({ resolverRules: `MAP page.test 127.0.0.1, ${rules}` });
  try {
    server.route('/classes', () => page(Object.keys(HOSTS).map((host) => img(server, host)).join('\n')));
    const tab = await browser.context.newPage();
    await tab.goto(server.url('page.test', '/classes'), { waitUntil: 'load' });
    const tabId = await tabIdOf(browser, tab);
    const popup = await openPopup(browser, tabId);
    // Every row with its expected class (ipv4only.arpa turns NAT64 once its prefix is learned).
    const hasAll = (rows: PopupRow[]): boolean =>
      Object.entries(HOSTS).every(([host, { addressClass }]) => rows.some((row) => row.domain === host && row.addressClass === addressClass));
    const before = await waitForRows(popup, hasAll, 20_000);
    const servedHosts = Object.keys(HOSTS).filter((host) => server.hits(host) > 0);

    // Keyboard: the first row is in the tab order; Down moves to the next one.
    await popup.focus('[role="row"][data-domain][tabindex="0"]');
    const firstLabel = await popup.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    await popup.keyboard.press('ArrowDown');
    const afterDown = await popup.evaluate(() => document.activeElement?.getAttribute('data-domain') ?? '');
    const rowOrder = (await readRows(popup)).map((row) => row.domain);

    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    // The learned prefix reaches the options page through storage.local.
    await options.waitForSelector(`[data-prefix="${LEARNED_PREFIX}"]`, { timeout: 10_000 });
    await options.fill('#nat64-input', '2001:db8:122::/33');
    await options.click('#nat64-add');
    await options.waitForFunction(() => (document.querySelector('#nat64-error')?.textContent ?? '') !== '');
    const afterInvalid = { ...(await readOptions(options)), stored: (await storedSettings(browser)) ?? null };
    await sleep(300);
    const rowAfterInvalid = (await readRows(popup)).find((row) => row.domain === 'v4behind.test');

    await options.fill('#nat64-input', USER_PREFIX);
    await options.click('#nat64-add');
    await options.waitForSelector(`[data-prefix="${USER_PREFIX}"]`);
    const afterValid = { ...(await readOptions(options)), stored: (await storedSettings(browser)) ?? null };
    const relabelled = await waitForRows(popup, (rows) => rows.some((row) => row.domain === 'v4behind.test' && row.addressClass === 'nat64'), 10_000);

    return {
      servedHosts,
      before,
      keyboard: { firstLabel, afterDown, rowOrder },
      afterInvalid,
      rowAfterInvalid,
      afterValid,
      relabelled: relabelled.find((row) => row.domain === 'v4behind.test'),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

reportScenario(main);
