/**
 * `npm run bench`: what IPvLens costs the browser, measured against a baseline extension with the
 * same permissions and the same (empty) listeners, so that what Chromium spends delivering events
 * to any extension cancels out and the difference is IPvLens's own work.
 *
 * Runs alternate in ABBA order (baseline, ipvlens, ipvlens, baseline, …) so that drift in the
 * machine's speed cancels out, each in a fresh browser, over a fixed workload:
 *   (a) LOADS loads of a page with 300 images from 300 distinct hosts, alternating IPv4 and IPv6;
 *   (b) a live-stream-like page that fetches SEGMENTS small segments, alternating between an IPv6
 *       host and an IPv4 host, with bounded concurrency.
 * The extension's renderer process (the one hosting its service worker) is found under the launched
 * browser's process tree; its CPU time is read before and after the workload, and its resident
 * memory after it. In ipvlens runs, the toolbar popup is then opened POPUP_OPENS times on the
 * 300-domain tab (action.openPopup) and its marks are read: from its script start to its first painted frame with data is the
 * "first render" figure (loading the page itself is the browser's part and reported beside it).
 *
 * After the rounds, one soak run (bench/soak.ts) with the IPvLens build only: SOAK_SEGMENTS segments
 * in one tab, with storage.session bytes and the extension process RSS read before the stream,
 * after 10 % of it and after all of it; from 10 % to the end neither may grow (much).
 *
 * Budgets: CPU ≤ 1.25 × baseline, RSS ≤ baseline + 20 MiB, popup first render ≤ 50 ms (medians);
 * soak: storage bytes at the end ≤ at 10 % + 2 KiB, RSS at the end ≤ at 10 % + 10 MiB.
 * Environment: BENCH_ROUNDS (default 5) rounds, each one baseline and one ipvlens run;
 * BENCH_SOAK_SEGMENTS (default 20000) soak segments, BENCH_SOAK=0 skips the soak.
 * Results are printed and written to .bench/results.json. Exit code: 0 all budgets met,
 * 1 a budget failed, 2 a run was broken (its numbers would be worthless).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { CdpClient } from '../test/support/cdp';
import { CHROME_DIST, chromiumPath, launchWithExtension, type ExtensionBrowser } from '../scripts/browser/chromium';
import { openToolbarPopup, type ToolbarPopup } from '../test/support/toolbarPopup';
import { startFixtureServer, type FixtureServer } from '../scripts/browser/fixtureServer';
import { runSoak, type SoakCheckpoint, type SoakProbe, type SoakResult } from './soak';

const ROOT = resolve(import.meta.dirname, '..');
const BASELINE_DIR = resolve(import.meta.dirname, 'baseline');
const RESULTS_FILE = resolve(ROOT, '.bench/results.json');

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** An on/off switch: unset or 1 is on, 0 is off. */
function envSwitch(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1') throw new Error(`${name} must be 0 or 1, got ${JSON.stringify(raw)}`);
  return raw === '1';
}

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const DOMAINS = 300;
const LOADS = envInt('BENCH_LOADS', 5);
const SEGMENTS = envInt('BENCH_SEGMENTS', 3000);
const CONCURRENCY = 6;
/** Popup opens per ipvlens run; the first (cold) one is also reported on its own. */
const POPUP_OPENS = 5;
/** Quiet time after the workload, so batched work (IPvLens flushes every 250 ms) is counted. */
const SETTLE_MS = 1500;
const SOAK = envSwitch('BENCH_SOAK', true);
const SOAK_SEGMENTS = envInt('BENCH_SOAK_SEGMENTS', 20_000);

const BUDGET = {
  cpuRatio: 1.25,
  rssDeltaMiB: 20,
  popupFirstRenderMs: 50,
  // Soak, end against 10 %: stored counters may only gain digits; the worker's heap after a full
  // GC (what it keeps) may not grow; RSS may drift by allocator noise (the do-nothing baseline
  // extension's own RSS grows ~5 MiB over the same soak).
  soakStorageGrowthBytes: 2048,
  soakKeptHeapGrowthKiB: 256,
  soakRssGrowthMiB: 10,
};

type Kind = 'baseline' | 'ipvlens';

class BrokenRun extends Error {}

