/**
 * Bench workload "stream": a live-stream-like page fetching small `no-store` segments, alternating
 * between `seg.v6.test` and `seg.v4.test` with bounded concurrency, until it sets `window.done`.
 */
import type { Page } from 'playwright-core';
import type { FixtureServer } from '../../scripts/browser/fixtureServer';
import { BrokenRun } from '../harness';

/** Serves the stream page at /live: `segments` fetches, `concurrency` at a time. */
export function registerStreamPage(server: FixtureServer, segments: number, concurrency: number): void {
  server.route('/live', () => {
    const hosts = [server.url('seg.v6.test'), server.url('seg.v4.test')];
    const script = `
      const hosts = ${JSON.stringify(hosts)};
      const total = ${segments};
      let next = 0, ok = 0, failed = 0;
      async function lane() {
        while (next < total) {
          const n = next++;
          try {
            const response = await fetch(hosts[n % 2] + 'seg/' + n + '.ts', { cache: 'no-store' });
            await response.text();
            if (response.ok) ok++; else failed++;
          } catch { failed++; }
        }
      }
      const started = performance.now();
      Promise.all(Array.from({ length: ${concurrency} }, lane)).then(() => {
        window.result = { ok, failed, ms: performance.now() - started };
        window.done = true;
        document.title = 'done';
      });`;
    return { body: `<!doctype html><title>live</title><body><p>live</p><script>${script}</script></body>` };
  });
}

/** Runs the stream to its end; returns how long the page took, checking every segment arrived. */
export async function runStream(page: Page, url: string, segments: number): Promise<number> {
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 180_000, polling: 200 });
  const result = await page.evaluate(() => (window as unknown as { result: { ok: number; failed: number; ms: number } }).result);
  if (result.ok !== segments || result.failed !== 0) throw new BrokenRun(`stream: ${result.ok} ok, ${result.failed} failed of ${segments}`);
  return result.ms;
}
