/** The DevTools session of the extension's service worker, for the profiling scripts. */
import type { ExtensionBrowser } from '../browser/chromium';
import type { CdpClient } from '../../test/support/cdp';

export async function workerSession(cdp: CdpClient, browser: ExtensionBrowser): Promise<string> {
  const prefix = `chrome-extension://${browser.extensionId}/`;
  const target = (await cdp.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
  if (target === undefined) throw new Error('the extension has no service worker target');
  return cdp.attach(target.targetId);
}
