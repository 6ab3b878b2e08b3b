/** The audit's browser on Chromium: the project's launcher (fresh profile, the built dist/chrome). */
import { extensionPageUrl, launchWithExtension } from '../browser/chromium';
import { auditTab, type AuditBrowser } from './auditBrowser';

const RESOLVER_FLAG = '--host-resolver-rules=';

export async function launchChromium(extensionDir: string, browserArgs: readonly string[]): Promise<AuditBrowser> {
  // The launcher maps the tests' *.test names by default; the audit resolves names as they are,
  // unless it is given rules of its own.
  const rules = browserArgs.filter((arg) => arg.startsWith(RESOLVER_FLAG)).map((arg) => arg.slice(RESOLVER_FLAG.length));
  const browser = await launchWithExtension({
    extensionDir,
    resolverRules: rules.at(-1) ?? '',
    extraArgs: browserArgs.filter((arg) => !arg.startsWith(RESOLVER_FLAG)),
  });
  let gone = false;
  browser.context.on('close', () => (gone = true));
  const control = await browser.context.newPage();
  await control.goto(extensionPageUrl(browser, 'src/options/index.html'));
  return {
    newTab: async () => auditTab(await browser.context.newPage()),
    inExtension: <T>(expression: string) => control.evaluate<T>(expression),
    gone: () => gone,
    close: () => browser.close(),
  };
}