// ---------------------------------------------------------------------------------------------
// /proc

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  ppid: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  /** Start time since boot, clock ticks: tells a process from a later one with the same pid. */
  startTime: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "(comm)", which may itself hold spaces: state is field 3, so index 0 here.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return { ppid: field(4), cpuTicks: field(14) + field(15), startTime: field(22) };
}

/** Arguments of a process. Chromium's zygote children rewrite their title into one space-joined string. */
function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
  } catch {
    return [];
  }
}

function readRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

interface ChromiumProcesses {
  browserPid: number;
  extensionPid: number;
  extensionStart: number;
}

/**
 * The launched browser is the process without `--type=` that uses this run's profile directory;
 * the extension's process is the one renderer below it started with `--extension-process`.
 */
function findProcesses(userDataDir: string): ChromiumProcesses {
  const pids = allPids();
  const profileArg = `--user-data-dir=${userDataDir}`;
  const browsers = pids.filter((pid) => {
    const args = readCmdline(pid);
    return args.includes(profileArg) && !args.some((arg) => arg.startsWith('--type='));
  });
  if (browsers.length !== 1) throw new BrokenRun(`expected one browser process for ${userDataDir}, found ${browsers.length}`);
  const browserPid = browsers[0] as number;
  const parent = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat !== undefined) parent.set(pid, stat.ppid);
  }
  const descendsFromBrowser = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === browserPid) return true;
    }
    return false;
  };
  const extensionProcesses = pids.filter((pid) => {
    const args = readCmdline(pid);
    return args.includes('--type=renderer') && args.includes('--extension-process') && descendsFromBrowser(pid);
  });
  if (extensionProcesses.length !== 1) {
    throw new BrokenRun(`expected one --extension-process renderer under browser ${browserPid}, found ${extensionProcesses.length}`);
  }
  const extensionPid = extensionProcesses[0] as number;
  const stat = readStat(extensionPid);
  if (stat === undefined) throw new BrokenRun(`extension process ${extensionPid} vanished`);
  return { browserPid, extensionPid, extensionStart: stat.startTime };
}

/** The extension process's stat, failing the run if it is not the same process as at the start. */
function extensionStat(processes: ChromiumProcesses): ProcStat {
  const stat = readStat(processes.extensionPid);
  if (stat === undefined || stat.startTime !== processes.extensionStart) {
    throw new BrokenRun(`extension process ${processes.extensionPid} exited during the workload (the service worker was stopped?)`);
  }
  return stat;
}

function extensionCpuMs(processes: ChromiumProcesses): number {
  return (extensionStat(processes).cpuTicks * 1000) / CLK_TCK;
}

function browserCpuMs(processes: ChromiumProcesses): number {
  return ((readStat(processes.browserPid)?.cpuTicks ?? NaN) * 1000) / CLK_TCK;
}

/** RSS KiB of the extension process, failing the run if it is not the same process as at the start. */
function extensionRssKiB(processes: ChromiumProcesses): number {
  extensionStat(processes);
  const rssKiB = readRssKiB(processes.extensionPid);
  if (rssKiB === undefined) throw new BrokenRun(`could not read the RSS of extension process ${processes.extensionPid}`);
  return rssKiB;
}

/** The soak (bench/soak.ts) reads the extension process through these, and fails a run as the rounds do. */
const soakProbe: SoakProbe = {
  watchExtensionProcess: (userDataDir) => {
    const processes = findProcesses(userDataDir);
    return { pid: processes.extensionPid, rssKiB: () => extensionRssKiB(processes), cpuMs: () => extensionCpuMs(processes) };
  },
  broken: (message) => new BrokenRun(message),
};

// ---------------------------------------------------------------------------------------------
// Workload pages

const manyHost = (i: number): string => `d${i}.v${i % 2 === 1 ? 4 : 6}.test`;

