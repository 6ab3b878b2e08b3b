/** The soak's checks (bench/soakReport.ts): the end is compared with the 10 % checkpoint of the same run. */
import { describe, expect, it } from 'vitest';
import { soakChecks, soakFigures, type SoakBudget } from '../../bench/soakReport';
import type { SoakCheckpoint, SoakResult } from '../../bench/workloads/soak';

const BUDGET: SoakBudget = { soakStorageGrowthBytes: 2048, soakKeptHeapGrowthKiB: 256, soakRssDriftMiB: 5 };
const MIB = 1024;

function checkpoint(name: SoakCheckpoint['name'], segments: number, figures: { rssKiB: number; heapBytes: number | undefined; storageBytes: number; cpuMs: number }): SoakCheckpoint {
  return {
    name,
    segments,
    storageBytes: figures.storageBytes,
    storageKeys: 10,
    rssKiB: figures.rssKiB,
    rssReadingsKiB: [figures.rssKiB, figures.rssKiB, figures.rssKiB],
    rssBeforeGcKiB: figures.rssKiB + 1024,
    workerHeapUsedBytes: figures.heapBytes,
    extensionCpuMs: figures.cpuMs,
  };
}

/** A soak of 60,000 segments whose end differs from its 10 % checkpoint by the given amounts. */
function soak(growth: { rssKiB?: number; heapBytes?: number | undefined; storageBytes?: number }): SoakResult {
  const tenth = { rssKiB: 120 * MIB, heapBytes: 2_000_000, storageBytes: 340_000, cpuMs: 5000 };
  const endHeap = 'heapBytes' in growth ? (growth.heapBytes === undefined ? undefined : tenth.heapBytes + growth.heapBytes) : tenth.heapBytes;
  return {
    extensionPid: 1,
    segments: 60_000,
    checkpoints: [
      checkpoint('start', 0, { rssKiB: 100 * MIB, heapBytes: 1_500_000, storageBytes: 1000, cpuMs: 1000 }),
      checkpoint('10%', 6000, tenth),
      checkpoint('end', 60_000, {
        rssKiB: tenth.rssKiB + (growth.rssKiB ?? 0),
        heapBytes: endHeap,
        storageBytes: tenth.storageBytes + (growth.storageBytes ?? 0),
        cpuMs: 50_000,
      }),
    ],
    streamMs: 300_000,
    wallMs: 320_000,
  };
}

const passOf = (result: SoakResult, name: string): boolean | undefined => soakChecks(result, BUDGET).find((check) => check.name === name)?.pass;

describe('soak RSS: after a full GC, the end within 5 MiB of the 10 % checkpoint', () => {
  it.each([
    ['flat', 0, true],
    ['+4.9 MiB', 4.9 * MIB, true],
    ['+5 MiB, the budget itself', 5 * MIB, true],
    ['+5.1 MiB', 5.1 * MIB, false],
    ['+52 MiB (about 1 KB per request of 54,000)', 52 * MIB, false],
    ['−4 MiB', -4 * MIB, true],
    ['−6 MiB: the two figures are not within 5 MiB of each other', -6 * MIB, false],
  ])('%s passes: %s', (_name, rssKiB, pass) => {
    expect(passOf(soak({ rssKiB }), 'soak-rss')).toBe(pass);
  });

  it('says what it compared, and the budget, on its line', () => {
    const check = soakChecks(soak({ rssKiB: 26 * MIB }), BUDGET).find((c) => c.name === 'soak-rss');
    expect(check?.pass).toBe(false);
    expect(check?.text).toContain('+26.0 MiB from 6000 to 60000 segments');
    expect(check?.text).toContain('146.0 vs 120.0 MiB');
    expect(check?.text).toContain('±5 MiB');
  });
});

describe('soak worker heap after a full GC: the end at most 256 KiB over the 10 % checkpoint', () => {
  it.each([
    ['flat', 0, true],
    ['+256 KiB', 256 * 1024, true],
    ['+257 KiB', 257 * 1024, false],
    ['unreadable at the end: a budget that cannot be checked is not met', undefined, false],
  ])('%s passes: %s', (_name, heapBytes, pass) => {
    expect(passOf(soak({ heapBytes }), 'soak-heap')).toBe(pass);
  });
});

describe('soak storage.session: the end at most 2 KiB over the 10 % checkpoint', () => {
  it.each([
    ['flat', 0, true],
    ['+2048 bytes', 2048, true],
    ['+2049 bytes', 2049, false],
  ])('%s passes: %s', (_name, storageBytes, pass) => {
    expect(passOf(soak({ storageBytes }), 'soak-storage')).toBe(pass);
  });
});

describe('soakFigures', () => {
  it('measures growth from 10 % to the end, and CPU per 1000 segments before and after', () => {
    const figures = soakFigures(soak({ rssKiB: 3 * MIB, heapBytes: 10 * 1024, storageBytes: 100 }));
    expect(figures.rssGrowthMiB).toBe(3);
    expect(figures.keptHeapGrowthKiB).toBe(10);
    expect(figures.storageGrowthBytes).toBe(100);
    expect(figures.rssWarmUpMiB).toBe(20);
    expect(figures.cpuMsPerThousandSegments).toEqual({ firstTenth: (4000 * 1000) / 6000, rest: (45_000 * 1000) / 54_000 });
  });

  it('refuses a soak without its 10 % checkpoint', () => {
    const result = soak({});
    result.checkpoints = result.checkpoints.filter((c) => c.name !== '10%');
    expect(() => soakFigures(result)).toThrow(/10%/);
  });
});
