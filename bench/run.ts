/**
 * `npm run bench`: what IPvLens costs the browser and how fast its popup opens, side by side with
 * a floor and with IPvFoo 2.33, the extension it means to replace.
 *
 * The floor (bench/baseline/) has IPvLens's permissions and listeners with empty bodies, so that
 * what Chromium spends delivering events to any extension cancels out. Each round runs the floor,
 * IPvLens and IPvFoo (when found, see extensions.ts) in that order, the next round in the reverse
 * order, so that drift in the machine's speed cancels out; each run in a fresh browser, over a
 * fixed workload (runOnce.ts):
 *   (a) LOADS loads of a page with 300 images from 300 distinct hosts, alternating IPv4 and IPv6;
 *   (b) a live-stream-like page that fetches SEGMENTS small segments, alternating between an IPv6
 *       host and an IPv4 host, with bounded concurrency.
 * The extension's process CPU time is read before and after, its RSS after; then each popup page
 * is opened in a tab (workloads/popupOpen.ts) on the 300-domain tab and on a 2,000-domain tab.
 * Figures are per round against the same round's floor (CPU ratio, RSS difference) and IPvFoo
 * (popup), then the median over the rounds with the spread (report.ts).
 *
 * After the rounds, one soak run (workloads/soak.ts) with IPvLens only: SOAK_SEGMENTS segments in
 * one tab, 5 ms apart, with storage.session bytes, and the extension process RSS and the worker's
 * heap after a full GC, read before the stream, after 10 % of it and after all of it; from 10 % to
 * the end none may grow (RSS: within 5 MiB).
 *
 * Environment: BENCH_ROUNDS (default 5), BENCH_LOADS, BENCH_SEGMENTS, BENCH_POPUP_OPENS (warm
 * opens, default 11), BENCH_SOAK_SEGMENTS (default 60000), BENCH_SOAK_INTERVAL_MS (default 5),
 * BENCH_SOAK=0 skips the soak, BENCH_SOAK_ONLY=1 runs only the soak, BENCH_SOAK_FLOOR=1 soaks the
 * floor too (for information);
 * BENCH_IPVLENS_DIST another IPvLens build, BENCH_IPVLENS_BEFORE_DIST a second one measured beside it
 * (ipvlens-before, e.g. main's build), BENCH_IPVFOO_DIR where IPvFoo is, BENCH_NO_WRITES=0 leaves out
 * the build without session writes (ipvlens-no-writes; BENCH_IPVLENS_NO_WRITES_DIST another one).
 * Results are printed and written to .bench/results.json. Exit code: 0 all goals met,
 * 1 a goal failed, 2 a run was broken (its numbers would be worthless).
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { REQUEST_LOG_CAPACITY } from '../src/core/requests/requestLog';
import { startFixtureServer } from '../scripts/browser/fixtureServer';
import { benchExtensions, findIpvfoo, FLOOR_DIR, ipvlensDir, roundOrder } from './extensions';
import { BrokenRun, chromiumVersion, CLK_TCK, envInt, envSwitch, f0, f1, soakProbe, writeResults, type Check } from './harness';
import { figuresOf, figuresTable, goalChecks, goalFigures, GOALS, popupRatios, type ExtensionFigures } from './report';
import { runOnce, type RunResult, type Workload } from './runOnce';
import { BIG_DOMAINS, DOMAINS, registerManyDomainsPage } from './workloads/pageLoad';
import { OPENS } from './workloads/popupOpen';
import { soakChecks, soakFigures, soakTable, type SoakBudget } from './soakReport';
import { runSoak, type SoakResult } from './workloads/soak';
import { registerStreamPage } from './workloads/streamSegments';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS_FILE = resolve(ROOT, '.bench/results.json');

const ROUNDS = envInt('BENCH_ROUNDS', 5);
const WORKLOAD: Workload = {
  loads: envInt('BENCH_LOADS', 5),
  segments: envInt('BENCH_SEGMENTS', 3000),
  settleMs: 1500,
  popupOpens: envInt('BENCH_POPUP_OPENS', OPENS),
};
const CONCURRENCY = 6;
const SOAK = envSwitch('BENCH_SOAK', true);
const SOAK_ONLY = envSwitch('BENCH_SOAK_ONLY', false);
const SOAK_FLOOR = envSwitch('BENCH_SOAK_FLOOR', false);
const STANDARD_SOAK_SEGMENTS = 60_000;
const SOAK_SEGMENTS = envInt('BENCH_SOAK_SEGMENTS', STANDARD_SOAK_SEGMENTS);
const SOAK_INTERVAL_MS = envInt('BENCH_SOAK_INTERVAL_MS', 5);

/**
 * Numbers of a stored request-log entry that grow with time (and gain a digit from 10 % to the end
 * of the soak): its seq, the browser's request id, its start, response and end times (relative to
 * the view's start), and the segment number in the soak's URLs.
 */
