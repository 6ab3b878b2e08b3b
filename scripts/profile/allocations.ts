/**
 * What the extension's service worker allocates during the bench's workloads (the 300-domain page
 * loads, then the segment stream): V8's sampling heap profiler, objects already collected
 * included, so the figures are all the garbage made, not what is left. Finds the code whose
 * garbage makes the collector work and the heap grow. Not a test; a sample every 4 KiB.
 *
 *   npx vite build --minify false && cp -r dist/chrome /tmp/ipvlens-profile && npx vite build
 *   node --experimental-websocket --import tsx scripts/profile/allocations.ts /tmp/ipvlens-profile
 *
 * Environment: PROFILE_LOADS (default 3), PROFILE_SEGMENTS (default 3000), PROFILE_TOP (default 30).
 * Prints, per workload, the MiB allocated in all, per function (self and inclusive) and per
 * call path (innermost first, five frames).
 */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROME_DIST, launchWithExtension } from '../browser/chromium';
import { startFixtureServer } from '../browser/fixtureServer';
import { loadManyDomains, registerManyDomainsPage } from '../../bench/workloads/pageLoad';
import { registerStreamPage, runStream } from '../../bench/workloads/streamSegments';
import { CdpClient } from '../../test/support/cdp';
import { workerSession } from './workerSession';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const frameName = (node: SamplingNode): string =>
  `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.slice(node.callFrame.url.lastIndexOf('/') + 1)}:${node.callFrame.lineNumber + 1}`;

function summarise(name: string, head: SamplingNode, top: number): string {
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const paths = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, bytes: number): void => {
    map.set(key, (map.get(key) ?? 0) + bytes);
  };
  let total = 0;
  const walk = (node: SamplingNode, stack: string[]): number => {
    const frame = frameName(node);
    total += node.selfSize;
    add(self, frame, node.selfSize);
    if (node.selfSize > 0) add(paths, [frame, ...stack.slice(-4).reverse()].join(' ← '), node.selfSize);
    let bytes = node.selfSize;
    for (const child of node.children) bytes += walk(child, [...stack, frame]);
    // Once per path, however deep a function recurses.
    if (!stack.includes(frame)) add(inclusive, frame, bytes);
    return bytes;
  };
  walk(head, []);
  const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(1).padStart(7);
  const rows = (map: Map<string, number>): string =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, bytes]) => `${mib(bytes)} MiB  ${label}`)
      .join('\n');
  return [`== ${name}: ${mib(total)} MiB allocated`, '-- self', rows(self), '-- inclusive', rows(inclusive), '-- paths', rows(paths)].join('\n');
}

async function main(): Promise<void> {
  const extensionDir = resolve(process.argv[2] ?? CHROME_DIST);
  const loads = envCount('PROFILE_LOADS', 3);
  const segments = envCount('PROFILE_SEGMENTS', 3000);
  const top = envCount('PROFILE_TOP', 30);
  const server = await startFixtureServer();
  registerManyDomainsPage(server);
  registerStreamPage(server, segments, 6);
  const browser = await launchWithExtension({ extensionDir, extraArgs: ['--remote-debugging-port=0'] });
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    const session = await workerSession(cdp, browser);
    await cdp.send('HeapProfiler.enable', {}, session);
    const tab = await browser.context.newPage();
    const live = await browser.context.newPage();
    const workloads: Array<[string, () => Promise<unknown>]> = [
      ['loads', async () => {
        for (let i = 0; i < loads; i++) await loadManyDomains(tab, server.url('page.v4.test', '/many'));
      }],
      ['stream', () => runStream(live, server.url('live.v4.test', '/live'), segments)],
    ];
    for (const [name, run] of workloads) {
      await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }, session);
      await run();
      // The batch (250 ms) and the last writes belong to the workload.
      await sleep(1000);
      const { profile } = await cdp.send<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling', {}, session);
      console.log(summarise(name, profile.head, top));
    }
  } finally {
    cdp.close();
    await browser.close();
    await server.close();
  }
}

await main();
