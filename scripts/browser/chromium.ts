/**
 * Launches Chromium with the built extension, headless, as the project's tests, demo (`npm start`)
 * and benchmark all need it. Nothing is downloaded: the browser is the `chromium` on PATH (or
 * CHROMIUM_PATH); without one, findBrowser says what to install.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { findBrowser } from './findBrowser';
import { startProbeServer } from './probeServer';

export const CHROME_DIST = resolve(import.meta.dirname, '../../dist/chrome');

export function chromiumPath(): string {
  return findBrowser('chromium');
}

/** Host names the fixtures use: *.v4.test over 127.0.0.1, *.v6.test over ::1. */
export const RESOLVER_RULES = [
  'MAP v4.test 127.0.0.1',
  'MAP *.v4.test 127.0.0.1',
  'MAP v6.test [::1]',
  'MAP *.v6.test [::1]',
  'MAP mapped.test [::ffff:127.0.0.2]',
].join(', ');

export interface LaunchOptions {
  extensionDir?: string;
  /** Replaces RESOLVER_RULES (tests that map names to addresses of their own). */
  resolverRules?: string;
  headless?: boolean;
  extraArgs?: string[];
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  userDataDir: string;
  close(): Promise<void>;
}

export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? CHROME_DIST;
  const userDataDir = mkdtempSync(join(tmpdir(), 'ipvlens-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${options.resolverRules ?? RESOLVER_RULES}`,
      ...(options.extraArgs ?? []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(worker.url()).host;
  try {
    await waitUntilRequestsReachExtension(context, worker);
  } catch (error) {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    extensionId,
    worker,
    userDataDir,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Chrome drops webRequest events in the first moment after an extension starts, until its
 * listeners are registered with the browser. Rather than sleep and hope, load a probe page
 * (probeServer.ts) until a webRequest listener added in the extension's worker sees it:
 * registrations reach the browser in order, so the worker's own listeners, added at its start,
 * are in place by then.
 */
async function waitUntilRequestsReachExtension(context: BrowserContext, worker: Worker, timeoutMs = 30_000): Promise<void> {
  const server = await startProbeServer();
  const page = await context.newPage();
  try {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const url = server.url(attempt);
      // Resolves true once the worker sees the request, false after a second without it. A string,
      // so that no helper a TypeScript loader adds to named functions (tsx's __name) is needed there.
      const seen = worker.evaluate<boolean>(`new Promise((resolveSeen) => {
        const probe = ${JSON.stringify(url)};
        const listener = (details) => { if (details.url === probe) done(true); };
        const done = (result) => {
          chrome.webRequest.onCompleted.removeListener(listener);
          clearTimeout(timer);
          resolveSeen(result);
        };
        const timer = setTimeout(() => done(false), 1000);
        chrome.webRequest.onCompleted.addListener(listener, { urls: ['<all_urls>'] });
      })`);
      // The listener may not be in place yet when the page loads: that attempt is then missed, and
      // the next one loads a fresh URL.
      await page.goto(url).catch(() => undefined);
      if (await seen) return;
    }
    throw new Error(`the extension saw no request within ${timeoutMs} ms of starting`);
  } finally {
    await page.close().catch(() => undefined);
    await server.close();
  }
}

/** The extension's current service worker (it may have been restarted). */
export async function currentWorker(browser: ExtensionBrowser): Promise<Worker> {
  const worker = browser.context.serviceWorkers().find((w) => w.url().includes(browser.extensionId));
  return worker ?? browser.context.waitForEvent('serviceworker', { timeout: 30_000 });
}

/** The browser's tab id of a page, asked of the extension (which sees fixture URLs by host permission). */
export async function tabIdOf(browser: ExtensionBrowser, page: Page): Promise<number> {
  const url = page.url();
  const worker = await currentWorker(browser);
  const id = await worker.evaluate(async (target: string) => {
    const tabs = await chrome.tabs.query({});
    return tabs.find((tab) => tab.url === target)?.id;
  }, url);
  if (id === undefined) throw new Error(`no tab found for ${url}`);
  return id;
}

export interface PopupRow {
  domain: string;
  family: string;
  requests: number;
  /** Primary address as shown, '' if none yet. */
  address: string;
  /** data-class: the primary address's class, '' if none (or unparseable). */
  addressClass: string;
}

/** A page of the extension, e.g. `src/options/index.html`. */
export function extensionPageUrl(browser: ExtensionBrowser, path: string): string {
  return `chrome-extension://${browser.extensionId}/${path}`;
}

/** The popup page; as the toolbar popup it has no query, opened for a tab see popupUrl. */
export function popupPageUrl(browser: ExtensionBrowser): string {
  return extensionPageUrl(browser, 'src/popup/index.html');
}

export function popupUrl(browser: ExtensionBrowser, tabId: number): string {
  return `${popupPageUrl(browser)}?tabId=${tabId}`;
}

/**
 * Evaluated in a popup: its rows through the stable data-* contract. An expression, so that a
 * Playwright page and a DevTools session (the toolbar popup) read the rows the same way.
 */
export const ROWS_EXPRESSION = `[...document.querySelectorAll('[data-domain]')].map((el) => ({
  domain: el.getAttribute('data-domain') ?? '',
  family: el.getAttribute('data-family') ?? '',
  requests: Number(el.getAttribute('data-requests')),
  address: el.getAttribute('data-address') ?? '',
  addressClass: el.getAttribute('data-class') ?? '',
}))`;

export async function readRows(popup: Page): Promise<PopupRow[]> {
  return popup.evaluate<PopupRow[]>(ROWS_EXPRESSION);
}

/** Set on the popup's root element once its app answers clicks (popup/main.tsx). */
export const POPUP_LIVE = 'html[data-live]';

/**
 * Opens the popup for a tab in a page of its own (wait for its rows with waitForRows), and waits
 * until its app has taken over the rows the worker served, so that a click reaches the app.
 */
export async function openPopup(browser: ExtensionBrowser, tabId: number): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.goto(popupUrl(browser, tabId));
  await popup.waitForSelector(POPUP_LIVE, { state: 'attached' });
  return popup;
}

/** The full report page for a tab (`src/report/index.html?tabId=N`); without a tab, the page alone. */
export function reportPageUrl(browser: ExtensionBrowser, tabId?: number): string {
  const page = extensionPageUrl(browser, 'src/report/index.html');
  return tabId === undefined ? page : `${page}?tabId=${tabId}`;
}

/** Opens the full report on a tab in a page of its own. */
export async function openReportPage(browser: ExtensionBrowser, tabId: number): Promise<Page> {
  const report = await browser.context.newPage();
  await report.goto(reportPageUrl(browser, tabId));
  return report;
}

/** Reads rows (of any shape) every `intervalMs` until `ready` holds for them. */
export async function pollRows<Row = PopupRow>(
  read: () => Promise<Row[]>,
  ready: (rows: Row[]) => boolean,
  timeoutMs: number,
  intervalMs: number,
): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = await read();
    if (ready(rows)) return rows;
    await sleep(intervalMs);
  }
  throw new Error(`popup rows never became ready; last seen: ${JSON.stringify(rows.slice(0, 20))}`);
}

export function waitForRows(popup: Page, ready: (rows: PopupRow[]) => boolean, timeoutMs = 15_000): Promise<PopupRow[]> {
  return pollRows(() => readRows(popup), ready, timeoutMs, 150);
}

/** Stops every service worker, as the browser does to an idle one; the next event starts it anew. */
export async function stopServiceWorkers(browser: ExtensionBrowser, page: Page): Promise<void> {
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

export function rowOf(rows: PopupRow[], domain: string): PopupRow | undefined {
  return rows.find((row) => row.domain === domain);
}