const GROWING_NUMBERS_PER_ENTRY = 6;

const SOAK_BUDGET: SoakBudget = {
  // Soak, end against 10 %: stored counters may only gain digits (a digit on each growing number
  // of the Requests view's ring of entries, and 2 KiB for the domains' counters); the worker's heap
  // after a full GC (what it keeps) may not grow; the extension process's RSS after that GC stays
  // within 5 MiB (the README's promise: hours of streaming cost what ten minutes did).
  soakStorageGrowthBytes: REQUEST_LOG_CAPACITY * GROWING_NUMBERS_PER_ENTRY + 2048,
  soakKeptHeapGrowthKiB: 256,
  soakRssDriftMiB: 5,
};

function describeRun(result: RunResult): string {
  const popup = result.popup;
  const popupText =
    popup === undefined
      ? ''
      : `, popup ${DOMAINS}-domain tab first screen / full ${popup.tab.warm.map((o) => `${f0(o.firstScreen)}/${f0(o.fullList)}`).join(' ')} ms, ` +
        `${BIG_DOMAINS}-domain tab full ${popup.bigTab.warm.map((o) => f0(o.fullList)).join(' ')} ms`;
  return (
    `  round ${result.round} ${result.kind.padEnd(7)} cpu ${f0(result.cpuMs.total)} ms (loads ${f0(result.cpuMs.loads)}, stream ${f0(result.cpuMs.stream)}, ` +
    `settle ${f0(result.cpuMs.settle)}), rss ${f1(result.rssMiB)} MiB, wall ${f1(result.workloadWallMs / 1000)} s${popupText}`
  );
}

/** A soak's table, printed as soon as it ran (a soak takes minutes). */
function describeSoak(kind: string, soak: SoakResult): void {
  console.log(`  soak ${kind} ${soak.segments} segments in ${f1(soak.streamMs / 1000)} s (wall ${f1(soak.wallMs / 1000)} s)`);
  console.log(`\nSoak (${kind}, one tab, ${soak.segments} segments ${SOAK_INTERVAL_MS} ms apart; figures after ${WORKLOAD.settleMs} ms of quiet and a full GC)\n${soakTable(soak)}`);
  const { cpuMsPerThousandSegments: cpu } = soakFigures(soak);
  console.log(`extension CPU per 1000 segments: ${f0(cpu.firstTenth)} ms in the first 10 %, ${f0(cpu.rest)} ms after\n`);
}

