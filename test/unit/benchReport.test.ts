/** The bench's arithmetic (bench/report.ts, bench/extensions.ts): which figures are compared with which. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchExtensions, findIpvfoo, roundOrder, type Kind } from '../../bench/extensions';
import { figuresOf, goalChecks, popupRatios, spread } from '../../bench/report';
import type { RunResult } from '../../bench/runOnce';
import type { PopupMeasure, PopupTiming } from '../../bench/workloads/popupOpen';

const timing = (firstScreen: number, rows250: number, fullList: number, rows: number): PopupTiming => ({ firstScreen, rows250, fullList, rows });
/** Three warm opens whose median is `t` (and a cold one far off, which must not count). */
const measure = (domains: number, t: PopupTiming): PopupMeasure => ({
  domains,
  cold: timing(9999, 9999, 9999, t.rows),
  warm: [t, timing(t.firstScreen + 500, t.rows250 + 500, t.fullList + 500, t.rows), timing(t.firstScreen - 1, t.rows250 - 1, t.fullList - 1, t.rows)],
});

function run(round: number, kind: Kind, cpuMs: number, rssMiB: number, popup?: { tab: PopupTiming; bigTab: PopupTiming }): RunResult {
  const result: RunResult = {
    round,
    kind,
    extensionPid: 1,
    cpuMs: { loads: cpuMs / 2, stream: cpuMs / 2, settle: 0, total: cpuMs },
    browserProcessCpuMs: 0,
    rssMiB,
    workloadWallMs: 0,
    streamMs: 0,
  };
  if (popup !== undefined) result.popup = { tab: measure(300, popup.tab), bigTab: measure(2000, popup.bigTab) };
  return result;
}

// Round 2 runs on a machine twice as slow: per-round ratios cancel that, pooled medians would not.
const RUNS: RunResult[] = [
  run(1, 'floor', 1000, 100),
  run(1, 'ipvlens', 1200, 110, { tab: timing(100, 350, 360, 301), bigTab: timing(200, 300, 800, 2001) }),
  run(1, 'ipvfoo', 2000, 140, { tab: timing(400, 400, 400, 256), bigTab: timing(400, 400, 400, 256) }),
  run(2, 'ipvfoo', 4000, 150, { tab: timing(800, 800, 800, 256), bigTab: timing(800, 800, 800, 256) }),
  run(2, 'ipvlens', 2200, 120, { tab: timing(400, 720, 750, 301), bigTab: timing(400, 600, 2000, 2001) }),
  run(2, 'floor', 2000, 100),
];

describe('roundOrder', () => {
  it.each([
    [1, ['floor', 'ipvlens', 'ipvfoo']],
    [2, ['ipvfoo', 'ipvlens', 'floor']],
    [3, ['floor', 'ipvlens', 'ipvfoo']],
  ])('round %i runs %j', (round, order) => {
    expect(roundOrder(round, ['floor', 'ipvlens', 'ipvfoo'])).toEqual(order);
  });
});

describe('figures against the same round', () => {
  it('CPU ratio and RSS difference are per round, then the median with the spread', () => {
    const ipvlens = figuresOf(RUNS, 'ipvlens');
    expect(ipvlens?.cpuRatio).toEqual(spread([1.2, 1.1]));
    expect(ipvlens?.cpuRatio?.median).toBeCloseTo(1.15);
    expect(ipvlens?.rssDeltaMiB).toEqual({ median: 15, min: 10, max: 20, values: [10, 20] });
    expect(figuresOf(RUNS, 'floor')?.cpuRatio).toBeUndefined();
    expect(figuresOf(RUNS, 'ipvlens-before')).toBeUndefined();
  });

  it('popup times are the medians of the warm opens, the cold one left out', () => {
    const popup = figuresOf(RUNS, 'ipvlens')?.popup;
    expect(popup?.firstScreen.values).toEqual([100, 400]);
    expect(popup?.bigFullList.values).toEqual([800, 2000]);
    expect(popup?.rows).toBe(301);
  });

  it("popup ratios divide IPvLens's times by IPvFoo's full table of the same round", () => {
    const ratios = popupRatios(RUNS);
    expect(ratios?.firstScreen.values).toEqual([0.25, 0.5]);
    expect(ratios?.rows250.values).toEqual([0.875, 0.9]);
    expect(ratios?.bigTab.values).toEqual([2, 2.5]);
  });
});

