/**
 * The full report page against a real page: resources from IPv6 and IPv4 hosts (and an
 * IPv4-mapped peer, for a second address class), checked against what the fixture server served;
 * sorting, the filters, and JSON and CSV exports that cover the whole tab whatever the filters.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabExport } from '../../src/core/export/tabExport';
import { domainSortKey } from '../../src/core/view/snapshot';
import { launchWithExtension, openPopup, openReportPage, pollRows, reportPageUrl, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { readLive, sumOf } from '../support/livePanel';
import { page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

const PAGE_HOST = 'report-page.v4.test';
/** Requests each host gets from the fixture page: all different, so sorting by requests has one answer. */
const PLAN: Record<string, number> = {
  'rep.v6.test': 9,
  'rep.v4.test': 5,
  'img.rep.v6.test': 4,
  'chunk-rep.v4.test': 3,
  'mapped.test': 2,
};
const HOSTS = [PAGE_HOST, ...Object.keys(PLAN)];
const V6_HOSTS = HOSTS.filter((host) => host.endsWith('.v6.test'));

beforeAll(async () => {
  // mapped.test resolves to ::ffff:127.0.0.2: an IPv4-mapped peer, served on 127.0.0.2.
  server = await startFixtureServer({ extraAddresses: ['127.0.0.2'] });
  browser = await launchWithExtension();
  server.route('/report-fixture', () => {
    const plan = Object.entries(PLAN).map(([host, n]) => [server.url(host, '/seg.ts'), n, host.startsWith('chunk-')]);
    return page(`<script>
      const plan = ${JSON.stringify(plan)};
      async function run() {
        for (const [base, n, chunked] of plan) {
          for (let i = 0; i < n; i++) await (await fetch(base + (chunked ? '?chunked=1&n=' + i : '?size=' + (100 + i) + '&n=' + i))).text();
        }
        document.title = 'done';
      }
      run().catch((e) => { document.title = 'failed: ' + e; });
    </script>`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface ReportRow {
  domain: string;
  family: string;
  addressClass: string;
  address: string;
  requests: number;
  bytes: number;
}

/** The table's rows in the order shown, through their data-* attributes. */
function readReportRows(report: Page): Promise<ReportRow[]> {
  return report.$$eval('tbody tr[data-domain]', (rows) =>
    rows.map((tr) => ({
      domain: tr.getAttribute('data-domain') ?? '',
      family: tr.getAttribute('data-family') ?? '',
      addressClass: tr.getAttribute('data-class') ?? '',
      address: tr.getAttribute('data-address') ?? '',
      requests: Number(tr.getAttribute('data-requests')),
      bytes: Number(tr.getAttribute('data-bytes')),
    })),
  );
}

const domainsOf = (rows: ReportRow[]): string[] => rows.map((row) => row.domain);
const isV6 = (host: string): boolean => host.endsWith('.v6.test');

/** Every host listed with the requests and declared bytes the server counted for it, nothing else. */
const matchesServer = (rows: ReportRow[]): boolean =>
  rows.length === HOSTS.length && HOSTS.every((host) => rows.some((row) => row.domain === host && row.requests === server.hits(host) && row.bytes === server.declaredBytes(host)));

async function sortBy(report: Page, column: string, direction: 'ascending' | 'descending'): Promise<string[]> {
  const header = report.locator(`th[data-sort="${column}"]`);
  // A click sorts by the column, or turns the sorted column around: click until it says `direction`.
  for (let i = 0; i < 2 && (await header.getAttribute('aria-sort')) !== direction; i++) await header.locator('button').click();
  expect(await header.getAttribute('aria-sort')).toBe(direction);
  expect(await report.locator('th[aria-sort]').count()).toBe(1);
  return domainsOf(await readReportRows(report));
}

async function saved(on: Page, format: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([on.waitForEvent('download'), on.click(`[data-export="${format}"]`)]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

async function showing(report: Page): Promise<[number, number]> {
  const el = report.locator('.showing');
  return [Number(await el.getAttribute('data-shown')), Number(await el.getAttribute('data-total'))];
}

describe('full report page in Chromium', () => {
  let tab: Page;
  let tabId: number;
  let report: Page;

  beforeAll(async () => {
    tab = await browser.context.newPage();
    await tab.goto(server.url(PAGE_HOST, '/report-fixture'), { waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    expect(HOSTS.map((host) => server.hits(host))).toEqual([1, 9, 5, 4, 3, 2]);
    tabId = await tabIdOf(browser, tab);
  });

  it('opens from the popup’s "Full report" link', async () => {
    const popup = await openPopup(browser, tabId);
    const [opened] = await Promise.all([browser.context.waitForEvent('page'), popup.click('a.full-report')]);
    await opened.waitForURL(reportPageUrl(browser, tabId));
    await opened.waitForSelector(`tr[data-domain="${PAGE_HOST}"]`);
    expect(await opened.title()).toBe(`IPvLens report: ${PAGE_HOST}`);
    await opened.close();
    await popup.close();
  });

  it('lists every domain with the requests, bytes, family and class the server saw, and the summary', async () => {
    report = await openReportPage(browser, tabId);
    const rows = await pollRows(() => readReportRows(report), matchesServer, 20_000, 150);
    for (const host of HOSTS) {
      expect(rows.find((row) => row.domain === host), host).toEqual({
        domain: host,
        family: isV6(host) ? '6' : '4',
        addressClass: host === 'mapped.test' ? 'ipv4-mapped' : 'loopback',
        address: isV6(host) ? '::1' : host === 'mapped.test' ? '127.0.0.2' : '127.0.0.1',
        requests: server.hits(host),
        bytes: server.declaredBytes(host),
      });
    }
    expect(server.declaredBytes('chunk-rep.v4.test')).toBe(0);
    expect(await report.textContent('h1')).toBe(PAGE_HOST);
    expect(await report.textContent('.page-url')).toBe(server.url(PAGE_HOST, '/report-fixture'));
    expect(await report.textContent('.main-address')).toBe('IPv4 127.0.0.1');
    expect(await report.textContent('.summary')).toBe('6 domains: 2 over IPv6, 4 over IPv4');
    expect(await showing(report)).toEqual([6, 6]);
    expect(await report.textContent('.showing')).toBe('Showing 6 of 6 domains');
    // The live panel in its wide form: both timelines, shares by requests as served.
    const live = await readLive(report);
    const v6Requests = sumOf(V6_HOSTS.map((h) => server.hits(h)));
    expect(live.shares.requests).toMatchObject({ v6: v6Requests, v4: sumOf(HOSTS.map((h) => server.hits(h))) - v6Requests, unknown: 0 });
    expect(sumOf(live.timelines['10m']?.v6)).toBe(v6Requests);
    expect(sumOf(live.timelines['1h']?.v6)).toBe(v6Requests);
    // The chunked host declared no size: "?" and one unsized response per request (a column the
    // Columns menu adds).
    await report.locator('.columns-menu summary').click();
    await report.locator('.columns-menu input[data-column="unsized"]').check();
    const chunked = report.locator('tr[data-domain="chunk-rep.v4.test"] td');
    const columnIndex = (column: string): Promise<number> =>
      report.locator('.report-table thead th').evaluateAll((heads, name) => heads.findIndex((th) => th.getAttribute('data-sort') === name), column);
    expect(await chunked.nth(await columnIndex('bytes')).textContent()).toBe('?');
    expect(await chunked.nth(await columnIndex('unsized')).textContent()).toBe('3');
  });

  it('sorts by requests and by domain, both ways, from the column headers', async () => {
    const byHits = [...HOSTS].sort((a, b) => server.hits(b) - server.hits(a));
    // Sorted by domain (grouped under parents, as in the popup) when it opens.
    const byDomain = [...HOSTS].sort((a, b) => (domainSortKey(a) < domainSortKey(b) ? -1 : 1));
    expect(await report.getAttribute('th[data-sort="domain"]', 'aria-sort')).toBe('ascending');
    expect(domainsOf(await readReportRows(report))).toEqual(byDomain);

    expect(await sortBy(report, 'requests', 'descending')).toEqual(byHits);
    expect(byHits).toEqual(['rep.v6.test', 'rep.v4.test', 'img.rep.v6.test', 'chunk-rep.v4.test', 'mapped.test', PAGE_HOST]);
    expect(await sortBy(report, 'requests', 'ascending')).toEqual([...byHits].reverse());
    expect(await sortBy(report, 'domain', 'descending')).toEqual([...byDomain].reverse());
    // From the keyboard: the header's button takes Enter.
    await report.locator('th[data-sort="domain"] button').focus();
    await report.keyboard.press('Enter');
    expect(await report.getAttribute('th[data-sort="domain"]', 'aria-sort')).toBe('ascending');
    expect(domainsOf(await readReportRows(report))).toEqual(byDomain);
  });

  it('filters by family, by class and by text, and says how many rows are shown', async () => {
    await report.uncheck('[data-filter-family="4"]');
    await report.uncheck('[data-filter-family="?"]');
    let rows = await readReportRows(report);
    expect(domainsOf(rows).sort()).toEqual([...V6_HOSTS].sort());
    expect(rows.every((row) => row.family === '6')).toBe(true);
    expect(await showing(report)).toEqual([2, 6]);
    await report.check('[data-filter-family="4"]');
    await report.check('[data-filter-family="?"]');
    expect(await readReportRows(report)).toHaveLength(6);

    // The class filter offers the classes present.
    expect(await report.$$eval('[data-filter-class] option', (options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['all', 'loopback', 'ipv4-mapped']);
    await report.selectOption('[data-filter-class]', 'ipv4-mapped');
    rows = await readReportRows(report);
    expect(rows.map((row) => [row.domain, row.addressClass])).toEqual([['mapped.test', 'ipv4-mapped']]);
    await report.selectOption('[data-filter-class]', 'loopback');
    rows = await readReportRows(report);
    expect(domainsOf(rows).sort()).toEqual(HOSTS.filter((h) => h !== 'mapped.test').sort());
    expect(rows.every((row) => row.addressClass === 'loopback')).toBe(true);

    // Text: part of a domain, or of an address; combined with the class filter still in force.
    await report.fill('[data-filter-text]', 'CHUNK');
    expect(domainsOf(await readReportRows(report))).toEqual(['chunk-rep.v4.test']);
    await report.fill('[data-filter-text]', '::1');
    expect(domainsOf(await readReportRows(report)).sort()).toEqual([...V6_HOSTS].sort());
    await report.fill('[data-filter-text]', '127.0.0');
    expect(domainsOf(await readReportRows(report)).sort()).toEqual(['chunk-rep.v4.test', PAGE_HOST, 'rep.v4.test'].sort());
    await report.selectOption('[data-filter-class]', 'all');
    expect(domainsOf(await readReportRows(report)).sort()).toEqual(['chunk-rep.v4.test', 'mapped.test', PAGE_HOST, 'rep.v4.test'].sort());
    await report.fill('[data-filter-text]', 'nowhere');
    expect(await readReportRows(report)).toEqual([]);
    expect(await report.textContent('.showing')).toBe('Showing 0 of 6 domains');
    await report.fill('[data-filter-text]', '');
    expect(await showing(report)).toEqual([6, 6]);
  });

  it('exports JSON (valid against its schema) and CSV of the whole tab, whatever the filters, matching what the server served', async () => {
    // Narrow the table to one row: the exports must still hold every domain.
    await report.uncheck('[data-filter-family="4"]');
    await report.fill('[data-filter-text]', 'img');
    expect(domainsOf(await readReportRows(report))).toEqual(['img.rep.v6.test']);
    expect(await report.textContent('.export-note')).toBe('Exports cover the whole tab, whatever the filters.');

    const json = await saved(report, 'json');
    expect(json.name).toMatch(/^ipvlens-report-page\.v4\.test-\d{4}-\d\d-\d\dT\d\d-\d\d\.json$/);
    const exported = JSON.parse(json.text) as TabExport;
    const schema = JSON.parse(readFileSync('src/core/export/report-v3.schema.json', 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    expect(exported.domains.map((d) => d.domain).sort()).toEqual([...HOSTS].sort());
    for (const host of HOSTS) {
      const domain = exported.domains.find((d) => d.domain === host);
      expect(domain, host).toMatchObject({ requests: server.hits(host), bytes: server.declaredBytes(host), unsizedResponses: server.undeclared(host) });
      const address = isV6(host) ? ['::1', 'IPv6', 'loopback'] : host === 'mapped.test' ? ['::ffff:7f00:2', 'IPv4', 'ipv4-mapped'] : ['127.0.0.1', 'IPv4', 'loopback'];
      expect(domain?.addresses.map((a) => [a.address, a.family, a.class])).toEqual([address]);
    }
    const v6Requests = sumOf(V6_HOSTS.map((h) => server.hits(h)));
    expect(exported.summary.requests.counts).toEqual({ v6: v6Requests, v4: sumOf(HOSTS.map((h) => server.hits(h))) - v6Requests, unknown: 0 });
    expect(exported.page).toMatchObject({ url: server.url(PAGE_HOST, '/report-fixture'), mainDomain: PAGE_HOST, partial: false });

    const csv = await saved(report, 'csv');
    expect(csv.name).toMatch(/^ipvlens-report-page\.v4\.test-.*\.csv$/);
    const rows = parse(csv.text);
    expect(rows[0]?.slice(0, 5)).toEqual(['page_url', 'domain', 'is_main', 'domain_family', 'requests']);
    const byDomain = Object.fromEntries(rows.slice(1).map((cells): [string, [string, number, number]] => [cells[1] ?? '', [cells[3] ?? '', Number(cells[4]), Number(cells[6])]]));
    expect(byDomain).toEqual(Object.fromEntries(HOSTS.map((host) => [host, [isV6(host) ? 'IPv6' : 'IPv4', server.hits(host), server.declaredBytes(host)]])));
    expect(await report.textContent('.copied')).toBe(`Saved ${csv.name}`);

    // The popup's export is the same writer over the same snapshot: the same CSV.
    const popup = await openPopup(browser, tabId);
    await popup.waitForSelector('[data-export="csv"]:not([disabled])');
    expect((await saved(popup, 'csv')).text).toBe(csv.text);
    await popup.close();
  });

  it('says so when the tab is gone, or when it is opened without one', async () => {
    // Left open while its tab closes, then opened afresh for that tab.
    await tab.close();
    await report.waitForSelector('.message h1');
    expect(await report.textContent('.message h1')).toBe('Tab closed');
    expect(await report.locator('table').count()).toBe(0);
    await report.reload();
    await report.waitForSelector('.message h1');
    expect(await report.textContent('.message')).toBe(`Tab closedTab ${tabId} no longer exists.`);
    await report.close();

    const alone = await browser.context.newPage();
    await alone.goto(reportPageUrl(browser));
    await alone.waitForSelector('.message h1');
    expect(await alone.textContent('.message h1')).toBe('No tab');
    await alone.close();
  });
});
