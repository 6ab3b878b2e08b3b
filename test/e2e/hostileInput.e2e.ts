/**
 * Odd and hostile input end to end, in Chromium: a visit to a host with a trailing dot is recorded
 * under the normalised name and its exported history imports back; a history file over the size
 * limit is refused before it is read, changing nothing; a tab report's CSV neutralises hosts a
 * spreadsheet would take for a formula.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutralizeFormula } from '../../src/core/export/csv';
import type { ExportedHistory } from '../../src/core/history/historyFile';
import { extensionPageUrl, launchWithExtension, openPopup, openReportPage, RESOLVER_RULES, stopServiceWorkers, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import { savedDownload } from '../support/download';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { img, page, streamPage } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;
let files: string;

// Hosts with a trailing dot are mapped both ways: the resolver may see the name with or without it.
const RULES = `${RESOLVER_RULES}, MAP *.v4.test. 127.0.0.1, MAP *.tp4.test 127.0.0.1, MAP *.tp4.test. 127.0.0.1`;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/trail', () => streamPage(server, { 'cdn.tp4.test.': 2 }, 1));
  browser = await launchWithExtension({ resolverRules: RULES });
  files = mkdtempSync(join(tmpdir(), 'ipvlens-hostile-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (files !== undefined) rmSync(files, { recursive: true, force: true });
});

const siteRows = (history: Page): Promise<string[]> => history.$$eval('tr[data-site]', (rows) => rows.map((row) => (row as HTMLElement).dataset.site ?? '').sort());
const storedHistoryKeys = (on: Page): Promise<string[]> => on.evaluate(async () => Object.keys(await chrome.storage.local.get(null)).filter((key) => key.startsWith('h:')).sort());
const statusIncludes = (on: Page, text: string): Promise<unknown> =>
  on.waitForFunction((t) => document.querySelector('#status')?.textContent?.includes(t), text, { timeout: 15_000 });

/** The history page, once it lists sites. */
async function openHistoryWithSites(): Promise<Page> {
  const history = await browser.context.newPage();
  await history.goto(extensionPageUrl(browser, 'src/history/index.html'));
  await history.waitForSelector('tr[data-site]');
  return history;
}

const saved = (page: Page, selector: string) => savedDownload(page, selector, files);