function registerPages(server: FixtureServer): void {
  server.route('/many', () => {
    const images = Array.from({ length: DOMAINS }, (_, k) => {
      const i = k + 1;
      return `<img width="1" height="1" alt="" src="${server.url(manyHost(i), `/img/${i}.png`)}">`;
    });
    return { body: `<!doctype html><title>300 domains</title><body>${images.join('\n')}</body>` };
  });
  server.route('/live', () => {
    const hosts = [server.url('seg.v6.test'), server.url('seg.v4.test')];
    const script = `
      const hosts = ${JSON.stringify(hosts)};
      const total = ${SEGMENTS};
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
      Promise.all(Array.from({ length: ${CONCURRENCY} }, lane)).then(() => {
        window.result = { ok, failed, ms: performance.now() - started };
        window.done = true;
        document.title = 'done';
      });`;
    return { body: `<!doctype html><title>live</title><body><p>live</p><script>${script}</script></body>` };
  });
}

// ---------------------------------------------------------------------------------------------
// One run

interface RunResult {
  round: number;
  kind: Kind;
  extensionPid: number;
  cpuMs: { loads: number; stream: number; settle: number; total: number };
  browserProcessCpuMs: number;
  rssMiB: number;
  workloadWallMs: number;
  streamMs: number;
  popup?: PopupResult;
}

/** One popup open; all times in ms. Marks are set by the popup (src/popup/, src/ui/paint.ts). */
interface PopupOpen {
  /** Script start (`ipvlens:script-start`) → first frame with data painted (`ipvlens:first-data`): the budgeted figure. */
  firstRenderMs: number;
  /** Navigation start → first frame with data: what a user waits, including the browser loading the page. */
  fromNavigationMs: number;
  /** Report received from the worker → first frame with data: rendering alone. */
  renderOnlyMs: number;
  /** Script start → every row in the DOM (`ipvlens:all-rows`). */
  allRowsMs: number;
  rows: number;
}

interface PopupResult {
  opens: PopupOpen[];
}

async function loadManyDomains(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  const loaded = await page.evaluate(() => [...document.images].filter((img) => img.complete && img.naturalWidth > 0).length);
  if (loaded !== DOMAINS) throw new BrokenRun(`300-domain page: only ${loaded} of ${DOMAINS} images loaded`);
}

async function runStream(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 180_000, polling: 200 });
  const result = await page.evaluate(() => (window as unknown as { result: { ok: number; failed: number; ms: number } }).result);
  if (result.ok !== SEGMENTS || result.failed !== 0) throw new BrokenRun(`stream: ${result.ok} ok, ${result.failed} failed of ${SEGMENTS}`);
  return result.ms;
}

/** The popup's marks once all four are set; undefined until then. Runs in the popup. */
const MARKS_EXPRESSION = `(() => {
  const times = ['script-start', 'report-received', 'first-data', 'all-rows']
    .map((name) => performance.getEntriesByName('ipvlens:' + name, 'mark')[0]?.startTime);
  return times.some((t) => t === undefined) ? undefined : times;
})()`;

/**
 * Opens the real toolbar popup on the active tab, waits for its marks with a slow poll (reading
 * while it renders would compete with it), checks its rows, and closes it.
 */
async function openToolbarPopupOnce(browser: ExtensionBrowser, cdp: CdpClient): Promise<PopupOpen> {
  let popup: ToolbarPopup;
  try {
    popup = await openToolbarPopup(browser, cdp);
  } catch (error) {
    throw new BrokenRun(String(error));
  }
  try {
    let times: [number, number, number, number] | undefined;
    for (const deadline = Date.now() + 30_000; times === undefined && Date.now() < deadline; ) {
      await sleep(250);
      times = await popup.evaluate<[number, number, number, number] | undefined>(MARKS_EXPRESSION);
    }
    if (times === undefined) throw new BrokenRun('the popup did not set all of its ipvlens:* marks');
    const [scriptStart, reportReceived, firstData, allRows] = times;
    // Every image host must be listed, over the family its name maps to.
    const rows = await popup.rows();
    const family = new Map(rows.map((row) => [row.domain, row.family]));
    const wrong: string[] = [];
    for (let i = 1; i <= DOMAINS; i++) {
      const host = manyHost(i);
      const expected = host.endsWith('.v6.test') ? '6' : '4';
      if (family.get(host) !== expected) wrong.push(`${host}=${family.get(host) ?? 'missing'}`);
    }
    if (wrong.length > 0) throw new BrokenRun(`popup rows wrong for ${wrong.length} hosts, e.g. ${wrong.slice(0, 5).join(', ')}`);
    return {
      firstRenderMs: firstData - scriptStart,
      fromNavigationMs: firstData,
      renderOnlyMs: firstData - reportReceived,
      allRowsMs: allRows - scriptStart,
      rows: rows.length,
    };
  } finally {
    await popup.close();
  }
}

