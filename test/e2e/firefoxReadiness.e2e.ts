/**
 * The IPv6-only verdict in Firefox through its own resolver (browser.dns): a name that
 * network.dns.localDomains gives both 127.0.0.1 and ::1, reached over IPv4, is `published` once
 * the DNS check is on, and `unknown` while it is off (no evidence, never guessed).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceSettingsOf, type DeviceSettings } from '../../src/core/settings/deviceSettings';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';
import { pollRows, rowOf } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { inExtension, launchFirefoxWithExtension, openExtensionPage, waitForFirefoxRows, type ExtensionFirefox } from '../support/firefox';
import { img, page } from './fixtures';

const V6 = '[::1]';
const DUAL = 'dual-readiness.localtest';

let server: FixtureServer;
let firefox: ExtensionFirefox;
let control: Page;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/blank', () => page(''));
  server.route('/dual', () => page(img(server, DUAL)));
  firefox = await launchFirefoxWithExtension({ localDomains: [DUAL] });
  control = await openExtensionPage(firefox, server.url('127.0.0.1', '/blank'), 'src/options/index.html');
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

async function load(url: string): Promise<{ tab: Page; tabId: number }> {
  const tab = await firefox.browser.newPage();
  await tab.goto(url, { waitUntil: 'load' });
  const id = await inExtension(control, async (target: string) => (await chrome.tabs.query({})).find((t) => t.url === target)?.id, url);
  if (id === undefined) throw new Error(`no tab found for ${url}`);
  return { tab, tabId: id };
}

interface Seen {
  verdict: string | undefined;
  score: string | undefined;
  scorePublished: string | undefined;
  readiness: Record<string, string>;
}

function readSeen(popup: Page): Promise<Seen> {
  return popup.evaluate(() => {
    const verdict = document.querySelector<HTMLElement>('[data-verdict]')?.dataset;
    const rows = [...document.querySelectorAll<HTMLElement>('[role="row"][data-domain]')];
    return {
      verdict: verdict?.verdict,
      score: verdict?.score,
      scorePublished: verdict?.scorePublished,
      readiness: Object.fromEntries(rows.map((row) => [row.dataset.domain ?? '', row.dataset.readiness ?? ''])),
    };
  });
}

/** Loads the page with the DNS check on or off and returns what the popup settles on. */
async function visitWithCheck(on: boolean, expected: Seen): Promise<Seen> {
  await inExtension(control, (deviceSettings: DeviceSettings) => chrome.storage.local.set({ deviceSettings }), { ...deviceSettingsOf(DEFAULT_SETTINGS), dnsIpv6Check: on });
  const { tab, tabId } = await load(server.url(V6, '/dual'));
  const popup = await openExtensionPage(firefox, server.url('127.0.0.1', '/blank'), `src/popup/index.html?tabId=${tabId}`);
  try {
    const rows = await waitForFirefoxRows(popup, (r) => rowOf(r, DUAL)?.family === '4' && rowOf(r, V6)?.family === '6');
    // Firefox connected over IPv4 although the name resolves to ::1 as well.
    expect(rowOf(rows, DUAL)).toMatchObject({ family: '4', address: '127.0.0.1' });
    const [seen] = await pollRows(
      async () => [await readSeen(popup)],
      ([state]) => JSON.stringify(state) === JSON.stringify(expected),
      15_000,
      150,
    );
    return seen!;
  } finally {
    await popup.close();
    await tab.close();
  }
}

describe('IPv6-only verdict in Firefox', () => {
  it('a dual-stack name reached over IPv4 is unknown without the DNS check and published with it', async () => {
    // The page ([::1]) is one request, the image from the dual-stack name another.
    const off = await visitWithCheck(false, { verdict: 'unknown', score: '50', scorePublished: '50', readiness: { [V6]: 'ipv6', [DUAL]: 'unknown' } });
    expect(off.readiness[DUAL]).toBe('unknown');
    const on = await visitWithCheck(true, { verdict: 'ready', score: '50', scorePublished: '100', readiness: { [V6]: 'ipv6', [DUAL]: 'published' } });
    expect(on.readiness[DUAL]).toBe('published');
    await inExtension(control, (deviceSettings: DeviceSettings) => chrome.storage.local.set({ deviceSettings }), deviceSettingsOf(DEFAULT_SETTINGS));
  });
});
