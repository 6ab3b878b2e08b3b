/**
 * The audit's browser on Firefox: the project's launcher with a copy of dist/firefox whose pages
 * are web-accessible — WebDriver BiDi will not open a moz-extension: page, but a web page may
 * navigate to one that is (what the test build does; the code is the shipped build's).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefoxWithExtension, openExtensionPage } from '../browser/firefox';
import { startProbeServer } from '../browser/probeServer';
import { auditTab, type AuditBrowser } from './auditBrowser';

/** A temporary copy of the build with its pages exposed to web pages (removed on close). */
function exposedCopy(extensionDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ipvlens-audit-firefox-'));
  cpSync(extensionDir, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { web_accessible_resources?: unknown[] };
  manifest.web_accessible_resources = [...(manifest.web_accessible_resources ?? []), { resources: ['src/*'], matches: ['<all_urls>'] }];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

export async function launchFirefox(extensionDir: string, prefs: Record<string, unknown>): Promise<AuditBrowser> {
  const copy = exposedCopy(extensionDir);
  const probe = await startProbeServer();
  const cleanUp = async (): Promise<void> => {
    await probe.close();
    rmSync(copy, { recursive: true, force: true });
  };
  try {
    const firefox = await launchFirefoxWithExtension({ extensionDir: copy, prefs });
    let gone = false;
    firefox.browser.on('disconnected', () => (gone = true));
    const control = await openExtensionPage(firefox, probe.url(-1), 'src/options/index.html');
    return {
      newTab: async () => auditTab(await firefox.browser.newPage()),
      inExtension: <T>(expression: string) => control.evaluate(expression) as Promise<T>,
      gone: () => gone,
      close: async () => {
        await firefox.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
