/**
 * Launches Debian's firefox-esr (or FIREFOX_PATH) with the built extension (the test build, whose pages may be
 * opened from a web page) over WebDriver BiDi with puppeteer-core. Nothing is downloaded. The
 * extension's UUID is pinned per launch, so its pages' moz-extension:// origin is known.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../build/manifestFor';
import { pollRows, ROWS_EXPRESSION, type PopupRow } from './chromium';
import { findBrowser } from './findBrowser';
import { startProbeServer } from './probeServer';

export const FIREFOX_TEST_DIST = resolve(import.meta.dirname, '../../dist/firefox-test');

export function firefoxPath(): string {
  return findBrowser('firefox');
}

/**
 * Keeps the browser off the network: no telemetry, updates, remote settings, captive-portal or
 * connectivity checks, push, prefetching or DNS over HTTPS. Only the fixture server is reached.
 */
const QUIET_PREFS: Record<string, unknown> = {
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.search.geoip.url': '',
  'browser.topsites.contile.enabled': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.ping-centre.telemetry': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'dom.push.connection.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'media.gmp-manager.url': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.trr.mode': 5,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
};

export interface FirefoxLaunchOptions {
  /** Names resolved to this machine (both 127.0.0.1 and ::1) by network.dns.localDomains. */
  localDomains?: string[];
  /** For a local HTTPS server with a certificate made for the test. */
  acceptInsecureCerts?: boolean;
  /** How long the background page may idle before Firefox suspends it (its default is 30 s). */
  backgroundIdleMs?: number;
  /** Another build whose pages are web-accessible (the audit's copy of dist/firefox); default the test build. */
  extensionDir?: string;
  /** More preferences (the audit's --browser-pref); they win over the ones above. */
  prefs?: Record<string, unknown>;
  /** More command-line arguments (a test's `--remote-allow-system-access`, see allowInPrivateWindows). */
  args?: string[];
}

export interface ExtensionFirefox {
  browser: Browser;
  uuid: string;
  /** `moz-extension://<uuid>/<path>` */
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(options: FirefoxLaunchOptions = {}): Promise<ExtensionFirefox> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    acceptInsecureCerts: options.acceptInsecureCerts ?? false,
    ...(options.args === undefined ? {} : { args: options.args }),
    extraPrefsFirefox: {
      ...QUIET_PREFS,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      'network.dns.localDomains': (options.localDomains ?? []).join(','),
      ...(options.backgroundIdleMs === undefined ? {} : { 'extensions.background.idle.timeout': options.backgroundIdleMs }),
      ...options.prefs,
    },
  });
  await browser.installExtension(options.extensionDir ?? FIREFOX_TEST_DIST);
  const firefox: ExtensionFirefox = {
    browser,
    uuid,
    extensionUrl: (path) => `moz-extension://${uuid}/${path}`,
    close: () => browser.close(),
  };
  try {
    await waitUntilExtensionRecords(firefox);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return firefox;
}

/**
 * Like Chrome, Firefox may miss request events in the first moment of a new background page.
 * Rather than sleep, load a probe page (probeServer.ts) until the extension has recorded it: its
 * toolbar title for the tab then names the page's domain.
 */
async function waitUntilExtensionRecords(firefox: ExtensionFirefox, timeoutMs = 30_000): Promise<void> {
  const server = await startProbeServer();
  const pages: Page[] = [];
  try {
    const control = await openExtensionPage(firefox, server.url(-1), 'src/options/index.html');
    pages.push(control);
    const probe = await firefox.browser.newPage();
    pages.push(probe);
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const url = server.url(attempt);
      await probe.goto(url).catch(() => undefined);
      // Polled in the extension page for a while (longer at each attempt, as a busy machine may
      // take more than a second to show it); a page the extension missed keeps the "no data"
      // title, and the next attempt loads a fresh URL.
      const windowMs = Math.min(1000 * 2 ** attempt, 8000);
      const recorded = await inExtension(
        control,
        async ({ target, windowMs }: { target: string; windowMs: number }) => {
          for (const until = Date.now() + windowMs; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
            const tab = (await browser.tabs.query({})).find((candidate) => candidate.url === target);
            if (tab?.id !== undefined && (await browser.action.getTitle({ tabId: tab.id })).includes('127.0.0.1')) return true;
          }
          return false;
        },
        { target: url, windowMs },
      );
      if (recorded) return;
    }
    throw new Error(`the extension recorded no request within ${timeoutMs} ms of starting`);
  } finally {
    for (const page of pages) await page.close().catch(() => undefined);
    await server.close();
  }
}

/**
 * Opens an extension page in a tab of its own. WebDriver BiDi will not navigate to moz-extension:
 * URLs, but a web page may (the test build makes the pages web-accessible): `from` is any page of
 * the fixture server. Evaluated code then runs in the extension page, with its `browser` APIs.
 */
export async function openExtensionPage(firefox: ExtensionFirefox, from: string, path: string): Promise<Page> {
  const page = await firefox.browser.newPage();
  await page.goto(from);
  const target = firefox.extensionUrl(path);
  await page.evaluate((url: string) => {
    location.href = url;
  }, target);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
    const at = await page.evaluate(() => `${document.readyState} ${location.href}`).catch(() => '');
    if (at === `complete ${target}`) return page;
  }
  throw new Error(`could not open ${target}`);
}

/** Runs an extension API call in an extension page; `fn` is serialized, so it may use only its argument. */
export function inExtension<A, R>(page: Page, fn: (arg: A) => Promise<R>, arg: A): Promise<R> {
  return page.evaluate(fn as (arg: unknown) => Promise<R>, arg);
}

export async function readFirefoxRows(popup: Page): Promise<PopupRow[]> {
  return popup.evaluate(ROWS_EXPRESSION) as Promise<PopupRow[]>;
}

export function waitForFirefoxRows(popup: Page, ready: (rows: PopupRow[]) => boolean, timeoutMs = 15_000): Promise<PopupRow[]> {
  return pollRows(() => readFirefoxRows(popup), ready, timeoutMs, 150);
}
