/**
 * The toolbar popup shows the tab of the window it opened over, never another window's. The worker
 * that serves the popup page has no window: it draws the last focused window's tab, and when that
 * is not the popup's own (focus moved as the popup opened), the page refuses those rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { currentWorker, launchWithExtension, openPopup, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import { CdpClient } from '../support/cdp';
import { openToolbarPopup, waitForToolbarRows } from '../support/toolbarPopup';
import { img, page } from './fixtures';

let server: FixtureServer;
let browser: ExtensionBrowser;
let cdp: CdpClient;

beforeAll(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension({ extraArgs: ['--remote-debugging-port=0'] });
  cdp = await CdpClient.connect(browser.userDataDir);
  server.route('/first-window', () => page(img(server, 'only-first.popupwin.v4.test')));
  server.route('/second-window', () => page(img(server, 'only-second.popupwin.v6.test')));
});

afterAll(async () => {
  cdp?.close();
  await browser?.close();
  await server?.close();
});

/** The browser's id of the window a tab is in, and whether it is the last focused one. */
async function windowOf(tabId: number): Promise<number> {
  const worker = await currentWorker(browser);
  return worker.evaluate(async (id: number) => (await chrome.tabs.get(id)).windowId, tabId);
}

async function lastFocusedWindow(): Promise<number | undefined> {
  const worker = await currentWorker(browser);
  return worker.evaluate(async () => (await chrome.windows.getLastFocused()).id);
}

describe('the toolbar popup over one of two windows', () => {
  it("shows its own window's tab and refuses the served rows of the window focused last", async () => {
    // One window with a tab on the first page; a second window with the second page.
    const first = await browser.context.newPage();
    await first.goto(server.url('page.popupwin.v4.test', '/first-window'), { waitUntil: 'load' });
    const firstTab = await tabIdOf(browser, first);
    const worker = await currentWorker(browser);
    const secondUrl = server.url('page.popupwin.v6.test', '/second-window');
    const [second] = await Promise.all([
      browser.context.waitForEvent('page', (p) => p.url() === secondUrl),
      worker.evaluate(async (url: string) => void (await chrome.windows.create({ url, focused: true })), secondUrl),
    ]);
    await second.waitForLoadState('load');
    const secondTab = await tabIdOf(browser, second);
    const firstWindow = await windowOf(firstTab);
    const secondWindow = await windowOf(secondTab);
    expect(secondWindow).not.toBe(firstWindow);
    // Both tabs are recorded (read through pages of their own).
    for (const [tabId, host] of [[firstTab, 'only-first.popupwin.v4.test'], [secondTab, 'only-second.popupwin.v6.test']] as const) {
      const view = await openPopup(browser, tabId);
      await waitForRows(view, (rows) => rows.some((row) => row.domain === host));
      await view.close();
    }

    // Whichever window the browser counts as focused last (headless Chromium moves focus on no
    // request: the newest window keeps it), the popup opens first over the other one.
    const focused = await lastFocusedWindow();
    expect([firstWindow, secondWindow]).toContain(focused);
    const [other, otherHost, focusedHost] =
      focused === firstWindow
        ? [secondWindow, 'only-second.popupwin.v6.test', 'only-first.popupwin.v4.test']
        : [firstWindow, 'only-first.popupwin.v4.test', 'only-second.popupwin.v6.test'];
    const popup = await openToolbarPopup(browser, cdp, other);
    try {
      const rows = await waitForToolbarRows(popup, (shown) => shown.some((row) => row.domain === otherHost));
      expect(rows.map((row) => row.domain)).not.toContain(focusedHost);
      // The worker drew the window focused last; the page refused it.
      expect(await popup.evaluate<string | undefined>('document.documentElement.dataset.served')).toBe('refused');
    } finally {
      await popup.close();
    }

    // Positive control: over the window focused last now (opening a popup may have moved focus),
    // the served rows are that window's and kept.
    const focusedNow = await lastFocusedWindow();
    const [nowHost, notNowHost] = focusedNow === firstWindow ? ['only-first.popupwin.v4.test', 'only-second.popupwin.v6.test'] : ['only-second.popupwin.v6.test', 'only-first.popupwin.v4.test'];
    const control = await openToolbarPopup(browser, cdp, focusedNow);
    try {
      const rows = await waitForToolbarRows(control, (shown) => shown.some((row) => row.domain === nowHost));
      expect(rows.map((row) => row.domain)).not.toContain(notNowHost);
      expect(await control.evaluate<string | undefined>('document.documentElement.dataset.served')).toBe('prerendered');
    } finally {
      await control.close();
    }
  });
});
