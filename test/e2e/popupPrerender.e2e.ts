/**
 * The popup page as the worker serves it (background/popupPage.ts): the rows are in the HTML the
 * browser receives, before any script of the page runs, with the answer they were drawn from; the
 * page's app then takes the rows over where they are and follows the tab; a stopped worker is woken by the popup's navigation and serves them from
 * what it had stored; with nothing to show, the page comes as packaged and the app says why.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { launchWithExtension, openPopup, POPUP_LIVE, popupUrl, readRows, stopServiceWorkers, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import english from '../../public/_locales/en/messages.json';
import { attributeOf, elementsOf, rowsOf } from '../support/htmlRows';
import { SERVED_ANSWER_ID, parseServedAnswer } from '../../src/popup/servedAnswer';
import { img, page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;
const HOSTS = 30;
const hostOf = (i: number): string => `d${i}.served.${i % 2 === 0 ? 'v4' : 'v6'}.test`;

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension();
  server.route('/many', () => page(Array.from({ length: HOSTS }, (_, i) => img(server, hostOf(i))).join('')));
  server.route('/more', () => page(img(server, 'later.served.v6.test')));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The rows in the HTML the browser received for the popup page (what the worker served), by domain → family. */
async function servedRows(popup: Page, tabId: number): Promise<Map<string, string | undefined>> {
  const response = await popup.goto(popupUrl(browser, tabId));
  if (response === null) throw new Error('the popup page came without a response');
  return new Map(rowsOf(await response.text()).map((e) => [attributeOf(e, 'data-domain') ?? '', attributeOf(e, 'data-family')]));
}

/** A tab on the many-host page, recorded in full (read through the popup as the app draws it). */
async function loadedTab(): Promise<{ tab: Page; tabId: number }> {
  const tab = await browser.context.newPage();
  await tab.goto(server.url('page.served.v4.test', '/many'), { waitUntil: 'load' });
  const tabId = await tabIdOf(browser, tab);
  const popup = await openPopup(browser, tabId);
  await waitForRows(popup, (rows) => rows.length === HOSTS + 1);
  await popup.close();
  return { tab, tabId };
}

function expectEveryHost(rows: Map<string, string | undefined>): void {
  expect(rows.size).toBe(HOSTS + 1);
  expect(rows.get('page.served.v4.test')).toBe('4');
  for (let i = 0; i < HOSTS; i++) expect(rows.get(hostOf(i)), hostOf(i)).toBe(i % 2 === 0 ? '4' : '6');
}

