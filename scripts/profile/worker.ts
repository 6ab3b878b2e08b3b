/**
 * A V8 CPU profile of the extension's service worker during the bench's workloads (the 300-domain
 * page loads, then the segment stream), to find where the worker's time goes. Not a test and not
 * the bench: profiling slows the worker, so its figures are for finding hot code, not for budgets.
 *
 *   npx vite build --minify false && cp -r dist/chrome /tmp/ipvlens-profile && npx vite build
 *   node --experimental-websocket --import tsx scripts/profile/worker.ts /tmp/ipvlens-profile
 *
 * (An unminified build keeps function names. It is copied out rather than built with --outDir:
 * the popup's single-file build, build/singleFilePopup.ts, always writes to dist/chrome.)
 * Without a directory it profiles dist/chrome.
 *
 * The last workload opens the popup page on the loaded tab PROFILE_POPUP_OPENS times (default 5), each
 * until all its rows are in: the worker's part of serving it (background/popupPage.ts).
 *
 * Environment: PROFILE_LOADS (default 3), PROFILE_DOMAINS (hosts on the loaded page, default 300), PROFILE_SEGMENTS (default 2000), PROFILE_INTERVAL_US
 * (sampling interval, default 100), PROFILE_TOP (rows per table, default 30), PROFILE_COUNTS=1 to
 * also count calls per function (V8 precise coverage: how often, where the samples say how long;
 * it slows the worker further), PROFILE_CPU=0 to take no CPU profile (the write counts of a worker
 * running at full speed, whose writes coalesce as in the bench), PROFILE_SAMPLES=1 to print the
 * largest value written per key prefix. Each workload's
 * profile is written to .profile/<workload>.cpuprofile (DevTools' Performance panel opens it) and
 * summarised: self time per function, and the heaviest call paths. Each workload also reports what
 * was handed to storage.session (calls, keys, bytes by key prefix: sessionWriteCounter.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROME_DIST, launchWithExtension, tabIdOf } from '../browser/chromium';
import { startFixtureServer } from '../browser/fixtureServer';
import { extensionCpuMs, findProcesses } from '../../bench/harness';
import { IPVLENS_POPUP } from '../../bench/extensions';
import { DOMAINS, loadManyDomains, manyDomainsPath, registerManyDomainsPage } from '../../bench/workloads/pageLoad';
import { registerStreamPage, runStream } from '../../bench/workloads/streamSegments';
import { CdpClient } from '../../test/support/cdp';
import { workerSession } from './workerSession';
import { describeSessionWrites, describeSetCost, readSessionWriteCounts, resetSessionWriteCounts } from './sessionWriteCounter';

const OUT_DIR = resolve(import.meta.dirname, '../../.profile');

function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface FunctionCoverage {
  functionName: string;
  ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
}

interface ScriptCoverage {
  url: string;
  functions: FunctionCoverage[];
}

/** Calls per function of the extension's scripts (the first range of a function is its body). */
function callCounts(coverage: ScriptCoverage[], top: number): string {
  const counts: Array<[string, number]> = [];
  for (const script of coverage) {
    const file = script.url.slice(script.url.lastIndexOf('/') + 1);
    if (!script.url.startsWith('chrome-extension://')) continue;
    for (const fn of script.functions) {
      const count = fn.ranges[0]?.count ?? 0;
      if (count > 0) counts.push([`${fn.functionName || '(anonymous)'} ${file}@${fn.ranges[0]?.startOffset ?? 0}`, count]);
    }
  }
  counts.sort((a, b) => b[1] - a[1]);
  return ['-- calls per function', ...counts.slice(0, top).map(([label, count]) => `${String(count).padStart(9)}  ${label}`)].join('\n');
}

const frameName = (node: ProfileNode): string => {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const file = url.slice(url.lastIndexOf('/') + 1);
  return `${functionName || '(anonymous)'}${file === '' ? '' : ` ${file}:${lineNumber + 1}:${columnNumber + 1}`}`;
};

