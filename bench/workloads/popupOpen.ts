/**
 * Bench workload "popup" (after the CPU and memory samples, so the popup's own cost is not in
 * them): the extension's popup page opened in a tab of its own (not the toolbar popup, which only
 * IPvLens could be timed in) on a loaded many-domain tab, one cold open then OPENS warm ones.
 *
 * The same probe times both extensions from outside, from the page's navigation start: it is
 * added before the page's own scripts and, once per frame, in the task after that frame's paint
 * (rows in the document and laid out), counts the rows. It records
 *   - firstScreen: the first such task with a row in the document and either the rows reaching
 *     past the bottom of the viewport (800×600, the largest toolbar popup) or all rows in;
 *   - rows250: 250 rows in the document (or all, when fewer);
 *   - fullList: all rows in the document: every domain the extension lists (IPvFoo keeps at most
 *     256). IPvLens keeps every row in the document (rows off screen skip layout and paint with
 *     content-visibility), so once all are in, so is the final scroll height.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { tabIdOf, type ExtensionBrowser } from '../../scripts/browser/chromium';
import type { PopupPage } from '../extensions';
import { BrokenRun, median } from '../harness';

/** Warm opens per run and tab, after one cold open. */
export const OPENS = 11;
const VIEWPORT = { width: 800, height: 600 };

/** One open; ms from navigation start. */
export interface PopupTiming {
  firstScreen: number;
  rows250: number;
  fullList: number;
  rows: number;
}

export interface PopupMeasure {
  domains: number;
  cold: PopupTiming;
  warm: PopupTiming[];
}

/** Runs in the popup page before its scripts; results in window.__benchPopup. */
function probeScript(rowSelector: string, fullRows: number): string {
  return `(() => {
  if (location.protocol !== 'chrome-extension:') return;
  const result = {};
  window.__benchPopup = result;
  const afterPaint = () => new Promise((done) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done();
    channel.port2.postMessage(0);
  }));
  (async () => {
    for (;;) {
      await afterPaint();
      const now = performance.now();
      const rows = document.querySelectorAll(${JSON.stringify(rowSelector)});
      const n = rows.length;
      if (result.firstScreen === undefined && n > 0 && (n >= ${fullRows} || rows[n - 1].getBoundingClientRect().top >= innerHeight)) result.firstScreen = now;
      if (result.rows250 === undefined && n >= ${Math.min(250, fullRows)}) result.rows250 = now;
      if (n >= ${fullRows}) { result.fullList = now; result.rows = n; return; }
    }
  })();
})();`;
}

async function openOnce(browser: ExtensionBrowser, popup: PopupPage, url: string, fullRows: number, check: (page: Page) => Promise<void>): Promise<PopupTiming> {
  const page = await browser.context.newPage();
  try {
    await page.setViewportSize(VIEWPORT);
    await page.addInitScript(probeScript(popup.rowSelector, fullRows));
    await page.goto(url);
    let timing: PopupTiming | undefined;
    // A slow poll: reading competes with the page's rendering.
    for (const deadline = Date.now() + 60_000; timing === undefined && Date.now() < deadline; ) {
      await sleep(250);
      timing = await page.evaluate(() => {
        const result = (window as unknown as { __benchPopup?: Partial<PopupTiming> }).__benchPopup;
        return result?.fullList === undefined ? undefined : (result as PopupTiming);
      });
    }
    if (timing === undefined) {
      const seen = await page.evaluate((selector) => document.querySelectorAll(selector).length, popup.rowSelector);
      throw new BrokenRun(`popup page ${url} showed ${seen} rows, never the ${fullRows} expected`);
    }
    await check(page);
    return timing;
  } finally {
    await page.close();
  }
}

/**
 * Opens the popup page on `tab` (loaded with `domains` hosts) once cold and OPENS times warm.
 * `check` is given the page once all rows are in (e.g. that every host is listed, over the right family).
 */
export async function measurePopup(
  browser: ExtensionBrowser,
  popup: PopupPage,
  tab: Page,
  domains: number,
  check: (page: Page) => Promise<void>,
  opens = OPENS,
): Promise<PopupMeasure> {
  const tabId = await tabIdOf(browser, tab);
  const url = popup.url(browser.extensionId, tabId);
  // Every image host and the page's own.
  const fullRows = Math.min(popup.maxRows, domains + 1);
  const cold = await openOnce(browser, popup, url, fullRows, check);
  const warm: PopupTiming[] = [];
  for (let i = 0; i < opens; i++) {
    await sleep(200);
    warm.push(await openOnce(browser, popup, url, fullRows, check));
  }
  return { domains, cold, warm };
}

/** Medians of the warm opens. */
export function popupMedians(measure: PopupMeasure): PopupTiming {
  const of = (pick: (t: PopupTiming) => number): number => median(measure.warm.map(pick));
  return { firstScreen: of((t) => t.firstScreen), rows250: of((t) => t.rows250), fullList: of((t) => t.fullList), rows: of((t) => t.rows) };
}
