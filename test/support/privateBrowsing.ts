/**
 * Lets the temporary add-on into private windows, as a user does with *Run in Private Windows* in
 * about:addons: Firefox records that choice as the add-on's `internal:privateBrowsingAllowed`
 * permission (ExtensionPermissions). WebDriver BiDi installs add-ons temporarily and offers no
 * parameter for it, so the test asks Firefox's own code, in its chrome window: BiDi reaches that
 * only when Firefox was started with `--remote-allow-system-access` (FIREFOX_SYSTEM_ACCESS_ARGS).
 */
import { GECKO_ID } from '../../build/manifestFor';
import type { ExtensionFirefox } from './firefox';

export const FIREFOX_SYSTEM_ACCESS_ARGS = ['--remote-allow-system-access'];

interface BidiConnection {
  send(method: string, params: unknown): Promise<{ result: unknown }>;
}

/** Grants the permission to the running add-on (its live policy too, so no reload is needed); returns whether Firefox now allows it. */
export async function allowInPrivateWindows(firefox: ExtensionFirefox): Promise<boolean> {
  // puppeteer-core's BiDi browser exposes its connection; its type does not say so.
  const connection = (firefox.browser as unknown as { connection: BidiConnection }).connection;
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result as { contexts: Array<{ context: string }> };
  const chrome = tree.contexts[0]?.context;
  if (chrome === undefined) throw new Error('no chrome window: was Firefox started with --remote-allow-system-access?');
  const expression = `(async () => {
    const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
    const policy = WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)});
    await ExtensionPermissions.add(${JSON.stringify(GECKO_ID)}, { permissions: ['internal:privateBrowsingAllowed'], origins: [] }, policy?.extension);
    return policy?.privateBrowsingAllowed === true;
  })()`;
  const answer = (await connection.send('script.evaluate', { expression, target: { context: chrome }, awaitPromise: true })).result as { type: string; result?: { value?: unknown } };
  return answer.type === 'success' && answer.result?.value === true;
}
