/**
 * Lets the extension into incognito windows as a user would: its details page
 * (chrome://extensions/?id=…), *Developer mode* on, then *Allow in Incognito*. Chromium reloads the
 * extension on that switch, and an unpacked extension reloaded without Developer mode is disabled
 * ("unsupported developer extension"), hence both switches. Playwright's CSS selectors pierce the
 * page's shadow DOM.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { extensionPageUrl, type ExtensionBrowser } from './chromium';

async function switchOn(page: Page, selector: string): Promise<void> {
  const toggle = page.locator(selector);
  if (!(await toggle.evaluate((el) => (el as HTMLInputElement).checked))) await toggle.click();
}

/**
 * Returns an extension page (`path`) opened once the reloaded extension is back and allowed in
 * incognito; its `chrome.*` APIs (windows, storage) serve the test. Polls with a deadline.
 */
export async function allowInIncognito(browser: ExtensionBrowser, path = 'src/options/index.html', timeoutMs = 20_000): Promise<Page> {
  const details = await browser.context.newPage();
  await details.goto(`chrome://extensions/?id=${browser.extensionId}`);
  await switchOn(details, '#devMode');
  await switchOn(details, '#allow-incognito cr-toggle');
  await details.close();
  const page = await browser.context.newPage();
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    // While the extension reloads its pages are blocked (net::ERR_BLOCKED_BY_CLIENT).
    const allowed = await page
      .goto(extensionPageUrl(browser, path))
      .then(() => page.evaluate(() => chrome.extension.isAllowedIncognitoAccess()))
      .catch((error: unknown) => {
        last = String(error);
        return false;
      });
    if (allowed) return page;
    await sleep(200);
  }
  throw new Error(`the extension was not allowed in incognito within ${timeoutMs} ms; last: ${last}`);
}
