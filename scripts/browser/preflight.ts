/**
 * `tsx scripts/browser/preflight.ts chromium firefox`: checks the browsers are there before a long
 * build, and ends with the one sentence that says what to install if one is not.
 */
import { findBrowser, MissingBrowserError, type BrowserName } from './findBrowser';

const names = process.argv.slice(2).filter((arg): arg is BrowserName => arg === 'chromium' || arg === 'firefox');
for (const name of names) {
  try {
    findBrowser(name);
  } catch (error) {
    if (!(error instanceof MissingBrowserError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
