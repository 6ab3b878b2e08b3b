/**
 * Building blocks of the compact session encoding (sessionCodec.ts, liveCodec.ts): times as exact deltas,
 * bucket rings as their non-zero counts, and strict readers. Encoders throw `Unencodable` for a
 * value they cannot put compactly (the caller then writes the full record); readers throw
 * `Malformed`, which the codec's decoders catch, so a decoder as a whole never throws.
 */
import type { Family } from '../address/address';
import type { BucketRing } from '../live/ring';

export class Unencodable extends Error {}
export class Malformed extends Error {}

/** Drops trailing zeros: a positional array leaves its defaults (0) out at the end. */
export function trimmed<T extends unknown[]>(values: T): T {
  let length = values.length;
  while (length > 0 && values[length - 1] === 0) length--;
  values.length = length;
  return values;
}

/**
 * A time as whole microseconds. Chrome's event times are microseconds / 1000 as a double, so
 * this is exact for them (and for whole milliseconds); anything else cannot be put compactly.
 */
export function micros(time: number): number {
  const us = Math.round(time * 1000);
  if (!Number.isSafeInteger(us) || us / 1000 !== time) throw new Unencodable('time');
  return us;
}

/** The integer a stored delta is relative to: any finite time gives one, the same on both sides. */
export function baseMicros(time: number): number {
  const us = Math.round(time * 1000);
  if (!Number.isSafeInteger(us)) throw new Unencodable('base');
  return us;
}

/** `us` relative to `baseUs`, in milliseconds (with the microseconds as decimals): short and exact. */
export function delta(us: number, baseUs: number): number {
  const ms = (us - baseUs) / 1000;
  if (Math.round(ms * 1000) !== us - baseUs) throw new Unencodable('delta');
  return ms;
}

export function readMicros(value: unknown, baseUs: number): number {
  const us = baseUs + Math.round(readNumber(value) * 1000);
  if (!Number.isSafeInteger(us)) throw new Malformed('time');
  return us;
}

export function readNumber(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed('number');
  return value;
}

/**
 * A count (requests, bytes, a ring's bucket): a whole number, not negative. Not bounded above: a
 * sum of declared sizes may pass 2^53, and no count is a loop's bound (those are range-checked
 * where they are read).
 */
export function readCount(value: unknown): number {
  const count = readNumber(value);
  if (!Number.isInteger(count) || count < 0) throw new Malformed('count');
  return count;
}

export function readString(value: unknown): string {
  if (typeof value !== 'string') throw new Malformed('string');
  return value;
}

/** A string, or undefined for the default 0. */
export function readOptionalString(value: unknown): string | undefined {
  return value === 0 || value === undefined ? undefined : readString(value);
}

export function readArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Malformed('array');
  return value;
}

export function readStrings(value: unknown): string[] {
  return readArray(value).map(readString);
}

/**
 * A ring as [head − headBase, one list per series of the counts from the head backwards]; a list
 * ends at its last non-zero count, an empty series is 0, and a ring never counted is 0.
 */
export function encodeRing(ring: BucketRing, headBase: number): unknown {
  const slots = ring.counts[0]?.length ?? 0;
  if (ring.head === -1) {
    if (ring.counts.some((row) => row.some((count) => count !== 0))) throw new Unencodable('ring');
    return 0;
  }
  if (!Number.isSafeInteger(ring.head) || ring.head < 0 || slots === 0) throw new Unencodable('ring');
  const encoded: unknown[] = [ring.head - headBase];
  const slotOfAge = (age: number): number => (((ring.head - age) % slots) + slots) % slots;
  for (const row of ring.counts) {
    if (row.length !== slots) throw new Unencodable('ring');
    // Only as long as the oldest non-zero count: a 360-slot timeline is written at every turn of
    // a stream, and building all its slots to trim them made a sixth of the worker's garbage.
    let length = 0;
    for (let age = 0; age < slots; age++) if ((row[slotOfAge(age)] ?? 0) !== 0) length = age + 1;
    if (length === 0) {
      encoded.push(0);
      continue;
    }
    const list = new Array<number>(length);
    for (let age = 0; age < length; age++) list[age] = row[slotOfAge(age)] ?? 0;
    encoded.push(list);
  }
  return trimmed(encoded);
}

export function decodeRing(value: unknown, headBase: number, series: number, slots: number): BucketRing {
  const ring: BucketRing = { head: -1, counts: Array.from({ length: series }, () => new Array<number>(slots).fill(0)) };
  if (value === 0) return ring;
  const [headDelta, ...rows] = readArray(value);
  const head = headBase + readNumber(headDelta);
  if (!Number.isSafeInteger(head) || head < 0 || rows.length > series) throw new Malformed('ring');
  ring.head = head;
  rows.forEach((row, index) => {
    if (row === 0) return;
    const counts = readArray(row);
    const target = ring.counts[index];
    if (counts.length > slots || target === undefined) throw new Malformed('ring');
    counts.forEach((count, age) => (target[(((head - age) % slots) + slots) % slots] = readCount(count)));
  });
  return ring;
}

/** JSON text back to data; undefined for anything else (bad text, or a value IPvLens did not write). */
function parsed(stored: unknown): unknown {
  if (typeof stored !== 'string') return undefined;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return undefined;
  }
}

/** Runs a compact decoder on an array value, the legacy one on anything else; never throws. */
export function decodeWith<T>(stored: unknown, compact: (value: unknown[]) => T, legacy: (value: unknown) => T | undefined): T | undefined {
  try {
    const value = parsed(stored);
    return Array.isArray(value) ? compact(value) : legacy(value);
  } catch {
    return undefined;
  }
}

/** Runs an encoder; the full object as JSON when it cannot be put compactly. */
export function encodeWith<T>(value: T, compact: (value: T) => unknown[]): string {
  try {
    return JSON.stringify(compact(value));
  } catch {
    return JSON.stringify(value);
  }
}

export const familyCode = (family: Family | undefined): number => family ?? 0;

export function readFamily(value: unknown): Family | undefined {
  if (value === 4 || value === 6) return value;
  if (value === 0 || value === undefined) return undefined;
  throw new Malformed('family');
}
