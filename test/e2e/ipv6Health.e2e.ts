/**
 * This browser's IPv6 health in Chromium, from what a normal tab really did: a page over ::1
 * (`*.v6.test`, native IPv6) makes the popup header say `works`, with the time of the last
 * native answer; in a fresh browser that only reached 127.0.0.1 (`*.v4.test`) it says
 * `none-seen` (the control). The report page shows the same line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, openPopup, openReportPage, rowOf, tabIdOf, waitForRows, type ExtensionBrowser } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { img, page } from './fixtures';

const SIX_PAGE = 'health.v6.test';
const SIX_IMAGE = 'img.health.v6.test';
const FOUR_PAGE = 'health.v4.test';
const FOUR_IMAGE = 'img.health.v4.test';

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/six', () => page(img(server, SIX_IMAGE)));
  server.route('/four', () => page(img(server, FOUR_IMAGE)));
});

afterAll(async () => {
  await server?.close();
});

/** Loads `path` on `host` in a fresh browser and returns the popup header's health line and the report's. */
async function healthAfter(host: string, path: string, image: string, family: '4' | '6'): Promise<{ kind: string | null; text: string | null; report: string | null }> {
  const browser: ExtensionBrowser = await launchWithExtension();
  try {
    const tab = await browser.context.newPage();
    await tab.goto(server.url(host, path), { waitUntil: 'load' });
    const tabId = await tabIdOf(browser, tab);
    const popup = await openPopup(browser, tabId);
    await waitForRows(popup, (rows) => rowOf(rows, host)?.family === family && rowOf(rows, image)?.family === family);
    const line = popup.locator('header [data-ipv6-health]');
    // The line follows the tab's reports: wait until it reflects the rows just seen.
    await expect.poll(() => line.getAttribute('data-ipv6-health')).toBe(family === '6' ? 'works' : 'none-seen');
    const result = { kind: await line.getAttribute('data-ipv6-health'), text: await line.textContent() };
    await popup.close();
    const report = await openReportPage(browser, tabId);
    const reportLine = report.locator('[data-ipv6-health]');
    await reportLine.waitFor();
    const reportKind = await reportLine.getAttribute('data-ipv6-health');
    await report.close();
    await tab.close();
    return { ...result, report: reportKind };
  } finally {
    await browser.close();
  }
}

describe("this browser's IPv6 health in the popup header", () => {
  it('a page over ::1: IPv6 works here, with the last native answer', async () => {
    const { kind, text, report } = await healthAfter(SIX_PAGE, '/six', SIX_IMAGE, '6');
    expect(kind).toBe('works');
    expect(text).toMatch(/^IPv6 works here \(last native IPv6 answer \d+ (s|min) ago\)$/);
    expect(report).toBe('works');
  });

  it('control: a fresh browser that reached only 127.0.0.1 has seen no IPv6', async () => {
    const { kind, text, report } = await healthAfter(FOUR_PAGE, '/four', FOUR_IMAGE, '4');
    expect(kind).toBe('none-seen');
    expect(text).toBe('No IPv6 seen here yet');
    expect(report).toBe('none-seen');
  });
});