describe('hostile and odd input', () => {
  it('a visit to a trailing-dot host is recorded under its normalised name, and its exported history imports back', async () => {
    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    await options.locator('#history-enabled').check();
    await options.waitForFunction(() => document.querySelector('#status')?.textContent === 'Saved.');
    await options.close();

    const tab = await browser.context.newPage();
    await tab.goto(server.url('tdot.v4.test.', '/trail'));
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 20_000 });
    expect(new URL(tab.url()).hostname).toBe('tdot.v4.test.');
    // The popup lists both hosts without their dots.
    const popup = await openPopup(browser, await tabIdOf(browser, tab));
    const rows = await waitForRows(popup, (r) => r.some((row) => row.domain === 'cdn.tp4.test' && row.requests === 2));
    expect(rows.map((row) => row.domain).sort()).toEqual(['cdn.tp4.test', 'tdot.v4.test']);
    await popup.close();
    // Recorded when the page ends.
    await tab.goto('about:blank');

    const history = await browser.context.newPage();
    await history.goto(extensionPageUrl(browser, 'src/history/index.html'));
    await history.waitForSelector('tr[data-site="v4.test"]', { timeout: 15_000 });
    expect(await storedHistoryKeys(history)).toEqual(['h:index', 'h:site:v4.test']);
    await history.click('tr[data-site="v4.test"] button');
    expect(await history.locator('#site-detail .third-parties li').allTextContents()).toEqual(['cdn.tp4.test']);

    const json = await saved(history, '[data-history-export="json"]');
    const exported = JSON.parse(json.text) as ExportedHistory;
    expect(exported.sites.map((site) => [site.site, site.ipv4OnlyThirdParties])).toEqual([['v4.test', ['cdn.tp4.test']]]);

    await history.click('#history-delete-all');
    await history.click('#history-delete-all-confirm');
    await history.waitForSelector('text=No sites recorded yet.');
    await history.setInputFiles('#history-import', json.path);
    await statusIncludes(history, 'Imported');
    expect(await history.textContent('#status')).toBe(`Imported “${json.name}”: 1 new sites, 0 updated, 0 already up to date.`);
    await history.waitForSelector('tr[data-site="v4.test"]');
    expect(await storedHistoryKeys(history)).toEqual(['h:index', 'h:site:v4.test']);
    await history.close();
    await tab.close();
  });

  it('a history file over 50 MB is refused before it is read, with its size, and nothing changes', async () => {
    const history = await openHistoryWithSites();
    const rowsBefore = await siteRows(history);
    const keysBefore = await storedHistoryKeys(history);
    expect(rowsBefore).toEqual(['v4.test']);

    // A well-formed history (one new site) padded with whitespace to 60 MB: only its size is wrong.
    const site = { site: 'big.test', firstVisit: '2026-11-01T00:00:00.000Z', lastVisit: '2026-11-02T00:00:00.000Z', visits: 1, lastMainFamily: 'IPv4', domainsLastVisit: { v6: 0, v4: 1, unknown: 0 }, requests: { v6: 0, v4: 1, unknown: 0 }, bytes: { v6: 0, v4: 0, unknown: 0 }, ipv6Readiness: 0, ipv4OnlyThirdParties: [] };
    const small = JSON.stringify({ format: 'ipvlens-site-history', version: 1, exportedAt: '2026-11-02T00:00:00.000Z', sites: [site] });
    const big = join(files, 'big.json');
    writeFileSync(big, small.replace('"sites":', `"sites":${' '.repeat(60_000_000 - small.length)}`));
    expect(statSync(big).size).toBe(60_000_000);
    await history.setInputFiles('#history-import', big);
    await statusIncludes(history, 'big.json');
    expect(await history.textContent('#status')).toBe('“big.json” is 60.0 MB: files over 50.0 MB are not imported. Nothing was imported.');
    expect(await siteRows(history)).toEqual(rowsBefore);
    expect(await storedHistoryKeys(history)).toEqual(keysBefore);

    // Positive control: the same content without the padding is imported.
    const smallFile = join(files, 'small.json');
    writeFileSync(smallFile, small);
    await history.setInputFiles('#history-import', smallFile);
    await statusIncludes(history, 'small.json');
    expect(await history.textContent('#status')).toBe('Imported “small.json”: 1 new sites, 0 updated, 0 already up to date.');
    await history.waitForFunction(() => document.querySelectorAll('tr[data-site]').length === 2);
    expect(await siteRows(history)).toEqual(['big.test', 'v4.test']);
    await history.close();
  });

  it("a tab report's CSV prefixes hosts a spreadsheet would run as a formula with '", async () => {
    // Legal hosts for the URL parser ("@" would end a user name, so it cannot start a host).
    const hosts = ['=cmd.v4.test', '-x.v4.test', '+1.v4.test', 'safe.v4.test'];
    server.route('/formula', () => page(hosts.map((host) => img(server, host)).join('')));
    const tab = await browser.context.newPage();
    await tab.goto(server.url('formula.v4.test', '/formula'));
    const report = await openReportPage(browser, await tabIdOf(browser, tab));
    await report.waitForFunction((n) => document.querySelectorAll('tbody tr[data-domain]').length === n, hosts.length + 1, { timeout: 15_000 });
    const [download] = await Promise.all([report.waitForEvent('download'), report.click('[data-export="csv"]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const domains = parse(csv)
      .slice(1)
      .map((cells) => cells[1])
      .sort();
    expect(domains).toEqual(["'+1.v4.test", "'-x.v4.test", "'=cmd.v4.test", 'formula.v4.test', 'safe.v4.test']);
    await report.close();
    await tab.close();
  });

  it('a page URL with ";=" and "=", "+", "-", "@" cells: the CSV read with "," or ";" (or tabs) has no formula cell', async () => {
    // Chrome keeps ; = + - @ ( ) , as they are in a URL's path and query.
    const path = '/x;=WEBSERVICE(1);+1;-2;@SUM(1)';
    const query = '?a=;=cmd&b=,+1,-1,@x';
    server.route(path, () => page(img(server, 'safe.v4.test')));
    const tab = await browser.context.newPage();
    await tab.goto(server.url('formula.v4.test', path + query));
    const pageUrl = tab.url();
    // The page really holds formula cells where a reader splits on ";" or ",".
    expect(pageUrl.split(/[;,]/).filter((cell) => /^[=+\-@]/.test(cell)).length).toBeGreaterThanOrEqual(6);
    const report = await openReportPage(browser, await tabIdOf(browser, tab));
    await report.waitForFunction(() => document.querySelectorAll('tbody tr[data-domain]').length === 2, undefined, { timeout: 15_000 });
    const popup = await openPopup(browser, await tabIdOf(browser, tab));
    await popup.waitForSelector('[data-export="csv"]:not([disabled])');
    for (const on of [report, popup]) {
      const csv = (await saved(on, '[data-export="csv"]')).text;
      const formulaCells = (cells: string[]): string[] => cells.filter((cell) => /^[ "]*[=+\-@\t\r]/.test(cell));
      for (const delimiter of [',', ';', '\t']) {
        // As a spreadsheet in a locale with this list separator may read it: quotes honoured, or not at all.
        const quoted = delimiter === ',' ? parse(csv) : [];
        const unquoted = parse(csv, { delimiter, quote: false, relax_column_count: true });
        expect(formulaCells([...quoted.flat(), ...unquoted.flat()]), delimiter).toEqual([]);
      }
      // The URL is kept: read properly, the only change is a ' where a cell could start.
      const rows = parse(csv);
      expect(rows.slice(1).map((cells) => cells[0])).toEqual([neutralizeFormula(pageUrl), neutralizeFormula(pageUrl)]);
      expect(rows[1]?.[0]?.replaceAll("'", '')).toBe(pageUrl.replaceAll("'", ''));
    }
    await popup.close();
    await report.close();
    await tab.close();
  });

  it('a history write the browser refused is shown on the history and options pages until a write succeeds', async () => {
    const history = await openHistoryWithSites();
    expect(await history.locator('#history-write-failed').count()).toBe(0);
    // The note a worker leaves when storage.local refuses a write (unit-tested there; with
    // unlimitedStorage a real refusal cannot be provoked here), then that worker stops.
    await history.evaluate(() => chrome.storage.session.set({ historyWriteFailure: { time: Date.now(), visits: 2, error: 'Error: QUOTA_BYTES quota exceeded' } }));
    await history.waitForSelector('#history-write-failed');
    expect(await history.textContent('#history-write-failed')).toMatch(/^2 visits since .+ could not be saved in the site history: Error: QUOTA_BYTES quota exceeded$/);
    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    await options.waitForSelector('#history-write-failed[data-visits="2"]');
    await stopServiceWorkers(browser, history);

    // A visit recorded by the next worker is a write that succeeds: the note goes from both pages.
    const tab = await browser.context.newPage();
    await tab.goto(server.url('again.tp4.test', '/trail'));
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 20_000 });
    await tab.close();
    await history.waitForSelector('tr[data-site="tp4.test"]', { timeout: 15_000 });
    await history.waitForSelector('#history-write-failed', { state: 'detached' });
    await options.waitForSelector('#history-write-failed', { state: 'detached' });
    await options.close();
    await history.close();
  });
});
