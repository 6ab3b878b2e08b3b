import { describe, expect, it } from 'vitest';
import { bucketOf, isRing, newRing, ringAdd, ringCount, ringSum, ringWindow } from '../../src/core/live/ring';

describe('bucketOf', () => {
  it.each<[number, number, number]>([
    [0, 10, 0],
    [9, 10, 0],
    [10, 10, 1],
    [19_999, 10_000, 1],
    [20_000, 10_000, 2],
    [1_795_440_439_999, 10_000, 179_544_043],
  ])('time %d in buckets of %d → %d', (time, length, bucket) => {
    expect(bucketOf(time, length)).toBe(bucket);
  });
});

describe('ringAdd and ringCount', () => {
  it('counts into the bucket and series given', () => {
    const ring = newRing(2, 4);
    ringAdd(ring, 100, 0);
    ringAdd(ring, 100, 0);
    ringAdd(ring, 100, 1, 5);
    expect([ringCount(ring, 0, 100), ringCount(ring, 1, 100)]).toEqual([2, 5]);
    expect(ring.head).toBe(100);
  });

  it('rolls over: a new bucket empties the slot it reuses, in every series', () => {
    const ring = newRing(2, 4);
    for (let b = 100; b < 104; b++) {
      ringAdd(ring, b, 0, b);
      ringAdd(ring, b, 1, 1);
    }
    ringAdd(ring, 104, 0); // reuses bucket 100's slot
    expect(ringWindow(ring, 0, 104, 5)).toEqual([0, 101, 102, 103, 1]);
    expect(ringWindow(ring, 1, 104, 5)).toEqual([0, 1, 1, 1, 0]);
  });

  it('a jump longer than the ring empties it all, and only once around', () => {
    const ring = newRing(1, 4);
    for (let b = 0; b < 4; b++) ringAdd(ring, b, 0, 7);
    ringAdd(ring, 1_000_000, 0);
    expect(ring.counts[0]?.filter((n) => n !== 0)).toEqual([1]);
    expect(ringWindow(ring, 0, 1_000_000, 4)).toEqual([0, 0, 0, 1]);
  });

  it('skipped buckets read as zero, not as what the slot held a lap ago', () => {
    const ring = newRing(1, 4);
    ringAdd(ring, 10, 0, 3);
    ringAdd(ring, 11, 0, 3);
    ringAdd(ring, 13, 0, 1); // 12 skipped
    expect(ringWindow(ring, 0, 13, 4)).toEqual([3, 3, 0, 1]);
  });

  it.each<[string, number, boolean, number[]]>([
    ['a late event within the ring', 12, true, [0, 1, 1, 1]],
    ['an event as old as the ring allows', 10, false, [0, 1, 0, 1]],
    ['an event older than the ring', 5, false, [0, 1, 0, 1]],
  ])('%s (bucket %d) is counted: %s', (_name, bucket, counted, window) => {
    const ring = newRing(1, 3);
    ringAdd(ring, 11, 0);
    ringAdd(ring, 13, 0);
    expect(ringAdd(ring, bucket, 0)).toBe(counted);
    expect(ringWindow(ring, 0, 13, 4)).toEqual(window);
    expect(ring.head).toBe(13);
  });

  it('refuses nonsense without throwing', () => {
    const ring = newRing(1, 3);
    expect(ringAdd(ring, Number.NaN, 0)).toBe(false);
    expect(ringAdd(ring, -1, 0)).toBe(false);
    expect(ringAdd(ring, 5, 3)).toBe(false);
    expect(ring.head).toBe(-1);
  });

  it('reads zero ahead of the head and for an empty ring', () => {
    const ring = newRing(1, 3);
    expect(ringCount(ring, 0, 0)).toBe(0);
    ringAdd(ring, 5, 0);
    expect(ringCount(ring, 0, 6)).toBe(0);
    expect(ringSum(ring, 0, 0, 100)).toBe(1);
  });

  it('stays the same size however long it runs', () => {
    const ring = newRing(4, 360);
    const size = JSON.stringify(ring).length;
    for (let b = 0; b < 100_000; b += 7) ringAdd(ring, b, b % 4);
    expect(ring.counts.map((row) => row.length)).toEqual([360, 360, 360, 360]);
    expect(JSON.stringify(ring).length).toBeLessThan(size * 2);
  });
});

describe('isRing', () => {
  it.each<[string, unknown, boolean]>([
    ['a ring of the shape', newRing(2, 3), true],
    ['the wrong number of series', newRing(1, 3), false],
    ['the wrong number of slots', newRing(2, 4), false],
    ['a non-number count', { head: 1, counts: [[0, 0, 'x'], [0, 0, 0]] }, false],
    ['no head', { counts: [[0, 0, 0], [0, 0, 0]] }, false],
    ['null', null, false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isRing(value, 2, 3)).toBe(expected);
  });
});
