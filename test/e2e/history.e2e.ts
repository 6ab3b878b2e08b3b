/**
 * Site history end to end: off by default (nothing recorded), turned on in the options page,
 * three sites visited, seen on the history page with the counts the fixture server served,
 * exported (JSON valid against its schema, CSV), deleted, imported back; a damaged file refused
 * with nothing changed; turning history off offers to delete it.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storedSiteRecord, type ExportedHistory } from '../../src/core/history/historyFile';
import { savedDownload } from '../support/download';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { isSiteStorageKey } from '../../src/core/history/historyStore';
import { extensionPageUrl, launchWithExtension, RESOLVER_RULES, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { throughHistoryWriter, waitForStoredView } from './storedState';
import { streamPage } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;
let downloads: string;

const SITES = {
  // IPv4 page, an IPv4 subdomain, an IPv6 third party.
  'alpha.test': { page: 'www.alpha.test', fetches: { 'cdn.alpha.test': 3, 'api.v6.test': 2 } },
  // IPv6 page, an IPv6 subdomain, an IPv4-only third party.
  'beta.test': { page: 'www.beta.test', fetches: { 'static.beta.test': 2, 'tracker.v4.test': 2 } },
  // IPv4 page, an IPv4-only third party.
  'gamma.test': { page: 'gamma.test', fetches: { 'img.v4.test': 1 } },
} as const;
const RULES = `${RESOLVER_RULES}, MAP *.alpha.test 127.0.0.1, MAP *.beta.test [::1], MAP gamma.test 127.0.0.1`;
const isV6 = (host: string): boolean => host.endsWith('.v6.test') || host.endsWith('.beta.test');

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/visit', (url) => {
    const site = SITES[url.searchParams.get('site') as keyof typeof SITES];
    return streamPage(server, site.fetches, 2);
  });
  server.route('/quiet', () => streamPage(server, { 'quiet.v4.test': 1 }));
  browser = await launchWithExtension({ resolverRules: RULES });
  downloads = mkdtempSync(join(tmpdir(), 'ipvlens-history-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (downloads !== undefined) rmSync(downloads, { recursive: true, force: true });
});

async function visit(tab: Page, url: string): Promise<void> {
  await tab.goto(url);
  await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 20_000 });
}

/** Counts the history should hold for a site: each host's hits under its family. */
function expectedRequests(site: keyof typeof SITES): { v6: number; v4: number; unknown: number } {
  const hosts = [SITES[site].page, ...Object.keys(SITES[site].fetches)];
  const sum = (six: boolean): number => hosts.filter((host) => isV6(host) === six).reduce((n, host) => n + server.hits(host), 0);
  return { v6: sum(true), v4: sum(false), unknown: 0 };
}

async function siteRows(history: Page): Promise<Record<string, { visits: number; requests: number; readiness: string }>> {
  return history.$$eval('tr[data-site]', (rows) =>
    Object.fromEntries(
      rows.map((row) => {
        const data = (row as HTMLElement).dataset;
        return [data.site ?? '', { visits: Number(data.visits), requests: Number(data.requests), readiness: data.readiness ?? '' }];
      }),
    ),
  );
}

const rowCount = (history: Page, count: number): Promise<unknown> =>
  history.waitForFunction((n) => document.querySelectorAll('tr[data-site]').length === n, count, { timeout: 15_000 });

const saved = (page: Page, selector: string) => savedDownload(page, selector, downloads);

/** Sites stored in storage.local, read in an extension page. */
async function storedSites(page: Page): Promise<string[]> {
  const stored = await page.evaluate(() => chrome.storage.local.get(null));
  return Object.entries(stored)
    .filter(([key]) => isSiteStorageKey(key))
    .map(([key, value]) => storedSiteRecord(value)?.site ?? `unreadable ${key}`)
    .sort();
}

