import { describe, expect, it } from 'vitest';
import { formatBytes, sharePercentages, type FamilyCounts } from '../../src/core/live/share';

const counts = (v6: number, v4: number, unknown = 0): FamilyCounts => ({ v6, v4, unknown });

describe('sharePercentages', () => {
  it.each<[FamilyCounts, FamilyCounts]>([
    [counts(0, 0), counts(0, 0)],
    [counts(1, 0), counts(100, 0)],
    [counts(1, 1), counts(50, 50)],
    [counts(2, 1), counts(67, 33)],
    // Equal remainders: the first part in bar order (IPv6) takes the spare point.
    [counts(1, 1, 1), { v6: 34, v4: 33, unknown: 33 }],
    [counts(1, 2), counts(33, 67)],
    [counts(57, 43), counts(57, 43)],
    // A part with a count never reads 0 %.
    [counts(1, 999), counts(1, 99)],
    [counts(1, 998, 1), { v6: 1, v4: 98, unknown: 1 }],
  ])('%j → %j', (input, expected) => {
    const result = sharePercentages(input);
    expect(result).toEqual(expected);
    if (input.v6 + input.v4 + input.unknown > 0) expect(result.v6 + result.v4 + result.unknown).toBe(100);
  });

  it('adds up to 100 for many splits', () => {
    for (let a = 0; a < 30; a++) {
      for (let b = 0; b < 30; b++) {
        for (const c of [0, 1, 7]) {
          if (a + b + c === 0) continue;
          const r = sharePercentages(counts(a, b, c));
          expect(r.v6 + r.v4 + r.unknown, `${a} ${b} ${c}`).toBe(100);
          for (const [part, n] of [['v6', a], ['v4', b], ['unknown', c]] as const) {
            expect(r[part] > 0, `${a} ${b} ${c} ${part}`).toBe(n > 0);
          }
        }
      }
    }
  });
});

describe('formatBytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [1, '1 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1234, '1.23 kB'],
    [12_345, '12.3 kB'],
    [123_456, '123 kB'],
    [999_499, '999 kB'],
    [999_500, '1.00 MB'],
    [4_560_000, '4.56 MB'],
    [7_000_000_000, '7.00 GB'],
    [3e15, '3000 TB'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
