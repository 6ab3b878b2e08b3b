/**
 * The domain tables read well at the sizes people use: the report at 1280 × 800 and 1920 × 1080,
 * the popup page at 800 × 600. No cell's content leaves its cell or overlaps a neighbour, no header
 * is cut, every row is one line (boxes measured in the real browser, test/support/layoutCheck.ts).
 * And the toolbar popup puts its table first: on a static page the live panel is folded and the
 * first row starts in the top third; on a streaming page the panel is open.
 * Screenshots: set LAYOUT_SHOTS=<dir> to save what was measured.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdpClient } from '../support/cdp';
import { launchWithExtension, openPopup, openReportPage, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { POPUP_LAYOUT, REPORT_LAYOUT, type LayoutProblems } from '../support/layoutCheck';
import { openToolbarPopup } from '../support/toolbarPopup';
import { page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;
let cdp: CdpClient;

const PAGE_HOST = 'layout-page.v4.test';
/** A realistic mix: long names, both families, a mapped peer, big and unsized bodies, a failure. */
const HOSTS = [
  'a-rather-long-subdomain-name-for-the-layout.static-content.cdn.v6.test',
  'tracker-with-a-long-name.analytics.layout.v4.test',
  'mapped.test',
  ...Array.from({ length: 30 }, (_, i) => `h${i}.layout.v${i % 3 === 0 ? 4 : 6}.test`),
];
const shots = process.env.LAYOUT_SHOTS;

beforeAll(async () => {
  server = await startFixtureServer({ extraAddresses: ['127.0.0.2'] });
  browser = await launchWithExtension({ extraArgs: ['--remote-debugging-port=0'] });
  cdp = await CdpClient.connect(browser.userDataDir);
  server.route('/layout-fixture', () => {
    const urls = HOSTS.flatMap((host, i) => [server.url(host, `/seg.ts?size=${1000 * (i + 1) * (i + 1)}`), server.url(host, `/seg.ts?chunked=1&n=${i}`)]);
    return page(`<script>
      Promise.all(${JSON.stringify(urls)}.map((url) => fetch(url).then((r) => r.text())))
        .then(() => fetch(${JSON.stringify(server.url('fails.layout.v4.test', '/nothing-here'))}).catch(() => undefined))
        .then(() => { document.title = 'done'; }, (e) => { document.title = 'failed: ' + e; });
    </script>`);
  });
  // Streams until the tab closes: a segment every 400 ms from one host.
  server.route('/layout-stream', () =>
    page(`<script>
      let n = 0;
      (async () => { for (;;) { await (await fetch(${JSON.stringify(server.url('stream.layout.v6.test', '/seg.ts?delay=400'))} + '&n=' + n++)).text(); } })();
    </script>`),
  );
});

afterAll(async () => {
  cdp?.close();
  await browser?.close();
  await server?.close();
});

const noProblems = (problems: LayoutProblems): Omit<LayoutProblems, 'rows'> => ({ overlaps: problems.overlaps, clippedHeaders: problems.clippedHeaders, tallRows: problems.tallRows });
const CLEAN = { overlaps: [], clippedHeaders: [], tallRows: [] };

async function measure(view: Page, expression: string, name: string): Promise<LayoutProblems> {
  if (shots !== undefined) await view.screenshot({ path: join(shots, `${name}.png`) });
  return view.evaluate<LayoutProblems>(expression);
}

