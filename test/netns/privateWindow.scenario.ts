/**
 * Runs inside a network namespace made for it (see test/e2e/privateWindow.e2e.ts): the extension
 * allowed in incognito, site history on, the same kind of visit in a private window and then in a
 * normal one. Each page loads an image from an IPv4-only name (RFC 7050) that answers over IPv6,
 * from a /96 of its own, so each visit would teach its own NAT64 prefix. The addresses exist only
 * on the namespace's loopback. Prints one line, `RESULT {json}`, with what the extension showed and
 * kept.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { siteStorageKey } from '../../src/core/history/historyStore';
import { img, page } from '../e2e/fixtures';
import { currentWorker, launchWithExtension, openPopup, pollRows, tabIdOf, waitForRows, type ExtensionBrowser, type PopupRow } from '../support/chromium';
import { startFixtureServer } from '../support/fixtureServer';
import { allowInIncognito } from '../support/incognito';
import { reportScenario } from '../support/netns';
import { PRIVATE_VISIT, NORMAL_VISIT, WARM_UP_HOST } from './privateWindowHosts';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'inherit' });
}

/** Everything the extension keeps in storage.local, read in its service worker. */
async function storedLocally(browser: ExtensionBrowser): Promise<Record<string, unknown>> {
  const worker = await currentWorker(browser);
  return worker.evaluate(() => chrome.storage.local.get(null));
}

/** The popup's rows for a tab once the row of `domain` has what `wanted` asks. */
async function rowsOnce(browser: ExtensionBrowser, tabId: number, domain: string, wanted: Partial<PopupRow>): Promise<PopupRow[]> {
  const popup = await openPopup(browser, tabId);
  const matches = (row: PopupRow): boolean => row.domain === domain && Object.entries(wanted).every(([key, value]) => row[key as keyof PopupRow] === value);
  try {
    return await waitForRows(popup, (rows) => rows.some(matches), 20_000);
  } finally {
    await popup.close();
  }
}

/** Opens a private window on `url` from an extension page; its one tab's id and whether it is incognito. */
async function openPrivateWindow(control: Page, url: string): Promise<{ windowId: number; tabId: number; incognito: boolean }> {
  return control.evaluate(async (target: string) => {
    const window = await chrome.windows.create({ incognito: true, url: target });
    const tab = window?.tabs?.[0];
    if (window?.id === undefined || tab?.id === undefined) throw new Error('no private window');
    return { windowId: window.id, tabId: tab.id, incognito: tab.incognito };
  }, url);
}

async function main(): Promise<unknown> {
  ip('link', 'set', 'lo', 'up');
  const extra = [PRIVATE_VISIT.address, NORMAL_VISIT.address];
  for (const address of extra) ip('-6', 'addr', 'add', `${address}/128`, 'dev', 'lo', 'nodad');
  const server = await startFixtureServer({ extraAddresses: extra });
  server.route('/visit', (url) => page(img(server, url.searchParams.get('v4only') ?? '')));
  const rules = [
    `MAP ${WARM_UP_HOST} 127.0.0.1`,
    `MAP ${PRIVATE_VISIT.site} 127.0.0.1`,
    `MAP ${NORMAL_VISIT.site} 127.0.0.1`,
    `MAP ${PRIVATE_VISIT.ipv4Only} [${PRIVATE_VISIT.address}]`,
    `MAP ${NORMAL_VISIT.ipv4Only} [${NORMAL_VISIT.address}]`,
  ].join(', ');
  const browser = await launchWithExtension({ resolverRules: rules });
  try {
    const control = await allowInIncognito(browser);
    const allowed = await control.evaluate(() => chrome.extension.isAllowedIncognitoAccess());

    // The reloaded extension sees requests: a normal tab's page is listed (never ended, never recorded).
    const warm = await browser.context.newPage();
    await warm.goto(server.url(WARM_UP_HOST, `/visit?v4only=${WARM_UP_HOST}`), { waitUntil: 'load' });
    await rowsOnce(browser, await tabIdOf(browser, warm), WARM_UP_HOST, { addressClass: 'loopback' });

    // Site history on, as a user turns it on.
    await control.locator('#history-enabled').check();
    await control.waitForFunction(() => document.querySelector('#status')?.textContent === 'Saved.');

    // The private visit: listed while its window is open (the extension did see it), then closed.
    const privateUrl = server.url(PRIVATE_VISIT.site, `/visit?v4only=${PRIVATE_VISIT.ipv4Only}`);
    const privateWindow = await openPrivateWindow(control, privateUrl);
    const privateRows = await rowsOnce(browser, privateWindow.tabId, PRIVATE_VISIT.ipv4Only, { address: PRIVATE_VISIT.address });
    await control.evaluate((id: number) => chrome.windows.remove(id), privateWindow.windowId);

    // The same visit in a normal window, ended by navigating away (that records it).
    const tab = await browser.context.newPage();
    await tab.goto(server.url(NORMAL_VISIT.site, `/visit?v4only=${NORMAL_VISIT.ipv4Only}`), { waitUntil: 'load' });
    const normalTabId = await tabIdOf(browser, tab);
    // Learned: the prefix re-labels its own row as NAT64.
    const normalRows = await rowsOnce(browser, normalTabId, NORMAL_VISIT.ipv4Only, { addressClass: 'nat64' });
    await tab.goto('about:blank');

    // Storage once the normal visit is recorded and its prefix remembered (later than anything
    // the private visit could have written).
    const [local] = await pollRows(
      async () => [await storedLocally(browser)],
      ([stored]) => {
        const learned = stored?.learnedNat64;
        return stored?.[siteStorageKey(NORMAL_VISIT.site)] !== undefined && Array.isArray(learned) && learned.includes(NORMAL_VISIT.prefix);
      },
      20_000,
      200,
    );
    return {
      allowed,
      privateWindow,
      privateRows,
      normalRows,
      local,
      hits: { private: server.hits(PRIVATE_VISIT.ipv4Only), normal: server.hits(NORMAL_VISIT.ipv4Only) },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

reportScenario(main);