async function measurePopup(browser: ExtensionBrowser, tab: Page): Promise<PopupResult> {
  // The toolbar popup shows the active tab.
  await tab.bringToFront();
  const cdp = await CdpClient.connect(browser.userDataDir);
  try {
    const opens: PopupOpen[] = [];
    for (let i = 0; i < POPUP_OPENS; i++) {
      opens.push(await openToolbarPopupOnce(browser, cdp));
      await sleep(300);
    }
    return { opens };
  } finally {
    cdp.close();
  }
}

async function runOnce(server: FixtureServer, kind: Kind, round: number): Promise<RunResult> {
  server.resetHits();
  // Both kinds get the DevTools port the popup measurement needs, so that they differ in nothing else.
  const browser = await launchWithExtension({
    extensionDir: kind === 'baseline' ? BASELINE_DIR : CHROME_DIST,
    extraArgs: ['--remote-debugging-port=0'],
  });
  try {
    const tab = await browser.context.newPage();
    const live = await browser.context.newPage();
    // The worker is awake: the launcher has just seen it start. Wake it anyway, cheaply, in case.
    await browser.worker.evaluate(() => 0);
    const processes = findProcesses(browser.userDataDir);

    const cpu0 = extensionCpuMs(processes);
    const browserCpu0 = browserCpuMs(processes);
    const started = performance.now();
    for (let i = 0; i < LOADS; i++) await loadManyDomains(tab, server.url('page.v4.test', '/many'));
    const cpu1 = extensionCpuMs(processes);
    const streamMs = await runStream(live, server.url('live.v4.test', '/live'));
    const cpu2 = extensionCpuMs(processes);
    const workloadWallMs = performance.now() - started;
    await sleep(SETTLE_MS);
    const cpu3 = extensionCpuMs(processes);
    const browserCpu3 = browserCpuMs(processes);
    const rssKiB = readRssKiB(processes.extensionPid);
    if (rssKiB === undefined) throw new BrokenRun('could not read the extension process RSS');

    const imageHits = server.hitsMatching((host) => /^d\d+\.v[46]\.test$/.test(host));
    const segmentHits = server.hits('seg.v4.test') + server.hits('seg.v6.test');
    if (imageHits !== DOMAINS * LOADS) throw new BrokenRun(`server saw ${imageHits} image requests, expected ${DOMAINS * LOADS}`);
    if (segmentHits !== SEGMENTS) throw new BrokenRun(`server saw ${segmentHits} segment requests, expected ${SEGMENTS}`);

    const result: RunResult = {
      round,
      kind,
      extensionPid: processes.extensionPid,
      cpuMs: { loads: cpu1 - cpu0, stream: cpu2 - cpu1, settle: cpu3 - cpu2, total: cpu3 - cpu0 },
      browserProcessCpuMs: browserCpu3 - browserCpu0,
      rssMiB: rssKiB / 1024,
      workloadWallMs,
      streamMs,
    };
    // After the samples, so the popup's own cost (it lives in the same process) is not counted.
    if (kind === 'ipvlens') result.popup = await measurePopup(browser, tab);
    return result;
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '—');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '—');

function summarize(runs: RunResult[], kind: Kind) {
  const mine = runs.filter((run) => run.kind === kind);
  const opens = mine.flatMap((run) => run.popup?.opens ?? []);
  const cold = mine.flatMap((run) => run.popup?.opens.slice(0, 1) ?? []);
  const popupMedian = (pick: (open: PopupOpen) => number, from = opens): number | undefined =>
    from.length > 0 ? median(from.map(pick)) : undefined;
  return {
    runs: mine.length,
    cpuMs: {
      loads: median(mine.map((r) => r.cpuMs.loads)),
      stream: median(mine.map((r) => r.cpuMs.stream)),
      settle: median(mine.map((r) => r.cpuMs.settle)),
      total: median(mine.map((r) => r.cpuMs.total)),
    },
    browserProcessCpuMs: median(mine.map((r) => r.browserProcessCpuMs)),
    rssMiB: median(mine.map((r) => r.rssMiB)),
    workloadWallMs: median(mine.map((r) => r.workloadWallMs)),
    streamMs: median(mine.map((r) => r.streamMs)),
    popup: {
      opens: opens.length,
      firstRenderMs: popupMedian((o) => o.firstRenderMs),
      coldFirstRenderMs: popupMedian((o) => o.firstRenderMs, cold),
      fromNavigationMs: popupMedian((o) => o.fromNavigationMs),
      renderOnlyMs: popupMedian((o) => o.renderOnlyMs),
      allRowsMs: popupMedian((o) => o.allRowsMs),
    },
  };
}