describe('the popup page served by the worker', () => {
  it('arrives with every row and the answer in it, and its app takes the rows over where they are and follows the tab', async () => {
    const { tab, tabId } = await loadedTab();
    const popup = await browser.context.newPage();
    try {
      // Counts rows taken out of the document, from before the page's own script.
      await popup.addInitScript(() => {
        const counter = window as unknown as { rowsRemoved: number };
        counter.rowsRemoved = 0;
        new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.removedNodes) {
              if (node instanceof Element && (node.matches('[data-domain]') || node.querySelector('[data-domain]') !== null)) counter.rowsRemoved++;
            }
          }
        }).observe(document, { childList: true, subtree: true });
      });
      const response = await popup.goto(popupUrl(browser, tabId));
      const html = (await response?.text()) ?? '';
      expectEveryHost(new Map(rowsOf(html).map((e) => [attributeOf(e, 'data-domain') ?? '', attributeOf(e, 'data-family')])));
      // After the rows, the answer they were drawn from.
      const [block, ...others] = elementsOf(html).filter((e) => e.tagName === 'script' && attributeOf(e, 'id') === SERVED_ANSWER_ID);
      expect(others).toHaveLength(0);
      const answer = parseServedAnswer(block?.childNodes.map((child) => ('value' in child ? child.value : '')).join(''));
      expect(answer?.answer.report.state === 'ok' ? answer.answer.report.snapshot.domains.length : 0).toBe(HOSTS + 1);
      await popup.waitForSelector(POPUP_LIVE, { state: 'attached' });
      expect(await popup.evaluate(() => document.documentElement.dataset.served)).toBe('prerendered');
      // The app took over the worker's rows where they are: none was taken out and drawn again,
      // and the answer's text is not kept in the page.
      expect(await popup.evaluate(() => (window as unknown as { rowsRemoved: number }).rowsRemoved)).toBe(0);
      expect(await popup.locator(`#${SERVED_ANSWER_ID}`).count()).toBe(0);
      expect((await readRows(popup)).length).toBe(HOSTS + 1);
      await tab.evaluate((src) => {
        const image = document.createElement('img');
        image.src = src;
        document.body.append(image);
      }, server.url('later.served.v6.test', '/i.png'));
      const rows = await waitForRows(popup, (r) => r.some((row) => row.domain === 'later.served.v6.test'));
      expect(rows.find((row) => row.domain === 'later.served.v6.test')?.family).toBe('6');
      // Control for the counter: a new page on the tab takes the old page's rows out.
      await tab.goto(server.url('page.served.v4.test', '/more'), { waitUntil: 'load' });
      await waitForRows(popup, (r) => r.length === 2);
      expect(await popup.evaluate(() => (window as unknown as { rowsRemoved: number }).rowsRemoved)).toBeGreaterThan(0);
    } finally {
      await popup.close();
      await tab.close();
    }
  });

  it('keeps the look-up links of rows reached, and keyboard focus on a link, when a live update rebuilds the cells', async () => {
    const { tab, tabId } = await loadedTab();
    const popup = await openPopup(browser, tabId);
    try {
      const row = '[data-domain="page.served.v4.test"]';
      // From the keyboard: the row, its domain, then the domain's look-up link.
      await popup.focus(row);
      await popup.keyboard.press('ArrowRight');
      await popup.keyboard.press('ArrowRight');
      expect(await popup.evaluate(() => document.activeElement?.matches('.domain a.lookup'))).toBe(true);
      const before = Number(await popup.getAttribute(row, 'data-requests'));
      await tab.evaluate(async (url) => void (await fetch(url)), server.url('page.served.v4.test', '/i.png?again'));
      // The row's cells were rebuilt with the new count…
      await popup.waitForFunction(([selector, count]) => Number(document.querySelector(selector as string)?.getAttribute('data-requests')) > count, [row, before] as const);
      // …and focus is on the same link of the new cells, the row has its links again.
      expect(await popup.evaluate((selector) => document.activeElement?.matches(`${selector} .domain a.lookup`), row)).toBe(true);
      expect(await popup.locator(`${row} a.lookup`).count()).toBe(2);
      // The pointer: links come to the row pointed at, not to the others.
      const other = `[data-domain="${hostOf(3)}"]`;
      expect(await popup.locator(`${other} a.lookup`).count()).toBe(0);
      await popup.hover(`${other} .address .copy`);
      await popup.waitForSelector(`${other} .address a.lookup`, { state: 'attached' });
    } finally {
      await popup.close();
      await tab.close();
    }
  });

  it('is served with its rows by a worker the navigation wakes, from what it had stored', async () => {
    const { tab, tabId } = await loadedTab();
    const popup = await browser.context.newPage();
    try {
      await stopServiceWorkers(browser, tab);
      expectEveryHost(await servedRows(popup, tabId));
      await popup.waitForSelector(POPUP_LIVE, { state: 'attached' });
      expect((await readRows(popup)).length).toBe(HOSTS + 1);
    } finally {
      await popup.close();
      await tab.close();
    }
  });

  it('comes as packaged for a tab it knows nothing of, and the app says so', async () => {
    const popup = await browser.context.newPage();
    try {
      const rows = await servedRows(popup, 999_999);
      expect(rows.size).toBe(0);
      await popup.waitForSelector(POPUP_LIVE, { state: 'attached' });
      expect(await popup.evaluate(() => document.documentElement.dataset.served)).toBe('packaged');
      // The app's own answer for a tab that is not there.
      expect(await popup.locator('[role="status"] h1').textContent()).toBe(english.tabClosedTitle.message);
      expect(await popup.locator('[data-domain]').count()).toBe(0);
    } finally {
      await popup.close();
    }
  });
});