async function main(): Promise<number> {
  const ipvfoo = findIpvfoo();
  const extensions = benchExtensions('dir' in ipvfoo ? ipvfoo.dir : undefined);
  const environment = { date: new Date().toISOString(), chromium: chromiumVersion(), node: process.version, cpus: cpus().length, clockTicksPerSecond: CLK_TCK };
  const config = {
    rounds: ROUNDS,
    domains: DOMAINS,
    bigTabDomains: BIG_DOMAINS,
    ...WORKLOAD,
    concurrency: CONCURRENCY,
    soakOnly: SOAK_ONLY,
    soakSegments: SOAK ? SOAK_SEGMENTS : 0,
    soakIntervalMs: SOAK_INTERVAL_MS,
    extensions: extensions.map(({ kind, dir }) => ({ kind, dir })),
  };
  if (SOAK_ONLY && !SOAK) throw new Error('BENCH_SOAK_ONLY=1 with BENCH_SOAK=0 leaves nothing to run');
  const rounds = SOAK_ONLY ? 0 : ROUNDS;
  const soakText = SOAK ? `a soak of ${SOAK_SEGMENTS} segments ${SOAK_INTERVAL_MS} ms apart${SOAK_FLOOR ? ' (and the floor\'s)' : ''}` : 'no soak (BENCH_SOAK=0)';
  console.log(
    SOAK_ONLY
      ? `IPvLens bench, soak only (BENCH_SOAK_ONLY=1): ${soakText}; ${environment.chromium}, ${environment.cpus} CPUs; IPvLens from ${ipvlensDir()}`
      : `IPvLens bench: ${ROUNDS} round(s) of ${extensions.map((x) => x.kind).join(' + ')}; workload ${WORKLOAD.loads}× ${DOMAINS}-domain page, ` +
      `${WORKLOAD.segments} stream segments (concurrency ${CONCURRENCY}); popup pages opened 1 + ${WORKLOAD.popupOpens} times on a ${DOMAINS}- and a ${BIG_DOMAINS}-domain tab; ` +
      `then ${soakText}; ${environment.chromium}, ${environment.cpus} CPUs; IPvLens from ${ipvlensDir()}`,
  );
  if ('missing' in ipvfoo) console.log(`IPvFoo left out: ${ipvfoo.missing}. The popup goals, which compare with it, are not checked.`);

  const server = await startFixtureServer();
  registerManyDomainsPage(server, DOMAINS);
  registerManyDomainsPage(server, BIG_DOMAINS);
  registerStreamPage(server, WORKLOAD.segments, CONCURRENCY);
  const runs: RunResult[] = [];
  let soak: SoakResult | undefined;
  let floorSoak: SoakResult | undefined;
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const extension of roundOrder(round, extensions)) {
        const result = await runOnce(server, extension, round, WORKLOAD);
        runs.push(result);
        console.log(describeRun(result));
      }
    }
    const soakConfig = { segments: SOAK_SEGMENTS, concurrency: CONCURRENCY, intervalMs: SOAK_INTERVAL_MS, settleMs: WORKLOAD.settleMs };
    if (SOAK) {
      soak = await runSoak(server, soakProbe, { ...soakConfig, extensionDir: ipvlensDir() });
      describeSoak('ipvlens', soak);
    }
    if (SOAK && SOAK_FLOOR) {
      floorSoak = await runSoak(server, soakProbe, { ...soakConfig, extensionDir: FLOOR_DIR });
      describeSoak('floor', floorSoak);
    }
  } catch (error) {
    const broken = error instanceof BrokenRun;
    console.error(`\nBROKEN RUN: ${error instanceof Error ? error.message : String(error)}`);
    if (!broken && error instanceof Error && error.stack) console.error(error.stack);
    writeResults(RESULTS_FILE, { environment, config, goals: GOALS, runs, soak, broken: true, error: String(error) });
    console.log('\nFAIL  bench: a run was broken, no figures are reported');
    return 2;
  } finally {
    await server.close();
  }

  const figures = extensions.map((x) => figuresOf(runs, x.kind)).filter((x): x is ExtensionFigures => x !== undefined);
  const ratios = popupRatios(runs);
  const checks: Check[] = [];
  const notes: string[] = [];
  if (!SOAK_ONLY) {
    console.log(
      `\nMedians over ${ROUNDS} round(s), spread (min–max) in brackets; ratios and differences per round against the same round's floor; ` +
        `popup times from the page's navigation start, medians of ${WORKLOAD.popupOpens} warm opens per round\n${figuresTable(figures)}`,
    );
    const ipvlens = figures.find((x) => x.kind === 'ipvlens');
    if (ipvlens === undefined) throw new Error('no IPvLens runs');
    const goals = goalChecks(ipvlens, ratios);
    checks.push(...goals.checks);
    notes.push(...goals.notes);
  }
  if (soak !== undefined) checks.push(...soakChecks(soak, SOAK_BUDGET));
  if (!SOAK_ONLY && (WORKLOAD.loads !== 5 || WORKLOAD.segments !== 3000)) console.log('\nNote: BENCH_LOADS/BENCH_SEGMENTS differ from the standard workload; the goals are meant for 5 and 3000.');
  if (soak !== undefined && (SOAK_SEGMENTS !== STANDARD_SOAK_SEGMENTS || SOAK_INTERVAL_MS !== 5)) {
    console.log(`Note: BENCH_SOAK_SEGMENTS/BENCH_SOAK_INTERVAL_MS differ from the standard soak; its budgets are meant for ${STANDARD_SOAK_SEGMENTS} segments 5 ms apart.`);
  }
  console.log('');
  const before = figures.find((x) => x.kind === 'ipvlens-before');
  if (before !== undefined) console.log(`INFO  ${goalFigures(before, popupRatios(runs, 'ipvlens-before'))}`);
  const noWrites = figures.find((x) => x.kind === 'ipvlens-no-writes');
  if (noWrites !== undefined) console.log(`INFO  ${goalFigures(noWrites, undefined)} (what the session writes cost: the difference to ipvlens)`);
  for (const note of notes) console.log(`SKIP  ${note}`);
  for (const check of checks) console.log(`${check.pass ? 'PASS' : 'FAIL'}  ${check.text}`);

  writeResults(RESULTS_FILE, {
    environment,
    config,
    goals: { ...GOALS, ...SOAK_BUDGET },
    runs,
    figures,
    popupRatios: ratios,
    popupRatiosBefore: popupRatios(runs, 'ipvlens-before'),
    soak: soak === undefined ? { skipped: true } : { ...soak, figures: soakFigures(soak) },
    floorSoak: floorSoak === undefined ? { skipped: true } : { ...floorSoak, figures: soakFigures(floorSoak) },
    checks: checks.map(({ name, pass, text }) => ({ name, pass, text })),
    broken: false,
  });
  return checks.every((check) => check.pass) ? 0 : 1;
}

process.exitCode = await main();