interface Check {
  name: string;
  pass: boolean;
  text: string;
}

const mib = (kib: number): number => kib / 1024;

function soakCheckpoint(soak: SoakResult, name: SoakCheckpoint['name']): SoakCheckpoint {
  const checkpoint = soak.checkpoints.find((c) => c.name === name);
  if (checkpoint === undefined) throw new Error(`soak checkpoint ${name} missing`);
  return checkpoint;
}

/** Growth from 10 % to the end: what a tab streaming for hours would keep adding. */
function soakFigures(soak: SoakResult) {
  const start = soakCheckpoint(soak, 'start');
  const tenth = soakCheckpoint(soak, '10%');
  const end = soakCheckpoint(soak, 'end');
  // CPU per 1000 segments, early and late: per-request work must not grow with the history either.
  const perThousand = (from: SoakCheckpoint, to: SoakCheckpoint): number =>
    ((to.extensionCpuMs - from.extensionCpuMs) * 1000) / (to.segments - from.segments);
  return {
    storageGrowthBytes: end.storageBytes - tenth.storageBytes,
    rssGrowthMiB: mib(end.rssKiB - tenth.rssKiB),
    keptHeapGrowthKiB: end.workerHeapUsedBytes === undefined || tenth.workerHeapUsedBytes === undefined ? NaN : (end.workerHeapUsedBytes - tenth.workerHeapUsedBytes) / 1024,
    storageWarmUpBytes: tenth.storageBytes - start.storageBytes,
    rssWarmUpMiB: mib(tenth.rssKiB - start.rssKiB),
    cpuMsPerThousandSegments: { firstTenth: perThousand(start, tenth), rest: perThousand(tenth, end) },
  };
}

function soakTable(soak: SoakResult): string {
  return table(
    ['checkpoint', 'segments', 'storage bytes', 'storage keys', 'rss MiB', 'rss readings MiB', 'kept heap KiB', 'ext cpu ms'],
    soak.checkpoints.map((c) => [
      c.name,
      String(c.segments),
      String(c.storageBytes),
      String(c.storageKeys),
      f1(mib(c.rssKiB)),
      c.rssReadingsKiB.map((kib) => f1(mib(kib))).join(' / '),
      c.workerHeapUsedBytes === undefined ? '—' : f0(c.workerHeapUsedBytes / 1024),
      f0(c.extensionCpuMs),
    ]),
  );
}

function soakChecks(soak: SoakResult): Check[] {
  const tenth = soakCheckpoint(soak, '10%');
  const end = soakCheckpoint(soak, 'end');
  const figures = soakFigures(soak);
  const signed = (n: number, format: (n: number) => string): string => `${n >= 0 ? '+' : ''}${format(n)}`;
  return [
    {
      name: 'soak-storage',
      pass: figures.storageGrowthBytes <= BUDGET.soakStorageGrowthBytes,
      text:
        `soak storage.session ${signed(figures.storageGrowthBytes, String)} bytes from ${tenth.segments} to ${end.segments} segments ` +
        `(${end.storageBytes} vs ${tenth.storageBytes} bytes; budget ≤ +${BUDGET.soakStorageGrowthBytes} bytes)`,
    },
    {
      name: 'soak-heap',
      // Unreadable heap (NaN) fails: a budget that cannot be checked is not met.
      pass: figures.keptHeapGrowthKiB <= BUDGET.soakKeptHeapGrowthKiB,
      text:
        `soak worker heap after GC ${signed(figures.keptHeapGrowthKiB, f0)} KiB from ${tenth.segments} to ${end.segments} segments ` +
        `(budget ≤ +${BUDGET.soakKeptHeapGrowthKiB} KiB)`,
    },
    {
      name: 'soak-rss',
      pass: figures.rssGrowthMiB <= BUDGET.soakRssGrowthMiB,
      text:
        `soak extension process RSS ${signed(figures.rssGrowthMiB, f1)} MiB from ${tenth.segments} to ${end.segments} segments ` +
        `(${f1(mib(end.rssKiB))} vs ${f1(mib(tenth.rssKiB))} MiB; budget ≤ +${BUDGET.soakRssGrowthMiB} MiB)`,
    },
  ];
}

