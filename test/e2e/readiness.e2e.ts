/**
 * The IPv6-only verdicts in real Chromium against the local fixture server (issue #15): pages whose
 * hosts are all IPv6, one with an IPv4 third party, one whose own host is IPv4 (score 0), and one
 * fetching from an IPv4 literal (not ready even with NAT64). Expected scores come from the
 * server's own request counts. No DNS check here (off by default): hosts reached over IPv4 stay
 * `unknown`, never guessed.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabExport } from '../../src/core/export/tabExport';
import { currentWorker, launchWithExtension, openPopup, openReportPage, pollRows, tabIdOf, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;

interface Verdicts {
  verdict: string;
  verdictNat64: string;
  score: number;
  scoreWithPublished: number;
}

/** The [data-verdict] element's attributes, or undefined while it is not shown. */
async function readVerdicts(on: Page): Promise<Verdicts | undefined> {
  return on.evaluate(() => {
    const element = document.querySelector<HTMLElement>('[data-verdict]');
    if (element === null) return undefined;
    const data = element.dataset;
    return { verdict: data.verdict ?? '', verdictNat64: data.verdictNat64 ?? '', score: Number(data.score), scoreWithPublished: Number(data.scorePublished) };
  });
}

/** Each row's data-readiness, by domain (popup rows or report rows, whichever `rows` selects). */
async function readReadiness(on: Page, rows: string): Promise<Record<string, string>> {
  return on.$$eval(rows, (elements) => Object.fromEntries(elements.map((element) => [element.getAttribute('data-domain') ?? '', element.getAttribute('data-readiness') ?? ''])));
}

