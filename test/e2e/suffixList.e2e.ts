/**
 * The Public Suffix List is a file of the built extension, read only when the site history
 * records a visit. Here the file is damaged: with history off, visits come and go without a word
 * (the list is never read); turned on, the visit is refused and the history and options pages say
 * the list is damaged, and the history already stored is kept.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUFFIX_LIST_FILE } from '../../src/core/history/publicSuffixList';
import { foldVisit } from '../../src/core/history/siteRecord';
import { CHROME_DIST, extensionPageUrl, launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { throughHistoryWriter } from './storedState';

let server: FixtureServer;
let browser: ExtensionBrowser;
let extensionDir: string;

beforeAll(async () => {
  extensionDir = mkdtempSync(join(tmpdir(), 'ipvlens-damaged-psl-'));
  cpSync(CHROME_DIST, extensionDir, { recursive: true });
  const list = join(extensionDir, SUFFIX_LIST_FILE);
  const text = readFileSync(list, 'utf8');
  if (!text.includes('\nco.uk\n')) throw new Error(`${list} does not look like the list`);
  writeFileSync(list, text.replace('\nco.uk\n', '\nco uk\n'));
  server = await startFixtureServer();
  server.route('/page', () => ({ body: '<!doctype html><title>done</title><p>a page', type: 'text/html' }));
  browser = await launchWithExtension({ extensionDir });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (extensionDir !== undefined) rmSync(extensionDir, { recursive: true, force: true });
});

async function visitAndLeave(tab: Page, host: string): Promise<void> {
  await tab.goto(server.url(host, '/page'));
  await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 20_000 });
  await tab.goto('about:blank');
}

describe('a damaged Public Suffix List', () => {
  it('is never read with history off; with it on, the visit is refused and the pages say why', async () => {
    const tab = await browser.context.newPage();
    const history = await browser.context.newPage();
    await history.goto(extensionPageUrl(browser, 'src/history/index.html'));

    // History off (the default): the visit ends and nothing reads the list, so nothing fails.
    await visitAndLeave(tab, 'www.off.v4.test');
    await throughHistoryWriter(history);
    await history.reload();
    await history.waitForSelector('#history-search');
    expect(await history.locator('#history-write-failed').count()).toBe(0);

    // Turned on, the same kind of visit needs the list: refused, and said so on both pages.
    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    await options.locator('#history-enabled').check();
    await options.waitForFunction(() => document.querySelector('#status')?.textContent === 'Saved.');
    // A history already there (imported: an import needs no list) is kept through the failure.
    const kept = foldVisit(undefined, { site: 'kept.example', time: Date.now() - 60_000, mainFamily: 6, domains: { v6: 1, v4: 0, unknown: 0 }, requests: { v6: 2, v4: 0, unknown: 0 }, bytes: { v6: 10, v4: 0, unknown: 0 }, ipv4OnlyThirdParties: [], thirdPartiesWithIPv6: [] });
    const imported: unknown = await history.evaluate((record) => chrome.runtime.sendMessage({ message: 'historyImport', request: { records: [record] } }), kept);
    expect(imported).toMatchObject({ ok: true, added: 1 });
    await history.waitForSelector('tr[data-site="kept.example"]');
    await visitAndLeave(tab, 'www.on.v4.test');
    await history.waitForSelector('#history-write-failed[data-visits="1"]', { timeout: 15_000 });
    expect(await history.textContent('#history-write-failed')).toMatch(/^1 visits since .+ could not be saved in the site history: SuffixListError: the Public Suffix List file is damaged: line \d+ is not a rule$/);
    await options.waitForSelector('#history-write-failed[data-visits="1"]');
    expect(await history.$$eval('tr[data-site]', (rows) => rows.map((row) => (row as HTMLElement).dataset.site))).toEqual(['kept.example']);
    await options.close();
    await history.close();
    await tab.close();
  });
});