describe('domain tables in Chromium', () => {
  let tabId: number;
  let report: Page;

  beforeAll(async () => {
    const tab = await browser.context.newPage();
    await tab.goto(server.url(PAGE_HOST, '/layout-fixture'), { waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    tabId = await tabIdOf(browser, tab);
    report = await openReportPage(browser, tabId);
    await report.waitForFunction((count) => document.querySelectorAll('tbody tr[data-domain]').length >= count, HOSTS.length + 1, { timeout: 15_000 });
  });

  it.each([
    [1280, 800],
    [1920, 1080],
  ])('the report at %i × %i: no overlap, no cut header, one line per row', async (width, height) => {
    await report.setViewportSize({ width, height });
    const problems = await measure(report, REPORT_LAYOUT, `report-${width}x${height}`);
    expect(problems.rows).toBeGreaterThan(HOSTS.length);
    expect(noProblems(problems)).toEqual(CLEAN);
    // And the table fits the window: nothing to scroll sideways for.
    expect(await report.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  });

  it('the checker catches an overlap, a cut header and a wrapped row (positive control)', async () => {
    await report.setViewportSize({ width: 1280, height: 800 });
    // The old trouble, put back: columns too narrow for their badges and headers, cells that wrap.
    const style = await report.addStyleTag({ content: '.report-table tr { grid-template-columns: repeat(20, 3em) !important } .report-table td, .report-table td > * { white-space: normal !important; word-break: break-all; }' });
    const problems = await measure(report, REPORT_LAYOUT, 'report-injected-overlap');
    await style.evaluate((element) => (element as Element).remove());
    expect(problems.overlaps.length).toBeGreaterThan(0);
    expect(problems.clippedHeaders.length).toBeGreaterThan(0);
    expect(problems.tallRows.length).toBeGreaterThan(0);
    expect(noProblems(await report.evaluate<LayoutProblems>(REPORT_LAYOUT))).toEqual(CLEAN);
  });

  it('the columns menu shows and hides a column', async () => {
    await report.setViewportSize({ width: 1280, height: 800 });
    const menu = report.locator('.columns-menu');
    await menu.evaluate((details) => ((details as HTMLDetailsElement).open = false));
    await menu.locator('summary').click();
    expect(await menu.evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true);
    const box = menu.locator('input[data-column="firstSeen"]');
    expect(await report.locator('th[data-sort="firstSeen"]').count()).toBe(0);
    await box.check();
    expect(await report.locator('th[data-sort="firstSeen"]').count()).toBe(1);
    await box.uncheck();
    expect(await report.locator('th[data-sort="firstSeen"]').count()).toBe(0);
  });

  it('the popup page at 800 × 600: no overlap, no cut header, one line per row', async () => {
    const popup = await openPopup(browser, tabId);
    try {
      await popup.setViewportSize({ width: 800, height: 600 });
      await waitForRows(popup, (rows) => rows.length > HOSTS.length);
      const problems = await measure(popup, POPUP_LAYOUT, 'popup-page-800x600');
      expect(problems.rows).toBeGreaterThan(HOSTS.length);
      expect(noProblems(problems)).toEqual(CLEAN);
      expect(await popup.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    } finally {
      // Left open, it would be the page the toolbar popup tests below find.
      await popup.close();
    }
  });
});

/** The toolbar popup's first row's top, the rows wholly above 600 px (a popup's tallest), and whether its live panel is open. */
const FIRST_SCREEN = `(() => {
  const rows = [...document.querySelectorAll('.domains [role="row"][data-domain]')];
  const panel = document.querySelector('.live');
  return {
    firstRowTop: rows[0]?.getBoundingClientRect().top ?? -1,
    rowsInView: rows.filter((row) => row.getBoundingClientRect().bottom <= 600).length,
    panelOpen: panel !== null && (panel.tagName !== 'DETAILS' || panel.open),
    shares: document.querySelectorAll('[data-share]').length,
    height: innerHeight,
  };
})()`;

interface FirstScreen {
  firstRowTop: number;
  rowsInView: number;
  panelOpen: boolean;
  shares: number;
  height: number;
}

describe('the toolbar popup puts the table first', () => {
  it('on a static page: the live panel folded (still in the page), the first row in the top third', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(server.url(PAGE_HOST, '/layout-fixture'), { waitUntil: 'load' });
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    await tab.bringToFront();
    const popup = await openToolbarPopup(browser, cdp);
    try {
      let screen: FirstScreen | undefined;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
        screen = await popup.evaluate<FirstScreen>(FIRST_SCREEN);
        if (screen.rowsInView > 0) break;
      }
      console.log(`static page, toolbar popup: first row at ${screen?.firstRowTop}px, ${screen?.rowsInView} rows above 600 px (window ${screen?.height} px high)`);
      expect(screen?.panelOpen).toBe(false);
      expect(screen?.shares).toBe(3);
      expect(screen?.firstRowTop).toBeGreaterThan(0);
      expect(screen?.firstRowTop).toBeLessThanOrEqual(200);
      // And its narrower table (720 px) reads as well as the popup page's.
      expect(noProblems(await popup.evaluate<LayoutProblems>(POPUP_LAYOUT))).toEqual(CLEAN);
      // The IPv6 health line shares the summary's line and adds none: same top, one line high (under
      // one and a half of the summary's; a second line would double it).
      const health = await popup.evaluate<{ summaryTop: number; summaryHeight: number; top: number; height: number }>(
        `(() => { const s = document.querySelector('header .summary').getBoundingClientRect(); const h = document.querySelector('header [data-ipv6-health]').getBoundingClientRect(); return { summaryTop: s.top, summaryHeight: s.height, top: h.top, height: h.height }; })()`,
      );
      expect(Math.abs(health.top - health.summaryTop)).toBeLessThan(4);
      expect(health.height).toBeLessThan(health.summaryHeight * 1.5);
      // Folded is one click from open.
      expect(await popup.evaluate<boolean>(`(() => { document.querySelector('details.live > summary').click(); return document.querySelector('details.live').open; })()`)).toBe(true);
    } finally {
      await popup.close();
      await tab.close();
    }
  });

  it('on a streaming page: the live panel open', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(server.url('layout-stream.v4.test', '/layout-stream'), { waitUntil: 'load' });
    await tab.bringToFront();
    // Live once responses keep coming after the load has settled (see core/live/liveness.ts): the
    // open popup follows the tab, so poll it until its panel opens.
    const popup = await openToolbarPopup(browser, cdp);
    let screen: FirstScreen | undefined;
    try {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && screen?.panelOpen !== true; await tab.waitForTimeout(500)) {
        screen = await popup.evaluate<FirstScreen>(FIRST_SCREEN);
      }
    } finally {
      await popup.close();
    }
    expect(screen?.panelOpen).toBe(true);
    await tab.close();
  });
});
