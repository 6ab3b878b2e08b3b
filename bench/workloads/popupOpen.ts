/**
 * Bench workload "popup" (IPvLens runs only, after the CPU and memory samples): the real toolbar
 * popup opened POPUP_OPENS times on the 300-domain tab, its performance marks read, and its rows
 * checked to list every image host with the right family.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../scripts/browser/chromium';
import { CdpClient } from '../../test/support/cdp';
import { openToolbarPopup, type ToolbarPopup } from '../../test/support/toolbarPopup';
import { BrokenRun } from '../harness';
import { DOMAINS, manyHost } from './pageLoad';

/** Popup opens per ipvlens run; the first (cold) one is also reported on its own. */
export const POPUP_OPENS = 5;

/** One popup open; all times in ms. Marks are set by the popup (src/popup/, src/ui/paint.ts). */
export interface PopupOpen {
  /** Script start (`ipvlens:script-start`) → first frame with data painted (`ipvlens:first-data`): the budgeted figure. */
  firstRenderMs: number;
  /** Navigation start → first frame with data: what a user waits, including the browser loading the page. */
  fromNavigationMs: number;
  /** Report received from the worker → first frame with data: rendering alone. */
  renderOnlyMs: number;
  /** Script start → every row in the DOM (`ipvlens:all-rows`). */
  allRowsMs: number;
  rows: number;
}

export interface PopupResult {
  opens: PopupOpen[];
}

/** The popup's marks once all four are set; undefined until then. Runs in the popup. */
const MARKS_EXPRESSION = `(() => {
  const times = ['script-start', 'report-received', 'first-data', 'all-rows']
    .map((name) => performance.getEntriesByName('ipvlens:' + name, 'mark')[0]?.startTime);
  return times.some((t) => t === undefined) ? undefined : times;
})()`;

/**
 * Opens the real toolbar popup on the active tab, waits for its marks with a slow poll (reading
 * while it renders would compete with it), checks its rows, and closes it.
 */
async function openToolbarPopupOnce(browser: ExtensionBrowser, cdp: CdpClient): Promise<PopupOpen> {
  let popup: ToolbarPopup;
  try {
    popup = await openToolbarPopup(browser, cdp);
  } catch (error) {
    throw new BrokenRun(String(error));
  }
  try {
    let times: [number, number, number, number] | undefined;
    for (const deadline = Date.now() + 30_000; times === undefined && Date.now() < deadline; ) {
      await sleep(250);
      times = await popup.evaluate<[number, number, number, number] | undefined>(MARKS_EXPRESSION);
    }
    if (times === undefined) throw new BrokenRun('the popup did not set all of its ipvlens:* marks');
    const [scriptStart, reportReceived, firstData, allRows] = times;
    // Every image host must be listed, over the family its name maps to.
    const rows = await popup.rows();
    const family = new Map(rows.map((row) => [row.domain, row.family]));
    const wrong: string[] = [];
    for (let i = 1; i <= DOMAINS; i++) {
      const host = manyHost(i);
      const expected = host.endsWith('.v6.test') ? '6' : '4';
      if (family.get(host) !== expected) wrong.push(`${host}=${family.get(host) ?? 'missing'}`);
    }
    if (wrong.length > 0) throw new BrokenRun(`popup rows wrong for ${wrong.length} hosts, e.g. ${wrong.slice(0, 5).join(', ')}`);
    return {
      firstRenderMs: firstData - scriptStart,
      fromNavigationMs: firstData,
      renderOnlyMs: firstData - reportReceived,
      allRowsMs: allRows - scriptStart,
      rows: rows.length,
    };
  } finally {
    await popup.close();
  }
}

export async function measurePopup(browser: ExtensionBrowser, tab: Page, opens = POPUP_OPENS): Promise<PopupResult> {
  // The toolbar popup shows the active tab.
  await tab.bringToFront();
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    const results: PopupOpen[] = [];
    for (let i = 0; i < opens; i++) {
      results.push(await openToolbarPopupOnce(browser, cdp));
      await sleep(300);
    }
    return { opens: results };
  } finally {
    cdp.close();
  }
}