/** Same keys and values, whatever the order (rows are listed grouped by parent domain). */
const sameEntries = (a: Record<string, string>, b: Record<string, string>): boolean => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Polls the page until its verdicts and rows' readiness are the expected ones (or fails with the last seen). */
async function waitForReadiness(on: Page, rows: string, verdicts: Verdicts, readiness: Record<string, string>): Promise<void> {
  const [seen] = await pollRows(
    async () => [{ verdicts: await readVerdicts(on), readiness: await readReadiness(on, rows) }],
    ([state]) => JSON.stringify(state?.verdicts) === JSON.stringify(verdicts) && sameEntries(state?.readiness ?? {}, readiness),
    20_000,
    150,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nexpected ${JSON.stringify({ verdicts, readiness })}`);
  });
  expect(seen?.verdicts).toEqual(verdicts);
}

/** A page that fetches each URL once, in order, then sets its title to "done". */
function fetchingPage(urls: string[]): { body: string } {
  return page(`<script>
    (async () => {
      for (const url of ${JSON.stringify(urls)}) await (await fetch(url)).text();
      document.title = 'done';
    })().catch((e) => { document.title = 'failed: ' + e; });
  </script>`);
}

/** Opens the page in a tab, waits for its fetches, and returns the tab and its id. */
async function visit(host: string, path: string): Promise<{ tab: Page; tabId: number }> {
  const tab = await browser.context.newPage();
  await tab.goto(server.url(host, path), { waitUntil: 'load' });
  await tab.waitForFunction(() => document.title === 'done' || document.title.startsWith('failed'), undefined, { timeout: 30_000 });
  expect(await tab.title()).toBe('done');
  return { tab, tabId: await tabIdOf(browser, tab) };
}

const POPUP_ROWS = '[role="row"][data-domain]';
const REPORT_ROWS = 'tbody tr[data-domain]';
const strict = (ready: number, all: number): number => Math.floor((ready * 100) / all);

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  server.route('/all-v6', () => fetchingPage([server.url('a.ready.v6.test', '/a.js'), server.url('b.ready.v6.test', '/b.css'), server.url('b.ready.v6.test', '/c.css')]));
  server.route('/v4-third-party', () => fetchingPage([server.url('cdn.mixed.v6.test', '/a.js'), server.url('cdn.mixed.v6.test', '/b.js'), server.url('fonts.mixed.v4.test', '/f.css')]));
  server.route('/v4-main', () => fetchingPage([server.url('cdn.main.v6.test', '/a.js'), server.url('cdn.main.v6.test', '/b.js')]));
  // The literal is the fixture server itself on 127.0.0.1, as a streaming service's `http://203.0.113.5/…`.
  server.route('/v4-literal', () => fetchingPage([server.url('cdn.literal.v6.test', '/a.js'), server.url('127.0.0.1', '/stream.txt')]));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('IPv6-only verdicts in Chromium', () => {
  it('a page whose hosts are all IPv6 is ready on both networks, score 100', async () => {
    const { tabId } = await visit('ready.v6.test', '/all-v6');
    const popup = await openPopup(browser, tabId);
    await waitForReadiness(popup, POPUP_ROWS, { verdict: 'ready', verdictNat64: 'ready', score: 100, scoreWithPublished: 100 }, {
      'ready.v6.test': 'ipv6',
      'a.ready.v6.test': 'ipv6',
      'b.ready.v6.test': 'ipv6',
    });
    expect(await popup.textContent('[data-verdict]')).toContain('IPv6-only: ready');
    // Nothing blocks: the list says so when opened.
    await popup.click('[data-verdict]');
    expect(await popup.textContent('[data-blocking-hosts]')).toBe('Every host answered over IPv6.');
    await popup.close();
  });

  it('an IPv4 third party without DNS evidence leaves the IPv6-only verdict unknown; NAT64 ready; the score counts its requests out', async () => {
    const { tabId } = await visit('mixed.v6.test', '/v4-third-party');
    const v6 = server.hits('mixed.v6.test') + server.hits('cdn.mixed.v6.test');
    const all = v6 + server.hits('fonts.mixed.v4.test');
    expect([v6, all]).toEqual([3, 4]);
    const popup = await openPopup(browser, tabId);
    await waitForReadiness(popup, POPUP_ROWS, { verdict: 'unknown', verdictNat64: 'ready', score: strict(v6, all), scoreWithPublished: strict(v6, all) }, {
      'mixed.v6.test': 'ipv6',
      'cdn.mixed.v6.test': 'ipv6',
      'fonts.mixed.v4.test': 'unknown',
    });
    expect(await popup.textContent('[data-verdict]')).toContain('IPv6-only: unknown for 1 of 3 hosts');
    // Enter on the verdict opens the list of hosts without proven IPv6.
    await popup.focus('[data-verdict]');
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('[data-blocking-hosts] li');
    expect(await popup.$$eval('[data-blocking-hosts] li', (items) => items.map((li) => [li.getAttribute('data-domain'), li.getAttribute('data-readiness'), li.getAttribute('data-requests')]))).toEqual([
      ['fonts.mixed.v4.test', 'unknown', '1'],
    ]);
    await popup.close();
  });

  it('a page whose own host is IPv4 scores 0, however much else came over IPv6', async () => {
    const { tabId } = await visit('main.v4.test', '/v4-main');
    expect(server.hits('cdn.main.v6.test')).toBe(2);
    const popup = await openPopup(browser, tabId);
    await waitForReadiness(popup, POPUP_ROWS, { verdict: 'unknown', verdictNat64: 'ready', score: 0, scoreWithPublished: 0 }, {
      'main.v4.test': 'unknown',
      'cdn.main.v6.test': 'ipv6',
    });
    await popup.close();
  });

  it('a page fetching from an IPv4 literal is not ready, not even with NAT64; the report and its export say the same', async () => {
    const { tabId } = await visit('literal.v6.test', '/v4-literal');
    const v6 = server.hits('literal.v6.test') + server.hits('cdn.literal.v6.test');
    const all = v6 + server.hits('127.0.0.1');
    expect([v6, all]).toEqual([2, 3]);
    const expected = { verdict: 'not-ready', verdictNat64: 'not-ready', score: strict(v6, all), scoreWithPublished: strict(v6, all) };
    const readiness = { 'literal.v6.test': 'ipv6', 'cdn.literal.v6.test': 'ipv6', '127.0.0.1': 'ipv4-literal' };
    const popup = await openPopup(browser, tabId);
    await waitForReadiness(popup, POPUP_ROWS, expected, readiness);
    expect(await popup.textContent('[data-verdict]')).toContain('With NAT64: not ready — IPv4 literals: 127.0.0.1');
    await popup.close();
    // The icon's tooltip adds the verdicts (the icon itself is unchanged).
    const tooltip = (): Promise<string> => currentWorker(browser).then((worker) => worker.evaluate((id: number) => chrome.action.getTitle({ tabId: id }), tabId));
    await expect.poll(tooltip, { timeout: 10_000 }).toContain(`IPv6-only: not ready, with NAT64: not ready, score ${expected.score} %`);
    expect(await tooltip()).toMatch(/^literal\.v6\.test — ::1\n/);

    const report = await openReportPage(browser, tabId);
    await waitForReadiness(report, REPORT_ROWS, expected, readiness);
    // The readiness filter keeps only what blocks; its positive control is the full table above.
    await report.selectOption('[data-filter-readiness]', 'ipv4-literal');
    await pollRows(() => readReadiness(report, REPORT_ROWS).then((rows) => [rows]), ([rows]) => sameEntries(rows ?? {}, { '127.0.0.1': 'ipv4-literal' }), 10_000, 100);
    await report.selectOption('[data-filter-readiness]', 'all');

    const [download] = await Promise.all([report.waitForEvent('download'), report.click('[data-export="json"]')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as TabExport;
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync('src/core/export/report-v3.schema.json', 'utf8')) as object);
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    expect({ verdict: exported.verdict, verdictNat64: exported.verdictNat64, score: exported.score, scoreWithPublished: exported.scoreWithPublished }).toEqual(expected);
    expect(Object.fromEntries(exported.domains.map((d) => [d.domain, d.readiness]))).toEqual(readiness);
    await report.close();
  });
});