describe('site history', () => {
  it('records nothing while off, then the three sites visited once turned on', async () => {
    const tab = await browser.context.newPage();
    // Off by default: this visit ends (navigating away) and must not be recorded.
    await visit(tab, server.url('quiet.v4.test', '/quiet'));
    await tab.goto('about:blank');

    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    const toggle = options.locator('#history-enabled');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await options.waitForFunction(() => document.querySelector('#status')?.textContent === 'Saved.');

    for (const site of Object.keys(SITES) as Array<keyof typeof SITES>) await visit(tab, server.url(SITES[site].page, `/visit?site=${site}`));
    // The last page is recorded when it ends.
    await tab.goto('about:blank');

    const history = await browser.context.newPage();
    await history.goto(extensionPageUrl(browser, 'src/history/index.html'));
    await rowCount(history, 3);
    const rows = await siteRows(history);
    expect(Object.keys(rows).sort()).toEqual(['alpha.test', 'beta.test', 'gamma.test']);
    for (const site of Object.keys(SITES) as Array<keyof typeof SITES>) {
      const expected = expectedRequests(site);
      expect(rows[site], site).toEqual({ visits: 1, requests: expected.v6 + expected.v4, readiness: String(expected.v6 / (expected.v6 + expected.v4)) });
    }
    // Most recently visited first.
    expect(await history.$$eval('tr[data-site]', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.site))).toEqual(['gamma.test', 'beta.test', 'alpha.test']);

    // One site's detail: its requests by family and its IPv4-only third party.
    await history.click('tr[data-site="beta.test"] button');
    const detail = history.locator('#site-detail[data-site="beta.test"]');
    const beta = expectedRequests('beta.test');
    expect(await detail.locator('dd[data-requests]').getAttribute('data-requests')).toBe(`${beta.v6},${beta.v4},0`);
    expect(await detail.locator('.third-parties li').allTextContents()).toEqual(['tracker.v4.test']);

    // Search and sort.
    await history.fill('#history-search', 'tracker');
    await rowCount(history, 1);
    expect(Object.keys(await siteRows(history))).toEqual(['beta.test']);
    await history.fill('#history-search', '');
    await rowCount(history, 3);
    await history.click('th[data-sort="readiness"] button');
    expect(await history.getAttribute('th[data-sort="readiness"]', 'aria-sort')).toBe('descending');
    const readiness = await history.$$eval('tr[data-site]', (trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.readiness)));
    expect(readiness).toEqual([...readiness].sort((a, b) => b - a));
    await history.close();
    await tab.close();
  });

  it('exports, deletes everything, imports back, and refuses a damaged file changing nothing', async () => {
    const history = await browser.context.newPage();
    await history.goto(extensionPageUrl(browser, 'src/history/index.html'));
    await rowCount(history, 3);
    const before = await siteRows(history);

    const json = await saved(history, '[data-history-export="json"]');
    expect(json.name).toMatch(/^ipvlens-history-\d{4}-\d\d-\d\dT\d\d-\d\d\.json$/);
    const exported = JSON.parse(json.text) as ExportedHistory;
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync('src/core/history/history-v2.schema.json', 'utf8')) as object);
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    const alpha = exported.sites.find((s) => s.site === 'alpha.test');
    expect(alpha).toMatchObject({ visits: 1, requests: expectedRequests('alpha.test'), lastMainFamily: 'IPv4', ipv4OnlyThirdParties: [] });
    expect(exported.sites.find((s) => s.site === 'gamma.test')?.ipv4OnlyThirdParties).toEqual(['img.v4.test']);
    expect(exported.sites.find((s) => s.site === 'beta.test')?.lastMainFamily).toBe('IPv6');

    const csv = await saved(history, '[data-history-export="csv"]');
    const rows = parse(csv.text);
    expect(rows).toHaveLength(4);
    expect(rows.slice(1).map((cells) => cells[0]).sort()).toEqual(['alpha.test', 'beta.test', 'gamma.test']);

    await history.click('#history-delete-all');
    await history.click('#history-delete-all-confirm');
    await history.waitForSelector('text=No sites recorded yet.');
    expect(await history.textContent('#status')).toBe('Deleted 3 sites from the history');

    await history.setInputFiles('#history-import', json.path);
    await rowCount(history, 3);
    expect(await siteRows(history)).toEqual(before);
    expect(await history.textContent('#status')).toBe(`Imported “${json.name}”: 3 new sites, 0 updated, 0 already up to date.`);

    // A damaged file: refused with the field named, nothing changed.
    const damaged = join(downloads, 'damaged.json');
    const broken = JSON.parse(json.text) as { sites: Array<Record<string, unknown>> };
    broken.sites[0]!.visits = -1;
    broken.sites.push({ ...broken.sites[0], site: 'extra.test' });
    writeFileSync(damaged, JSON.stringify(broken));
    await history.setInputFiles('#history-import', damaged);
    await history.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('damaged.json'));
    expect(await history.textContent('#status')).toBe('“damaged.json” is damaged: sites[0].visits is missing or not valid. Nothing was imported.');
    const foreign = join(downloads, 'report.json');
    writeFileSync(foreign, JSON.stringify({ format: 'ipvlens-tab-report', version: 1 }));
    await history.setInputFiles('#history-import', foreign);
    await history.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('report.json'));
    expect(await history.textContent('#status')).toBe('“report.json” is a tab report, not a site history. Nothing was imported.');
    // The background is the one writer and applies changes in order: once it has answered a later
    // request, nothing sent before it is still pending. The page and storage still hold the three.
    await throughHistoryWriter(history);
    expect(await siteRows(history)).toEqual(before);
    expect(await storedSites(history)).toEqual(Object.keys(before).sort());
    await history.close();
  });

  it('turning history off offers to delete it; keeping it keeps it, deleting it empties it', async () => {
    const options = await browser.context.newPage();
    await options.goto(extensionPageUrl(browser, 'src/options/index.html'));
    await options.locator('#history-enabled').uncheck();
    await options.waitForSelector('text=History is off. Delete the 3 sites it holds?');
    await options.click('#history-keep');
    await options.locator('#history-enabled').check();
    await options.locator('#history-enabled').uncheck();
    await options.click('#history-delete-all');
    await options.waitForFunction(() => document.querySelector('#status')?.textContent === 'Deleted 3 sites from the history');
    await options.waitForSelector('text=Open the site history (0 sites)');
    const stored = await options.evaluate(async () => Object.keys(await chrome.storage.local.get(null)).filter((key) => key.startsWith('h:')));
    expect(stored).toEqual([]);

    // Off again: a visit is not recorded. Its end is folded (or not) in the batch that drops the
    // closed tab from storage.session, queued before the request that follows.
    const visitAndClose = async (): Promise<void> => {
      const tab = await browser.context.newPage();
      await visit(tab, server.url(SITES['gamma.test'].page, '/visit?site=gamma.test'));
      const tabId = await tabIdOf(browser, tab);
      await waitForStoredView(browser, tabId, (view) => view !== undefined);
      await tab.close();
      await waitForStoredView(browser, tabId, (view) => view === undefined);
    };
    await visitAndClose();
    await throughHistoryWriter(options);
    expect(await storedSites(options)).toEqual([]);

    // Positive control: the same visit, with history on, is recorded.
    await options.locator('#history-enabled').check();
    await options.waitForFunction(() => document.querySelector('#status')?.textContent === 'Saved.');
    await visitAndClose();
    await throughHistoryWriter(options);
    expect(await storedSites(options)).toEqual(['gamma.test']);
    await options.close();
  });
});
