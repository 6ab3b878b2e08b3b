/**
 * What one storage.session.set costs the worker's thread, by the shape of what it is given: many
 * small keys or few large ones, the same bytes. Finds whether a write's cost follows its keys or
 * its bytes (the session writer's choices depend on it). Not a test; figures vary with the machine.
 *
 *   npx vite build && node --experimental-websocket --import tsx scripts/profile/sessionSetCost.ts [extension dir]
 */
import { resolve } from 'node:path';
import { CHROME_DIST, launchWithExtension } from '../browser/chromium';
import { CdpClient } from '../../test/support/cdp';
import { workerSession } from './workerSession';

const SHAPES: Array<[keys: number, bytesPerKey: number]> = [
  [1, 100_000],
  [10, 10_000],
  [100, 1_000],
  [1_000, 100],
  [30, 100],
  [30, 400],
  [5, 2_500],
];

async function main(): Promise<void> {
  const extensionDir = resolve(process.argv[2] ?? CHROME_DIST);
  const browser = await launchWithExtension({ extensionDir, extraArgs: ['--remote-debugging-port=0'] });
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    const session = await workerSession(cdp, browser);
    // Twice: the first pass warms the worker up; the second is the one to read.
    for (const [keys, bytes] of [...SHAPES, ...SHAPES]) {
      const reply = await cdp.send<{ result: { value: { syncMs: number; totalMs: number } } }>('Runtime.evaluate', {
        awaitPromise: true,
        returnByValue: true,
        expression: `(async () => {
          const rounds = 20;
          let syncMs = 0;
          const t0 = performance.now();
          for (let round = 0; round < rounds; round++) {
            const items = {};
            for (let k = 0; k < ${keys}; k++) items['bench:' + k] = JSON.stringify([round, 'x'.repeat(${bytes} - 20)]);
            const started = performance.now();
            const done = chrome.storage.session.set(items);
            syncMs += performance.now() - started;
            await done;
          }
          const totalMs = performance.now() - t0;
          await chrome.storage.session.remove(Array.from({ length: ${keys} }, (_, k) => 'bench:' + k));
          return { syncMs: syncMs / rounds, totalMs: totalMs / rounds };
        })()`,
      }, session);
      const result = reply.result.value;
      console.log(`${String(keys).padStart(5)} keys × ${String(bytes).padStart(6)} B: ${result.syncMs.toFixed(2)} ms synchronous, ${result.totalMs.toFixed(2)} ms to acknowledgement (per set)`);
    }
  } finally {
    cdp.close();
    await browser.close();
  }
}

await main();
