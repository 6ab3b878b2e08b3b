/**
 * The figures of `npm run bench` from its runs: per round, each extension against the floor of the
 * same round (CPU ratio, RSS difference) and IPvLens's popup against IPvFoo's; the median over the
 * rounds with the spread (min–max); one table, and one PASS/FAIL line per goal.
 */
import type { Kind } from './extensions';
import { f0, f1, median, table, type Check } from './harness';
import type { RunResult } from './runOnce';
import { popupMedians, type PopupTiming } from './workloads/popupOpen';

export const GOALS = {
  /** Extension process CPU over the workload, IPvLens ÷ floor. */
  cpuRatio: 1.2,
  /** Extension process RSS after it, IPvLens − floor. */
  rssDeltaMiB: 15,
  /** Popup on the 300-domain tab: IPvLens's first screen ÷ IPvFoo's full table. */
  firstScreenRatio: 0.6,
  /** …IPvLens's first 250 rows ÷ IPvFoo's full table. */
  rows250Ratio: 0.8,
  /** 2,000-domain tab: IPvLens with all 2,000 rows ÷ IPvFoo with its 256. */
  bigTabRatio: 2,
};

/** A median over the rounds and its spread. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

const showSpread = (s: Spread, format: (n: number) => string): string =>
  s.values.length > 1 ? `${format(s.median)} (${format(s.min)}–${format(s.max)})` : format(s.median);

interface PopupRound {
  tab: PopupTiming;
  bigTab: PopupTiming;
}

export interface ExtensionFigures {
  kind: Kind;
  cpuMs: Spread;
  rssMiB: Spread;
  /** Per round, against the floor of the same round (absent for the floor itself). */
  cpuRatio?: Spread;
  rssDeltaMiB?: Spread;
  /** Medians of the warm opens, per round; then the median over rounds. */
  popup?: { firstScreen: Spread; rows250: Spread; fullList: Spread; rows: number; bigFullList: Spread; bigRows: number };
}

const rounds = (runs: RunResult[]): number[] => [...new Set(runs.map((run) => run.round))];
const runOf = (runs: RunResult[], kind: Kind, round: number): RunResult | undefined => runs.find((r) => r.kind === kind && r.round === round);

function popupRounds(runs: RunResult[], kind: Kind): PopupRound[] {
  return runs.filter((r) => r.kind === kind && r.popup !== undefined).map((r) => ({ tab: popupMedians(r.popup!.tab), bigTab: popupMedians(r.popup!.bigTab) }));
}

export function figuresOf(runs: RunResult[], kind: Kind): ExtensionFigures | undefined {
  const mine = runs.filter((r) => r.kind === kind);
  if (mine.length === 0) return undefined;
  const figures: ExtensionFigures = { kind, cpuMs: spread(mine.map((r) => r.cpuMs.total)), rssMiB: spread(mine.map((r) => r.rssMiB)) };
  if (kind !== 'floor') {
    const paired = rounds(mine).flatMap((round) => {
      const floor = runOf(runs, 'floor', round);
      const run = runOf(runs, kind, round);
      return floor === undefined || run === undefined ? [] : [{ floor, run }];
    });
    figures.cpuRatio = spread(paired.map(({ floor, run }) => run.cpuMs.total / floor.cpuMs.total));
    figures.rssDeltaMiB = spread(paired.map(({ floor, run }) => run.rssMiB - floor.rssMiB));
  }
  const popups = popupRounds(runs, kind);
  if (popups.length > 0) {
    figures.popup = {
      firstScreen: spread(popups.map((p) => p.tab.firstScreen)),
      rows250: spread(popups.map((p) => p.tab.rows250)),
      fullList: spread(popups.map((p) => p.tab.fullList)),
      rows: popups[0]!.tab.rows,
      bigFullList: spread(popups.map((p) => p.bigTab.fullList)),
      bigRows: popups[0]!.bigTab.rows,
    };
  }
  return figures;
}

export interface PopupRatios {
  firstScreen: Spread;
  rows250: Spread;
  bigTab: Spread;
}

/** IPvLens's popup ÷ IPvFoo's, per round (both measured in the same round), then over the rounds. */
export function popupRatios(runs: RunResult[], kind: Kind = 'ipvlens'): PopupRatios | undefined {
  const pairs = rounds(runs).flatMap((round) => {
    const mine = runOf(runs, kind, round)?.popup;
    const theirs = runOf(runs, 'ipvfoo', round)?.popup;
    return mine === undefined || theirs === undefined ? [] : [{ mine: { tab: popupMedians(mine.tab), big: popupMedians(mine.bigTab) }, theirs: { tab: popupMedians(theirs.tab), big: popupMedians(theirs.bigTab) } }];
  });
  if (pairs.length === 0) return undefined;
  return {
    firstScreen: spread(pairs.map((p) => p.mine.tab.firstScreen / p.theirs.tab.fullList)),
    rows250: spread(pairs.map((p) => p.mine.tab.rows250 / p.theirs.tab.fullList)),
    bigTab: spread(pairs.map((p) => p.mine.big.fullList / p.theirs.big.fullList)),
  };
}