describe('goalChecks', () => {
  it('passes and fails each goal on its median', () => {
    const { checks, notes } = goalChecks(figuresOf(RUNS, 'ipvlens')!, popupRatios(RUNS));
    expect(Object.fromEntries(checks.map((c) => [c.name, c.pass]))).toEqual({
      cpu: true, // 1.15 ≤ 1.2
      rss: true, // +15 ≤ +15
      'popup-first-screen': true, // 0.375 ≤ 0.6
      'popup-250-rows': false, // 0.8875 > 0.8
      'popup-2000': false, // 2.25 > 2
    });
    expect(notes).toEqual([]);
  });

  it('says the popup goals are not checked without IPvFoo, and checks the rest', () => {
    const withoutIpvfoo = RUNS.filter((r) => r.kind !== 'ipvfoo');
    const { checks, notes } = goalChecks(figuresOf(withoutIpvfoo, 'ipvlens')!, popupRatios(withoutIpvfoo));
    expect(checks.map((c) => c.name)).toEqual(['cpu', 'rss']);
    expect(notes).toHaveLength(1);
  });
});

describe('findIpvfoo', () => {
  const saved = process.env.BENCH_IPVFOO_DIR;
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env.BENCH_IPVFOO_DIR;
    else process.env.BENCH_IPVFOO_DIR = saved;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the directory holding manifest.json, at the top or under src/', () => {
    const top = mkdtempSync(join(tmpdir(), 'ipvfoo-'));
    const nested = mkdtempSync(join(tmpdir(), 'ipvfoo-'));
    dirs.push(top, nested);
    writeFileSync(join(top, 'manifest.json'), '{}');
    mkdirSync(join(nested, 'src'));
    writeFileSync(join(nested, 'src', 'manifest.json'), '{}');
    process.env.BENCH_IPVFOO_DIR = top;
    expect(findIpvfoo()).toEqual({ dir: top });
    process.env.BENCH_IPVFOO_DIR = nested;
    expect(findIpvfoo()).toEqual({ dir: join(nested, 'src') });
  });

  it('says why it is left out', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ipvfoo-'));
    dirs.push(empty);
    process.env.BENCH_IPVFOO_DIR = empty;
    expect(findIpvfoo()).toEqual({ missing: expect.stringContaining(empty) as string });
    process.env.BENCH_IPVFOO_DIR = '';
    expect(findIpvfoo()).toEqual({ missing: 'BENCH_IPVFOO_DIR is empty' });
  });
});

/** A directory that looks like an unpacked build (it has a manifest.json). */
function fakeBuild(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'ipvlens-bench-')), 'build');
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), '{}');
  return dir;
}

function stubEnv(env: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

describe('bench extensions: the build without session writes', () => {
  afterEach(() => vi.unstubAllEnvs());

  const noWrites = fakeBuild();
  const missing = join(tmpdir(), 'ipvlens-bench-no-such-build');
  it.each<{ name: string; env: Record<string, string>; kinds: Kind[] }>([
    { name: 'measured, before IPvFoo, without a popup', env: { BENCH_IPVLENS_NO_WRITES_DIST: noWrites }, kinds: ['floor', 'ipvlens', 'ipvlens-no-writes', 'ipvfoo'] },
    { name: 'left out with BENCH_NO_WRITES=0', env: { BENCH_NO_WRITES: '0', BENCH_IPVLENS_NO_WRITES_DIST: noWrites }, kinds: ['floor', 'ipvlens', 'ipvfoo'] },
    { name: 'measured with BENCH_NO_WRITES=1', env: { BENCH_NO_WRITES: '1', BENCH_IPVLENS_NO_WRITES_DIST: noWrites }, kinds: ['floor', 'ipvlens', 'ipvlens-no-writes', 'ipvfoo'] },
  ])('$name', ({ env, kinds }) => {
    stubEnv(env);
    const extensions = benchExtensions('/ipvfoo');
    expect(extensions.map((x) => x.kind)).toEqual(kinds);
    const built = extensions.find((x) => x.kind === 'ipvlens-no-writes');
    if (built !== undefined) {
      expect(built.dir).toBe(noWrites);
      expect(built.popup).toBeUndefined();
    }
  });

  it.each<{ name: string; env: Record<string, string>; error: RegExp }>([
    { name: 'a missing build says how to make it', env: { BENCH_IPVLENS_NO_WRITES_DIST: missing }, error: /npx vite build --mode bench-no-writes/ },
    { name: 'a bad switch is refused', env: { BENCH_NO_WRITES: 'yes' }, error: /BENCH_NO_WRITES must be 0 or 1/ },
  ])('$name', ({ env, error }) => {
    stubEnv(env);
    expect(() => benchExtensions(undefined)).toThrow(error);
  });
});
