/**
 * The soak's figures (workloads/soak.ts): growth from the 10 % checkpoint to the end, the table
 * the bench prints, and the checks of its budgets.
 */
import { f0, f1, mib, table, type Check } from './harness';
import type { SoakCheckpoint, SoakResult } from './workloads/soak';

/** Soak budgets, end against 10 % (set in run.ts). */
export interface SoakBudget {
  soakStorageGrowthBytes: number;
  soakKeptHeapGrowthKiB: number;
  /** How far apart the two RSS figures (after a full GC) may be, either way. */
  soakRssDriftMiB: number;
}

function soakCheckpoint(soak: SoakResult, name: SoakCheckpoint['name']): SoakCheckpoint {
  const checkpoint = soak.checkpoints.find((c) => c.name === name);
  if (checkpoint === undefined) throw new Error(`soak checkpoint ${name} missing`);
  return checkpoint;
}

/** Growth from 10 % to the end: what a tab streaming for hours would keep adding. */
export function soakFigures(soak: SoakResult) {
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

export function soakTable(soak: SoakResult): string {
  return table(
    ['checkpoint', 'segments', 'storage bytes', 'storage keys', 'rss MiB', 'rss readings MiB', 'rss before GC MiB', 'kept heap KiB', 'ext cpu ms'],
    soak.checkpoints.map((c) => [
      c.name,
      String(c.segments),
      String(c.storageBytes),
      String(c.storageKeys),
      f1(mib(c.rssKiB)),
      c.rssReadingsKiB.map((kib) => f1(mib(kib))).join(' / '),
      f1(mib(c.rssBeforeGcKiB)),
      c.workerHeapUsedBytes === undefined ? '—' : f0(c.workerHeapUsedBytes / 1024),
      f0(c.extensionCpuMs),
    ]),
  );
}

export function soakChecks(soak: SoakResult, budget: SoakBudget): Check[] {
  const tenth = soakCheckpoint(soak, '10%');
  const end = soakCheckpoint(soak, 'end');
  const figures = soakFigures(soak);
  const signed = (n: number, format: (n: number) => string): string => `${n >= 0 ? '+' : ''}${format(n)}`;
  return [
    {
      name: 'soak-storage',
      pass: figures.storageGrowthBytes <= budget.soakStorageGrowthBytes,
      text:
        `soak storage.session ${signed(figures.storageGrowthBytes, String)} bytes from ${tenth.segments} to ${end.segments} segments ` +
        `(${end.storageBytes} vs ${tenth.storageBytes} bytes; budget ≤ +${budget.soakStorageGrowthBytes} bytes)`,
    },
    {
      name: 'soak-heap',
      // Unreadable heap (NaN) fails: a budget that cannot be checked is not met.
      pass: figures.keptHeapGrowthKiB <= budget.soakKeptHeapGrowthKiB,
      text:
        `soak worker heap after GC ${signed(figures.keptHeapGrowthKiB, f0)} KiB from ${tenth.segments} to ${end.segments} segments ` +
        `(budget ≤ +${budget.soakKeptHeapGrowthKiB} KiB)`,
    },
    {
      name: 'soak-rss',
      // Within the budget either way: the promise is that the end costs what 10 % did, and a figure
      // that moved that much the other way says the measure itself is not to be trusted. NaN fails.
      pass: Math.abs(figures.rssGrowthMiB) <= budget.soakRssDriftMiB,
      text:
        `soak extension process RSS after a full GC ${signed(figures.rssGrowthMiB, f1)} MiB from ${tenth.segments} to ${end.segments} segments ` +
        `(${f1(mib(end.rssKiB))} vs ${f1(mib(tenth.rssKiB))} MiB; budget within ±${budget.soakRssDriftMiB} MiB)`,
    },
  ];
}
