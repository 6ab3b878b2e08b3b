/**
 * The report page's Requests view and its HAR export against a real page in Chromium: resources
 * over IPv6 and IPv4 hosts with known statuses (200, 404, a redirect), checked against the fixture
 * server's own log of what it served. Every row of the ring is in the DOM (the view is not
 * virtualised, like the domain table), so the rows are read without scrolling.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Har } from '../../src/core/requests/har';
import { launchWithExtension, openReportPage, pollRows, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer, type ServedRequest } from '../support/fixtureServer';
import { harValidator } from '../support/harSchema';
import { page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

const PAGE_HOST = 'req-page.v4.test';

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  server.route('/missing', () => ({ status: 404, headers: {} }));
  server.route('/moved', () => ({ status: 302, headers: { location: server.url('new.req.v6.test', '/target.txt') } }));
  server.route('/requests-fixture', () =>
    page(`
      <img src="${server.url('img.req.v6.test', '/i.png?n=1')}">
      <img src="${server.url('img.req.v6.test', '/i.png?n=2')}">
      <script src="${server.url('js.req.v4.test', '/a.js')}"></script>
      <script>
        async function run() {
          await fetch(${JSON.stringify(server.url('api.req.v6.test', '/missing'))});
          await (await fetch(${JSON.stringify(server.url('old.req.v4.test', '/moved'))})).text();
          await (await fetch(${JSON.stringify(server.url('plain.req.v4.test', '/seg.txt?size=64'))})).text();
          document.title = 'done';
        }
        window.addEventListener('load', () => run().catch((e) => { document.title = 'failed: ' + e; }));
      </script>`),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface RequestRowSeen {
  url: string;
  status: string;
  family: string;
  type: string;
  address: string;
}

function readRequestRows(report: Page): Promise<RequestRowSeen[]> {
  return report.$$eval('[data-request-url]', (rows) =>
    rows.map((row) => ({
      url: row.getAttribute('data-request-url') ?? '',
      status: row.getAttribute('data-status') ?? '',
      family: row.getAttribute('data-family') ?? '',
      type: row.getAttribute('data-type') ?? '',
      address: row.getAttribute('data-address') ?? '',
    })),
  );
}

const familyOfServed = (served: ServedRequest): string => (served.address.includes(':') ? '6' : '4');
const asTriples = (rows: Array<{ url: string; status: string; family: string }>): string[] => rows.map((row) => `${row.url} ${row.status} ${row.family}`).sort();

describe('the Requests view in Chromium', () => {
  let tab: Page;
  let report: Page;
  let expected: string[];

  beforeAll(async () => {
    tab = await browser.context.newPage();
    await tab.goto(server.url(PAGE_HOST, '/requests-fixture'), { waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    const served = server.served();
    // What the page made the server answer: the page, two images, a script, a 404, a redirect and its target, a text.
    expect(served.map((s) => s.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 302, 404]);
    expected = asTriples(served.map((s) => ({ url: s.url, status: String(s.status), family: familyOfServed(s) })));
    report = await openReportPage(browser, await tabIdOf(browser, tab));
    await report.waitForSelector('[data-view="requests"]');
  });

  it('lists exactly the requests the server saw, with their URL, status and family', async () => {
    // The domain table is shown first; the view switch shows the log.
    expect(await report.locator('[data-request-url]').count()).toBe(0);
    await report.click('[data-view="requests"]');
    const rows = await pollRows(() => readRequestRows(report), (seen) => asTriples(seen).join('\n') === expected.join('\n'), 20_000, 150);
    expect(asTriples(rows)).toEqual(expected);
    const missing = rows.find((row) => row.url.endsWith('/missing'));
    expect(missing).toMatchObject({ status: '404', family: '6', address: '::1', type: 'xmlhttprequest' });
    expect(rows.find((row) => row.url.endsWith('/a.js'))).toMatchObject({ status: '200', family: '4', address: '127.0.0.1', type: 'script' });
    expect(rows.find((row) => row.url.endsWith('/moved'))?.status).toBe('302');
    expect(await report.getAttribute('.ring-note', 'data-dropped')).toBe('0');
    expect(await report.textContent('.ring-note')).toContain('The last 2,000 requests');
    // The full URL is on hover of the shortened cell.
    expect(await report.getAttribute(`[data-request-url="${server.url('api.req.v6.test', '/missing')}"] td.url`, 'title')).toBe(server.url('api.req.v6.test', '/missing'));
  });

  it('filters by family, type and text, and sorts by status', async () => {
    await report.uncheck('[data-request-filter-family="4"]');
    let rows = await readRequestRows(report);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.family === '6')).toBe(true);
    expect(rows).toHaveLength(expected.filter((line) => line.endsWith(' 6')).length);
    await report.check('[data-request-filter-family="4"]');
    await report.selectOption('[data-request-filter-type]', 'image');
    rows = await readRequestRows(report);
    expect(rows.map((row) => row.url).sort()).toEqual([server.url('img.req.v6.test', '/i.png?n=1'), server.url('img.req.v6.test', '/i.png?n=2')]);
    await report.selectOption('[data-request-filter-type]', 'all');
    await report.fill('[data-request-filter-text]', 'MISSING');
    rows = await readRequestRows(report);
    expect(rows.map((row) => row.status)).toEqual(['404']);
    await report.fill('[data-request-filter-text]', '');
    expect(await readRequestRows(report)).toHaveLength(expected.length);
    await report.click('th[data-request-sort="status"] button');
    await report.click('th[data-request-sort="status"] button');
    expect(await report.getAttribute('th[data-request-sort="status"]', 'aria-sort')).toBe('descending');
    expect((await readRequestRows(report)).map((row) => row.status).slice(0, 2)).toEqual(['404', '302']);
  });

  it('exports a HAR 1.2 file that validates and whose entries are the server’s log', async () => {
    const [download] = await Promise.all([report.waitForEvent('download'), report.click('[data-export="har"]')]);
    expect(download.suggestedFilename()).toMatch(/^ipvlens-req-page\.v4\.test-\d{4}-\d\d-\d\dT\d\d-\d\d\.har$/);
    const har = JSON.parse(readFileSync(await download.path(), 'utf8')) as Har;
    const { valid, errors } = harValidator()(har);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
    const entries = har.log.entries;
    expect(asTriples(entries.map((e) => ({ url: e.request.url, status: String(e.response.status), family: e.serverIPAddress?.includes(':') === true ? '6' : '4' })))).toEqual(expected);
    const servedAddresses = server
      .served()
      .map((s) => `${s.url} ${s.address}`)
      .sort();
    expect(entries.map((e) => `${e.request.url} ${e.serverIPAddress ?? ''}`).sort()).toEqual(servedAddresses);
    // Chrome's HTTP version is never written as known.
    expect(entries.every((e) => e.request.httpVersion === '' && e.response.httpVersion === '')).toBe(true);
    expect(har.log.pages[0]?.title).toBe(server.url(PAGE_HOST, '/requests-fixture'));
    const moved = entries.find((e) => e.request.url.endsWith('/moved'));
    expect(moved?.response.redirectURL).toBe(server.url('new.req.v6.test', '/target.txt'));
    const text = entries.find((e) => e.request.url.includes('/seg.txt'));
    expect(text?.response.content).toEqual({ size: 64, mimeType: 'text/plain' });
  });
});