function chromiumVersion(): string {
  try {
    return execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

function writeResults(results: unknown): void {
  mkdirSync(resolve(ROOT, '.bench'), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults written to ${RESULTS_FILE}`);
}

async function main(): Promise<number> {
  const environment = {
    date: new Date().toISOString(),
    chromium: chromiumVersion(),
    node: process.version,
    cpus: cpus().length,
    clockTicksPerSecond: CLK_TCK,
  };
  const config = {
    rounds: ROUNDS,
    domains: DOMAINS,
    loads: LOADS,
    segments: SEGMENTS,
    concurrency: CONCURRENCY,
    settleMs: SETTLE_MS,
    soakSegments: SOAK ? SOAK_SEGMENTS : 0,
  };
  console.log(
    `IPvLens bench: ${ROUNDS} round(s) of baseline + ipvlens; workload ${LOADS}× ${DOMAINS}-domain page, ` +
      `${SEGMENTS} stream segments (concurrency ${CONCURRENCY}); ` +
      `${SOAK ? `then a soak of ${SOAK_SEGMENTS} segments` : 'no soak (BENCH_SOAK=0)'}; ${environment.chromium}, ${environment.cpus} CPUs`,
  );

  const server = await startFixtureServer();
  registerPages(server);
  const runs: RunResult[] = [];
  let soak: SoakResult | undefined;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? (['baseline', 'ipvlens'] as const) : (['ipvlens', 'baseline'] as const);
      for (const kind of order) {
        const result = await runOnce(server, kind, round);
        runs.push(result);
        console.log(
          `  round ${round} ${kind.padEnd(8)} cpu ${f0(result.cpuMs.total)} ms (loads ${f0(result.cpuMs.loads)}, stream ${f0(result.cpuMs.stream)}, ` +
            `settle ${f0(result.cpuMs.settle)}), rss ${f1(result.rssMiB)} MiB, wall ${f1(result.workloadWallMs / 1000)} s ` +
            `(stream ${f1(result.streamMs / 1000)} s)` +
            (result.popup
              ? `, popup first render ${result.popup.opens.map((o) => f1(o.firstRenderMs)).join(' / ')} ms ` +
                `(from navigation ${result.popup.opens.map((o) => f0(o.fromNavigationMs)).join(' / ')} ms)`
              : ''),
        );
      }
    }
    if (SOAK) {
      soak = await runSoak(server, soakProbe, { segments: SOAK_SEGMENTS, concurrency: CONCURRENCY, settleMs: SETTLE_MS });
      console.log(`  soak ipvlens ${soak.segments} segments in ${f1(soak.streamMs / 1000)} s (wall ${f1(soak.wallMs / 1000)} s)`);
    }
  } catch (error) {
    const broken = error instanceof BrokenRun;
    console.error(`\nBROKEN RUN: ${error instanceof Error ? error.message : String(error)}`);
    if (!broken && error instanceof Error && error.stack) console.error(error.stack);
    writeResults({ environment, config, budget: BUDGET, runs, soak, broken: true, error: String(error) });
    console.log('\nFAIL  bench: a run was broken, no figures are reported');
    return 2;
  } finally {
    await server.close();
  }

  const header = ['cpu total ms', 'loads ms', 'stream ms', 'settle ms', 'browser proc ms', 'rss MiB', 'wall s', 'popup ms'];
  type Figures = Pick<RunResult, 'cpuMs' | 'browserProcessCpuMs' | 'rssMiB' | 'workloadWallMs'>;
  const cells = (r: Figures, popupMs: number | undefined): string[] => [
    f0(r.cpuMs.total),
    f0(r.cpuMs.loads),
    f0(r.cpuMs.stream),
    f0(r.cpuMs.settle),
    f0(r.browserProcessCpuMs),
    f1(r.rssMiB),
    f1(r.workloadWallMs / 1000),
    popupMs === undefined ? '' : f1(popupMs),
  ];
  console.log(`\n${table(
    ['run', 'extension', ...header],
    runs.map((r) => [String(r.round), r.kind, ...cells(r, r.popup ? median(r.popup.opens.map((o) => o.firstRenderMs)) : undefined)]),
  )}`);

  const baseline = summarize(runs, 'baseline');
  const ipvlens = summarize(runs, 'ipvlens');
  console.log(`\nMedians\n${table(
    ['', 'extension', ...header],
    [
      ['median', 'baseline', ...cells(baseline, baseline.popup.firstRenderMs)],
      ['median', 'ipvlens', ...cells(ipvlens, ipvlens.popup.firstRenderMs)],
    ],
  )}`);

  const cpuRatio = ipvlens.cpuMs.total / baseline.cpuMs.total;
  const rssDeltaMiB = ipvlens.rssMiB - baseline.rssMiB;
  const popup = ipvlens.popup;
  const popupMs = popup.firstRenderMs ?? NaN;
  const checks: Check[] = [
    {
      name: 'cpu',
      pass: cpuRatio <= BUDGET.cpuRatio,
      text: `extension process CPU ${cpuRatio.toFixed(2)}× baseline (${f0(ipvlens.cpuMs.total)} vs ${f0(baseline.cpuMs.total)} ms; budget ≤ ${BUDGET.cpuRatio}×)`,
    },
    {
      name: 'rss',
      pass: rssDeltaMiB <= BUDGET.rssDeltaMiB,
      text: `extension process RSS ${rssDeltaMiB >= 0 ? '+' : ''}${f1(rssDeltaMiB)} MiB over baseline (${f1(ipvlens.rssMiB)} vs ${f1(baseline.rssMiB)} MiB; budget ≤ +${BUDGET.rssDeltaMiB} MiB)`,
    },
    {
      name: 'popup',
      pass: popupMs <= BUDGET.popupFirstRenderMs,
      text:
        `popup first render of a ${DOMAINS}-domain tab ${f1(popupMs)} ms, script start to first painted frame with data ` +
        `(median of ${popup.opens} opens; first open of each browser ${f1(popup.coldFirstRenderMs ?? NaN)} ms; ` +
        `rendering alone ${f1(popup.renderOnlyMs ?? NaN)} ms; from navigation start ${f1(popup.fromNavigationMs ?? NaN)} ms; ` +
        `all rows in ${f1(popup.allRowsMs ?? NaN)} ms; budget ≤ ${BUDGET.popupFirstRenderMs} ms)`,
    },
  ];
  if (soak !== undefined) {
    console.log(`\nSoak (ipvlens, one tab, ${soak.segments} segments; figures after ${SETTLE_MS} ms of quiet)\n${soakTable(soak)}`);
    const { cpuMsPerThousandSegments: cpu } = soakFigures(soak);
    console.log(`extension CPU per 1000 segments: ${f0(cpu.firstTenth)} ms in the first 10 %, ${f0(cpu.rest)} ms after`);
    checks.push(...soakChecks(soak));
  }
  if (LOADS !== 5 || SEGMENTS !== 3000) console.log('\nNote: BENCH_LOADS/BENCH_SEGMENTS differ from the standard workload; budgets are meant for 5 and 3000.');
  if (soak !== undefined && SOAK_SEGMENTS !== 20_000) console.log('Note: BENCH_SOAK_SEGMENTS differs from the standard soak; its budgets are meant for 20000.');
  console.log('');
  for (const check of checks) console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.text}`);

  writeResults({
    environment,
    config,
    budget: BUDGET,
    runs,
    medians: { baseline, ipvlens },
    figures: { cpuRatio, rssDeltaMiB, popupFirstRenderMs: popupMs },
    soak: soak === undefined ? { skipped: true } : { ...soak, figures: soakFigures(soak) },
    checks: checks.map(({ name, pass, text }) => ({ name, pass, text })),
    broken: false,
  });
  return checks.every((check) => check.pass) ? 0 : 1;
}

process.exitCode = await main();
