/** Family shares as written out beside the bars: whole percentages that add up to 100. */

export interface FamilyCounts {
  v4: number;
  v6: number;
  unknown: number;
}

export type SharePart = keyof FamilyCounts;
export const SHARE_PARTS: readonly SharePart[] = ['v6', 'v4', 'unknown'];

/** Everything counted, whatever the family. */
export function familyTotal(counts: FamilyCounts): number {
  return counts.v6 + counts.v4 + counts.unknown;
}

/**
 * Whole percentages by largest remainder, so "67 % + 33 %" never shows as "67 % + 34 %" or 99 %.
 * A part with a count is never shown as 0 % (it would read as "none"): it gets at least 1 %,
 * taken from the largest part. All zero when the total is zero.
 */
export function sharePercentages(counts: FamilyCounts): FamilyCounts {
  const total = familyTotal(counts);
  const result: FamilyCounts = { v4: 0, v6: 0, unknown: 0 };
  if (total <= 0) return result;
  const exact = SHARE_PARTS.map((part) => ({ part, value: (counts[part] * 100) / total }));
  let given = 0;
  for (const { part, value } of exact) {
    result[part] = Math.floor(value);
    given += result[part];
  }
  const byRemainder = [...exact].sort((a, b) => b.value - Math.floor(b.value) - (a.value - Math.floor(a.value)));
  for (let i = 0; given < 100 && i < byRemainder.length; i++, given++) {
    const part = byRemainder[i]?.part;
    if (part !== undefined) result[part]++;
  }
  for (const part of SHARE_PARTS) {
    if (counts[part] > 0 && result[part] === 0) {
      const largest = SHARE_PARTS.reduce((a, b) => (result[a] >= result[b] ? a : b));
      result[largest]--;
      result[part] = 1;
    }
  }
  return result;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Bytes in SI units with three significant digits: 950 B, 12.3 kB, 4.56 MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? ''}`;
}
