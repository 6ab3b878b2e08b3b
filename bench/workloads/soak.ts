/**
 * The soak workload of `npm run bench`: does a tab that streams for hours keep IPvLens's memory
 * and its `storage.session` bounded? Per-tab time series are fixed-size ring buffers and nothing
 * is kept per request, so after a warm-up neither may grow with the number of requests.
 *
 * One fresh browser with the IPvLens build only; one tab with a live-stream-like page that
 * fetches `segments` small `no-store` segments, alternating between an IPv6 and an IPv4 host, one
 * every `intervalMs` at most, with bounded concurrency. The page fetches on command, up to a given count, so the bench can stop it
 * at each checkpoint: the 250 ms batch writer only settles once requests stop, and a figure read
 * while segments are in flight would be a figure of that moment's backlog, not of what is kept.
 * Checkpoints: before the stream (page loaded), after 10 % of the segments (the "after ten
 * minutes" analogue, when everything that is bounded has reached its bound), after all of them.
 *
 * The /proc readers and the run's failure type (bench/harness.ts) are passed in as a SoakProbe;
 * the figures, the table and the checks are bench/soakReport.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { CHROME_DIST, currentWorker, launchWithExtension, type ExtensionBrowser } from '../../scripts/browser/chromium';
import type { FixtureServer } from '../../scripts/browser/fixtureServer';
import { CdpClient } from '../../test/support/cdp';

export const SOAK_HOSTS = { v6: 'soak.v6.test', v4: 'soak.v4.test' } as const;
const SOAK_PAGE_HOST = 'soakpage.v4.test';

export interface SoakConfig {
  segments: number;
  concurrency: number;
  /** Least time between the starts of two segment fetches (a stream's pace), ms; 0: as fast as they go. */
  intervalMs: number;
  /** Quiet time before each checkpoint's readings, so the batch writer has written everything. */
  settleMs: number;
  /** The IPvLens build to soak (default dist/chrome). */
  extensionDir?: string;
}

/** The extension process of one browser, as run.ts finds and reads it. */
export interface ExtensionProcessWatch {
  pid: number;
  /** VmRSS in KiB; throws (a broken run) if the process is not the one first found. */
  rssKiB(): number;
  /** utime + stime in ms; throws (a broken run) likewise. */
  cpuMs(): number;
}

export interface SoakProbe {
  /** Finds the extension's process under the browser using this profile; throws if not exactly one. */
  watchExtensionProcess(userDataDir: string): ExtensionProcessWatch;
  /** The error that marks the bench as broken (exit code 2). */
  broken(message: string): Error;
}

export interface SoakCheckpoint {
  name: 'start' | '10%' | 'end';
  /** Segments fetched when the figures were read. */
  segments: number;
  /** `storage.session.getBytesInUse(null)`, from the extension's worker. */
  storageBytes: number;
  storageKeys: number;
  /** Median of three VmRSS readings, 300 ms apart, after a full GC in the worker. */
  rssKiB: number;
  rssReadingsKiB: number[];
  /** VmRSS just before that GC (for information: what the garbage not yet collected adds). */
  rssBeforeGcKiB: number;
  /** The worker's JS heap in use after a forced GC (what it keeps); undefined if unreadable. */
  workerHeapUsedBytes: number | undefined;
  /** Extension process CPU since the browser was launched. */
  extensionCpuMs: number;
}

export interface SoakResult {
  extensionPid: number;
  segments: number;
  checkpoints: SoakCheckpoint[];
  /** Time the page spent fetching (checkpoint pauses excluded). */
  streamMs: number;
  /** Launch to last reading, pauses and readings included. */
  wallMs: number;
}

/** The page's fetch state (`window.soak`); `runTo` resolves nothing, the bench polls `reached`. */
interface SoakPageState {
  fetched: number;
  failed: number;
  /** The count the last `runTo` reached, once every lane has finished. */
  reached: number;
  streamMs: number;
  runTo(count: number): void;
}

type SoakWindow = Window & { soak: SoakPageState };

export function registerSoakPage(server: FixtureServer, config: SoakConfig): void {
  server.route('/soak', () => {
    const hosts = [server.url(SOAK_HOSTS.v6), server.url(SOAK_HOSTS.v4)];
    const script = `
      const hosts = ${JSON.stringify(hosts)};
      const total = ${config.segments};
      const interval = ${config.intervalMs};
      const soak = window.soak = { fetched: 0, failed: 0, reached: 0, streamMs: 0, runTo };
      let next = 0, target = 0, paceFrom = 0, paceStart = 0;
      async function lane() {
        while (next < target) {
          const n = next++;
          // Paced: segment n starts no earlier than its slot; a lane that fell behind catches up.
          const wait = paceStart + (n - paceFrom) * interval - performance.now();
          if (wait > 0) await new Promise((done) => setTimeout(done, wait));
          try {
            const response = await fetch(hosts[n % 2] + 'soakseg/' + n + '.ts', { cache: 'no-store' });
            await response.text();
            if (response.ok) soak.fetched++; else soak.failed++;
          } catch { soak.failed++; }
        }
      }
      function runTo(count) {
        target = Math.min(count, total);
        const started = performance.now();
        paceFrom = next;
        paceStart = started;
        Promise.all(Array.from({ length: ${config.concurrency} }, lane)).then(() => {
          soak.streamMs += performance.now() - started;
          soak.reached = target;
        });
      }`;
    return { body: `<!doctype html><title>soak</title><body><p>soak</p><script>${script}</script></body>` };
  });
}

