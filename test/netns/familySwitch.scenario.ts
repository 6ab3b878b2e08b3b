/**
 * Runs inside a network and mount namespace made for it (see test/e2e/familySwitch.e2e.ts): the
 * namespace's own /etc/hosts gives `flip.test` both ::1 and 127.0.0.1, so Chromium resolves it
 * for real and prefers IPv6. Mid-stream the server stops listening on ::1, and Chromium falls back
 * to IPv4, as it does when a CDN's IPv6 goes away. Prints `RESULT {json}` with what the popup showed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { page } from '../e2e/fixtures';
import { launchWithExtension, openPopup, pollRows, tabIdOf } from '../support/chromium';
import { startFixtureServer } from '../support/fixtureServer';
import { readLive, readRowFigures } from '../support/livePanel';

const SEGMENTS = 60;
const SWITCH_AFTER = 15;

async function main(): Promise<void> {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  // Only this namespace sees this hosts file (the mount namespace is the test's own).
  const hosts = join(mkdtempSync(join(tmpdir(), 'ipvlens-hosts-')), 'hosts');
  writeFileSync(hosts, '::1 flip.test\n127.0.0.1 flip.test\n');
  execFileSync('mount', ['--bind', hosts, '/etc/hosts']);

  const server = await startFixtureServer();
  server.route('/flip', () =>
    page(`<script>
      (async () => {
        for (let n = 0; n < ${SEGMENTS}; n++) {
          try { await (await fetch('${server.url('flip.test', '/seg.ts')}?n=' + n)).text(); } catch { window.failed = (window.failed ?? 0) + 1; }
          await new Promise((r) => setTimeout(r, 100));
        }
        document.title = 'done';
      })();
    </script>`),
  );
  // The page's own name is mapped; flip.test goes through the (namespace's) hosts file.
  const browser = await launchWithExtension({ resolverRules: 'MAP page.test 127.0.0.1' });
  try {
    const tab = await browser.context.newPage();
    await tab.goto(server.url('page.test', '/flip'));
    const tabId = await tabIdOf(browser, tab);
    for (const deadline = Date.now() + 30_000; server.hits('flip.test') < SWITCH_AFTER && Date.now() < deadline; ) await sleep(20);
    const servedBefore = server.hits('flip.test');
    await server.stopListening('::1');
    await tab.waitForFunction(() => document.title === 'done', undefined, { timeout: 60_000 });
    const failed = await tab.evaluate(() => (window as unknown as { failed?: number }).failed ?? 0);
    const popup = await openPopup(browser, tabId);
    await pollRows(() => readRowFigures(popup), (rows) => rows.find((r) => r.domain === 'flip.test')?.requests === SEGMENTS, 15_000, 150);
    await sleep(600);
    const row = await popup.evaluate(() => {
      const el = document.querySelector('[data-domain="flip.test"]');
      return { family: el?.getAttribute('data-family'), address: el?.getAttribute('data-address'), more: el?.querySelector('.more')?.textContent ?? '' };
    });
    const result = {
      servedBefore,
      served: server.hits('flip.test'),
      failed,
      rows: await readRowFigures(popup),
      row,
      live: await readLive(popup),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