const times = (n: number): string => `${n.toFixed(2)}×`;
const signedMiB = (n: number): string => `${n >= 0 ? '+' : ''}${f1(n)}`;

/** The one table: per extension, CPU and RSS against the floor and the popup's times (medians over rounds, spread in brackets). */
export function figuresTable(all: ExtensionFigures[]): string {
  return table(
    ['extension', 'CPU ms', 'CPU × floor', 'RSS MiB', 'RSS over floor MiB', 'popup first screen ms', '250 rows ms', 'full list ms (rows)', '2,000-domain tab full list ms (rows)'],
    all.map((x) => [
      x.kind,
      f0(x.cpuMs.median),
      x.cpuRatio === undefined ? '1' : showSpread(x.cpuRatio, times),
      f1(x.rssMiB.median),
      x.rssDeltaMiB === undefined ? '0' : showSpread(x.rssDeltaMiB, signedMiB),
      x.popup === undefined ? '' : showSpread(x.popup.firstScreen, f0),
      x.popup === undefined ? '' : showSpread(x.popup.rows250, f0),
      x.popup === undefined ? '' : `${showSpread(x.popup.fullList, f0)} (${x.popup.rows})`,
      x.popup === undefined ? '' : `${showSpread(x.popup.bigFullList, f0)} (${x.popup.bigRows})`,
    ]),
  );
}

/** One check per goal; the popup's are left out (and said so) without IPvFoo. */
export function goalChecks(ipvlens: ExtensionFigures, ratios: PopupRatios | undefined): { checks: Check[]; notes: string[] } {
  const checks: Check[] = [];
  const notes: string[] = [];
  const ratioCheck = (name: string, s: Spread, goal: number, what: string): Check => ({
    name,
    pass: s.median <= goal,
    text: `${what} ${showSpread(s, times)} (goal ≤ ${goal}×)`,
  });
  if (ipvlens.cpuRatio !== undefined) checks.push(ratioCheck('cpu', ipvlens.cpuRatio, GOALS.cpuRatio, 'extension process CPU, IPvLens ÷ floor per round:'));
  if (ipvlens.rssDeltaMiB !== undefined) {
    checks.push({
      name: 'rss',
      pass: ipvlens.rssDeltaMiB.median <= GOALS.rssDeltaMiB,
      text: `extension process RSS, IPvLens − floor per round: ${showSpread(ipvlens.rssDeltaMiB, signedMiB)} MiB (goal ≤ +${GOALS.rssDeltaMiB} MiB)`,
    });
  }
  if (ratios === undefined) {
    notes.push('popup goals not checked: they compare with IPvFoo, which this run did not have');
  } else {
    checks.push(ratioCheck('popup-first-screen', ratios.firstScreen, GOALS.firstScreenRatio, "popup, 300-domain tab: IPvLens's first screen ÷ IPvFoo's full table:"));
    checks.push(ratioCheck('popup-250-rows', ratios.rows250, GOALS.rows250Ratio, "popup, 300-domain tab: IPvLens's first 250 rows ÷ IPvFoo's full table:"));
    checks.push(ratioCheck('popup-2000', ratios.bigTab, GOALS.bigTabRatio, "popup, 2,000-domain tab: IPvLens's full list ÷ IPvFoo's (256 rows, its cap):"));
  }
  return { checks, notes };
}

/** The goal figures of another build (`ipvlens-before`), for information. */
export function goalFigures(x: ExtensionFigures, ratios: PopupRatios | undefined): string {
  const parts = [
    x.cpuRatio === undefined ? '' : `CPU ${showSpread(x.cpuRatio, times)} the floor`,
    x.rssDeltaMiB === undefined ? '' : `RSS ${showSpread(x.rssDeltaMiB, signedMiB)} MiB`,
    ratios === undefined
      ? ''
      : `popup first screen ${showSpread(ratios.firstScreen, times)}, 250 rows ${showSpread(ratios.rows250, times)}, ` +
        `2,000-domain tab ${showSpread(ratios.bigTab, times)} IPvFoo's`,
  ];
  return `${x.kind}: ${parts.filter(Boolean).join('; ')}`;
}
