/**
 * The service worker's JavaScript heap just after it starts, and after it has recorded a visit
 * with the site history on (the first need of the Public Suffix List), for one or more builds side
 * by side: each round launches Chromium afresh per build, collects garbage and reads V8's used
 * heap over the DevTools protocol. Not a test (no budget): a figure to compare builds.
 *
 *   npx vite build [--outDir dist/other]
 *   node --experimental-websocket --import tsx bench/workerHeap.ts [extension dir ...]
 *
 * Environment: HEAP_ROUNDS (default 5).
 */
import { resolve } from 'node:path';
import { CHROME_DIST, launchWithExtension, type ExtensionBrowser } from '../scripts/browser/chromium';
import { startFixtureServer, type FixtureServer } from '../scripts/browser/fixtureServer';
import { CdpClient } from '../test/support/cdp';

const rounds = Number(process.env.HEAP_ROUNDS ?? 5);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('HEAP_ROUNDS must be a positive integer');

async function usedHeap(cdp: CdpClient, browser: ExtensionBrowser): Promise<number> {
  const prefix = `chrome-extension://${browser.extensionId}/`;
  const target = (await cdp.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
  if (target === undefined) throw new Error('the extension has no service worker target');
  const session = await cdp.attach(target.targetId);
  await cdp.send('HeapProfiler.collectGarbage', {}, session);
  const { usedSize } = await cdp.send<{ usedSize: number }>('Runtime.getHeapUsage', {}, session);
  await cdp.send('Target.detachFromTarget', { sessionId: session });
  return usedSize;
}

/** Heap at start, then after one visit recorded with history on. */
async function measure(extensionDir: string, server: FixtureServer): Promise<[number, number]> {
  const browser = await launchWithExtension({ extensionDir, extraArgs: ['--remote-debugging-port=0'] });
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    // The worker has run its top level once it answers.
    await browser.worker.evaluate(() => 1);
    const atStart = await usedHeap(cdp, browser);
    await browser.worker.evaluate(() => chrome.storage.local.set({ historySettings: { enabled: true, maxSites: 5000 } }));
    const tab = await browser.context.newPage();
    await tab.goto(server.url('www.heap.v4.test', '/heap'));
    await tab.close();
    const deadline = Date.now() + 15_000;
    while (!(await browser.worker.evaluate(async () => Object.keys(await chrome.storage.local.get(null)).some((key) => key.startsWith('h:site:'))))) {
      if (Date.now() > deadline) throw new Error('the visit was not recorded');
      await new Promise((done) => setTimeout(done, 100));
    }
    return [atStart, await usedHeap(cdp, browser)];
  } finally {
    cdp.close();
    await browser.close();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

const dirs = process.argv.length > 2 ? process.argv.slice(2).map((dir) => resolve(dir)) : [CHROME_DIST];
const server = await startFixtureServer();
server.route('/heap', () => ({ body: '<!doctype html><title>heap</title>', type: 'text/html' }));
const results = new Map(dirs.map((dir) => [dir, { start: [] as number[], history: [] as number[] }]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const dir of dirs) {
      const [start, history] = await measure(dir, server);
      results.get(dir)?.start.push(start);
      results.get(dir)?.history.push(history);
    }
  }
} finally {
  await server.close();
}
for (const [dir, { start, history }] of results) {
  console.log(`${dir}: worker heap at start ${kib(median(start))} (${start.map(kib).join(', ')}); after a visit with history on ${kib(median(history))} (${history.map(kib).join(', ')})`);
}