/** Lets the page fetch up to `count` segments in all and waits until every lane has stopped. */
export async function streamTo(page: Page, count: number, probe: SoakProbe): Promise<void> {
  await page.evaluate((n) => (window as unknown as SoakWindow).soak.runTo(n), count);
  // A generous deadline: a busy 2-core machine fetches about 150 segments a second (7 ms each), 30 ms is allowed.
  const timeout = 60_000 + count * 30;
  await page.waitForFunction((n) => (window as unknown as SoakWindow).soak.reached === n, count, { timeout, polling: 500 });
  const { fetched, failed } = await page.evaluate(() => {
    const { soak } = window as unknown as SoakWindow;
    return { fetched: soak.fetched, failed: soak.failed };
  });
  if (failed !== 0 || fetched !== count) throw probe.broken(`soak: ${fetched} segments fetched, ${failed} failed, of ${count}`);
}

/**
 * Forces a full garbage collection in the extension's worker and returns its used JS heap then —
 * the state it keeps, without garbage waiting to be collected — over a DevTools session of its own
 * (Playwright's Worker has no heap figure). Undefined if the worker could not be reached.
 */
async function collectWorkerGarbage(cdp: CdpClient, browser: ExtensionBrowser): Promise<number | undefined> {
  try {
    const prefix = `chrome-extension://${browser.extensionId}/`;
    const target = (await cdp.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
    if (target === undefined) return undefined;
    // Attached per reading, so that a restarted worker is found again.
    const session = await cdp.attach(target.targetId);
    try {
      await cdp.send('HeapProfiler.collectGarbage', {}, session);
      return (await cdp.send<{ usedSize: number }>('Runtime.getHeapUsage', {}, session)).usedSize;
    } finally {
      await cdp.send('Target.detachFromTarget', { sessionId: session }).catch(() => undefined);
    }
  } catch {
    return undefined;
  }
}

/** The middle one of an odd number of readings. */
function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function readCheckpoint(
  name: SoakCheckpoint['name'],
  segments: number,
  browser: ExtensionBrowser,
  watch: ExtensionProcessWatch,
  cdp: CdpClient,
  config: SoakConfig,
): Promise<SoakCheckpoint> {
  await sleep(config.settleMs);
  // The worker may have been restarted since launch: ask the current one.
  const worker = await currentWorker(browser);
  const storage = await worker.evaluate(async () => ({
    bytes: await chrome.storage.session.getBytesInUse(null),
    keys: Object.keys(await chrome.storage.session.get(null)).length,
  }));
  const extensionCpuMs = watch.cpuMs();
  // RSS after a full collection: what the process holds, not garbage the worker has not collected
  // yet (how much of that there is depends on when V8 last ran, not on what is kept).
  const rssBeforeGcKiB = watch.rssKiB();
  const workerHeap = await collectWorkerGarbage(cdp, browser);
  // RSS moves a little on its own (allocator, lazily freed pages): the median of three readings.
  const rssReadingsKiB: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sleep(300);
    rssReadingsKiB.push(watch.rssKiB());
  }
  return {
    name,
    segments,
    storageBytes: storage.bytes,
    storageKeys: storage.keys,
    rssKiB: middle(rssReadingsKiB),
    rssReadingsKiB,
    rssBeforeGcKiB,
    workerHeapUsedBytes: workerHeap,
    extensionCpuMs,
  };
}

/** Runs the soak in a fresh browser with the IPvLens build; throws probe.broken(…) if the run is broken. */
export async function runSoak(server: FixtureServer, probe: SoakProbe, config: SoakConfig): Promise<SoakResult> {
  registerSoakPage(server, config);
  server.resetHits();
  const started = performance.now();
  // The DevTools port is for the worker's heap figure only.
  const browser = await launchWithExtension({ extensionDir: config.extensionDir ?? CHROME_DIST, extraArgs: ['--remote-debugging-port=0'] });
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    const page = await browser.context.newPage();
    await (await currentWorker(browser)).evaluate(() => 0);
    const watch = probe.watchExtensionProcess(browser.userDataDir);
    await page.goto(server.url(SOAK_PAGE_HOST, '/soak'), { waitUntil: 'load', timeout: 60_000 });

    const tenth = Math.max(1, Math.round(config.segments / 10));
    const checkpoints = [await readCheckpoint('start', 0, browser, watch, cdp, config)];
    await streamTo(page, tenth, probe);
    checkpoints.push(await readCheckpoint('10%', tenth, browser, watch, cdp, config));
    await streamTo(page, config.segments, probe);
    checkpoints.push(await readCheckpoint('end', config.segments, browser, watch, cdp, config));
    const wallMs = performance.now() - started;

    const served = server.hits(SOAK_HOSTS.v4) + server.hits(SOAK_HOSTS.v6);
    if (served !== config.segments) throw probe.broken(`soak: server saw ${served} segment requests, expected ${config.segments}`);
    const streamMs = await page.evaluate(() => (window as unknown as SoakWindow).soak.streamMs);
    return { extensionPid: watch.pid, segments: config.segments, checkpoints, streamMs, wallMs };
  } finally {
    cdp.close();
    await browser.close();
  }
}
