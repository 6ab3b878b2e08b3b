/**
 * The extensions a bench round runs: the floor (bench/baseline/: IPvLens's permissions and
 * listeners with empty bodies), IPvLens (its Chrome build), IPvLens without its session writes,
 * and IPvFoo 2.33, the extension IPvLens means to replace, unpacked beside the repository
 * (../shared/peers/ipvfoo-2.33 from the main checkout; BENCH_IPVFOO_DIR points elsewhere,
 * BENCH_IPVFOO_DIR= (empty) leaves it out).
 * Only how to open each one's popup page for a tab is known here: nothing of IPvFoo is copied.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CHROME_DIST } from '../scripts/browser/chromium';
import { envSwitch } from './harness';

/**
 * `ipvlens-before`: a second IPvLens build (BENCH_IPVLENS_BEFORE_DIST), measured like IPvLens, for a
 * before/after in one run. `ipvlens-no-writes`: IPvLens without its session writes
 * (dist/chrome-no-writes), CPU and RSS only, so that each run says what the crash-safe writes cost.
 */
export type Kind = 'floor' | 'ipvlens' | 'ipvlens-before' | 'ipvlens-no-writes' | 'ipvfoo';

export interface PopupPage {
  /** The popup's own page, showing tab `tabId`, opened in a tab of its own. */
  url(extensionId: string, tabId: number): string;
  /** One element per domain row. */
  rowSelector: string;
  /** How many domains it lists at most (IPvFoo keeps 256 per tab). */
  maxRows: number;
}

export interface BenchExtension {
  kind: Kind;
  dir: string;
  popup?: PopupPage;
}

const ROOT = resolve(import.meta.dirname, '..');
/** The floor: IPvLens's permissions and listeners with empty bodies. */
export const FLOOR_DIR = resolve(import.meta.dirname, 'baseline');
const IPVFOO_PATH = join('shared', 'peers', 'ipvfoo-2.33');

/** BENCH_IPVLENS_DIST measures another build (e.g. main's, for a before/after comparison). */
export function ipvlensDir(): string {
  const dir = process.env.BENCH_IPVLENS_DIST;
  return dir === undefined || dir === '' ? CHROME_DIST : resolve(dir);
}

/**
 * The build without session writes (`vite build --mode bench-no-writes`, which `npm run bench`
 * makes), unless BENCH_NO_WRITES=0; BENCH_IPVLENS_NO_WRITES_DIST measures another such build.
 */
export function noWritesDir(): string | undefined {
  if (!envSwitch('BENCH_NO_WRITES', true)) return undefined;
  const dir = process.env.BENCH_IPVLENS_NO_WRITES_DIST;
  const chosen = dir === undefined || dir === '' ? `${CHROME_DIST}-no-writes` : resolve(dir);
  if (!existsSync(join(chosen, 'manifest.json'))) throw new Error(`no build without session writes in ${chosen}: make it with \`npx vite build --mode bench-no-writes\`, or set BENCH_NO_WRITES=0`);
  return chosen;
}

/**
 * IPvFoo's unpacked directory (the one holding its manifest.json), or why it is left out. Looked
 * for in BENCH_IPVFOO_DIR, else beside the repository or beside the folder of worktrees it is in.
 */
export function findIpvfoo(): { dir: string } | { missing: string } {
  const given = process.env.BENCH_IPVFOO_DIR;
  if (given === '') return { missing: 'BENCH_IPVFOO_DIR is empty' };
  const candidates = given !== undefined ? [resolve(given)] : [join(dirname(ROOT), IPVFOO_PATH), join(dirname(dirname(ROOT)), IPVFOO_PATH)];
  for (const dir of candidates) {
    if (existsSync(join(dir, 'manifest.json'))) return { dir };
    if (existsSync(join(dir, 'src', 'manifest.json'))) return { dir: join(dir, 'src') };
  }
  return { missing: `no manifest.json in ${candidates.join(' or ')} (set BENCH_IPVFOO_DIR)` };
}

export const IPVLENS_POPUP: PopupPage = {
  url: (extensionId, tabId) => `chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`,
  rowSelector: '[data-domain]',
  maxRows: Infinity,
};

/** IPvFoo's popup page takes its tab from the fragment and fills table#addr_table, a row per domain. */
export const IPVFOO_POPUP: PopupPage = {
  url: (extensionId, tabId) => `chrome-extension://${extensionId}/popup.html#${tabId}`,
  rowSelector: '#addr_table tr',
  maxRows: 256,
};

export function benchExtensions(ipvfooDir: string | undefined): BenchExtension[] {
  const extensions: BenchExtension[] = [
    { kind: 'floor', dir: FLOOR_DIR },
    { kind: 'ipvlens', dir: ipvlensDir(), popup: IPVLENS_POPUP },
  ];
  const before = process.env.BENCH_IPVLENS_BEFORE_DIST;
  if (before !== undefined && before !== '') extensions.splice(1, 0, { kind: 'ipvlens-before', dir: resolve(before), popup: IPVLENS_POPUP });
  const noWrites = noWritesDir();
  // No popup: its page is the same as IPvLens's, and the runs are only for the cost of the writes.
  if (noWrites !== undefined) extensions.push({ kind: 'ipvlens-no-writes', dir: noWrites });
  if (ipvfooDir !== undefined) extensions.push({ kind: 'ipvfoo', dir: ipvfooDir, popup: IPVFOO_POPUP });
  return extensions;
}

/** Odd rounds run the extensions in order, even rounds in reverse, so that drift in the machine's speed cancels out. */
export function roundOrder<T>(round: number, extensions: readonly T[]): T[] {
  return round % 2 === 1 ? [...extensions] : [...extensions].reverse();
}