/** Self time per node (µs) from the samples: each sample's delta goes to the node it landed on. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    // The delta before the next sample is the time this sample stands for.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  return self;
}

function summarise(name: string, profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = selfTimes(profile);
  const pathOf = (id: number): string[] => {
    const names: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node !== undefined && node.callFrame.functionName !== '(root)') names.push(frameName(node));
    }
    return names;
  };
  let total = 0;
  const perFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const perPath = new Map<string, number>();
  for (const [id, micros] of self) {
    total += micros;
    const node = byId.get(id);
    if (node === undefined) continue;
    perFunction.set(frameName(node), (perFunction.get(frameName(node)) ?? 0) + micros);
    const path = pathOf(id);
    // Inclusive time: each function once per sample, however deep it recurses.
    for (const fn of new Set(path)) inclusive.set(fn, (inclusive.get(fn) ?? 0) + micros);
    const key = path.slice(0, 6).join(' ← ');
    perPath.set(key, (perPath.get(key) ?? 0) + micros);
  }
  const ms = (micros: number): string => (micros / 1000).toFixed(1).padStart(8);
  const pct = (micros: number): string => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
  const rows = (map: Map<string, number>): string =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, micros]) => `${ms(micros)} ms ${pct(micros)}  ${label}`)
      .join('\n');
  return [
    `== ${name}: ${(total / 1000).toFixed(0)} ms sampled over ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`,
    '-- self time per function',
    rows(perFunction),
    '-- inclusive time per function',
    rows(inclusive),
    '-- heaviest stacks (self time, innermost first)',
    rows(perPath),
  ].join('\n');
}

async function main(): Promise<void> {
  const extensionDir = resolve(process.argv[2] ?? CHROME_DIST);
  const loads = envCount('PROFILE_LOADS', 3);
  const segments = envCount('PROFILE_SEGMENTS', 2000);
  const interval = envCount('PROFILE_INTERVAL_US', 100);
  const top = envCount('PROFILE_TOP', 30);
  const countCalls = process.env.PROFILE_COUNTS === '1';
  const sampling = process.env.PROFILE_CPU !== '0';
  const popupOpens = envCount('PROFILE_POPUP_OPENS', 5);
  const domains = envCount('PROFILE_DOMAINS', DOMAINS);
  mkdirSync(OUT_DIR, { recursive: true });
  const server = await startFixtureServer();
  registerManyDomainsPage(server, domains);
  registerStreamPage(server, segments, 6);
  const browser = await launchWithExtension({ extensionDir, extraArgs: ['--remote-debugging-port=0'] });
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    const processes = findProcesses(browser.userDataDir);
    const session = await workerSession(cdp, browser);
    await cdp.send('Profiler.enable', {}, session);
    await cdp.send('Profiler.setSamplingInterval', { interval }, session);
    const tab = await browser.context.newPage();
    const live = await browser.context.newPage();
    const workloads: Array<[string, () => Promise<unknown>]> = [
      ['loads', async () => {
        for (let i = 0; i < loads; i++) await loadManyDomains(tab, server.url('page.v4.test', manyDomainsPath(domains)), domains);
      }],
      ['stream', () => runStream(live, server.url('live.v4.test', '/live'), segments)],
      ['popup', async () => {
        const url = IPVLENS_POPUP.url(browser.extensionId, await tabIdOf(browser, tab));
        for (let i = 0; i < popupOpens; i++) {
          const page = await browser.context.newPage();
          await page.goto(url);
          await page.waitForFunction((rows) => document.querySelectorAll('[data-domain]').length >= rows, domains + 1);
          await page.close();
        }
      }],
    ];
    for (const [name, run] of workloads) {
      const cpuBefore = extensionCpuMs(processes);
      if (countCalls) await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false }, session);
      await resetSessionWriteCounts(cdp, session);
      if (sampling) await cdp.send('Profiler.start', {}, session);
      await run();
      // The batch (250 ms) and the last writes belong to the workload.
      await sleep(1000);
      const writes = await readSessionWriteCounts(cdp, session);
      const cpu = extensionCpuMs(processes) - cpuBefore;
      console.log(`\nextension process CPU during ${name}: ${cpu.toFixed(0)} ms${sampling ? ' (profiled, so slower than the bench)' : ''}`);
      console.log(describeSessionWrites(name, writes, process.env.PROFILE_SAMPLES === '1'));
      console.log(describeSetCost(writes));
      if (sampling) {
        const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop', {}, session);
        writeFileSync(resolve(OUT_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
        console.log(summarise(name, profile, top));
      }
      if (countCalls) {
        const { result } = await cdp.send<{ result: ScriptCoverage[] }>('Profiler.takePreciseCoverage', {}, session);
        await cdp.send('Profiler.stopPreciseCoverage', {}, session);
        console.log(callCounts(result, top));
      }
    }
  } finally {
    cdp.close();
    await browser.close();
    await server.close();
  }
}

await main();
