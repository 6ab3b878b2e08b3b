/**
 * Counts per time bucket in a fixed number of slots: a tab that has run for hours costs what one
 * that ran for minutes does. Bucket n covers [n·length, (n+1)·length) of the clock; the ring
 * holds the newest `slots` buckets, bucket n in slot n % slots, one row of slots per series.
 */
export interface BucketRing {
  /** Newest bucket written (an absolute bucket number); -1 while nothing was counted. */
  head: number;
  /** counts[series][slot]. */
  counts: number[][];
}

export function newRing(series: number, slots: number): BucketRing {
  return { head: -1, counts: Array.from({ length: series }, () => new Array<number>(slots).fill(0)) };
}

export function bucketOf(time: number, bucketMs: number): number {
  return Math.floor(time / bucketMs);
}

function slotCount(ring: BucketRing): number {
  return ring.counts[0]?.length ?? 0;
}

/**
 * Adds to a bucket's count. Moving the head forward empties the slots it passes (at most all of
 * them, so a long quiet spell costs no more than one lap). Returns false for a bucket older than
 * the ring holds, which is left uncounted.
 */
export function ringAdd(ring: BucketRing, bucket: number, series: number, amount = 1): boolean {
  const slots = slotCount(ring);
  const row = ring.counts[series];
  if (row === undefined || slots === 0 || !Number.isFinite(bucket) || bucket < 0) return false;
  if (bucket > ring.head) {
    for (let b = Math.max(ring.head + 1, bucket - slots + 1); b <= bucket; b++) {
      for (const counts of ring.counts) counts[b % slots] = 0;
    }
    ring.head = bucket;
  } else if (bucket <= ring.head - slots) {
    return false;
  }
  row[bucket % slots] = (row[bucket % slots] ?? 0) + amount;
  return true;
}

/** The count of one bucket: 0 for buckets never written, ahead of the head or fallen off the ring. */
export function ringCount(ring: BucketRing, series: number, bucket: number): number {
  const slots = slotCount(ring);
  if (bucket > ring.head || bucket <= ring.head - slots || bucket < 0) return 0;
  return ring.counts[series]?.[bucket % slots] ?? 0;
}

/** Counts of `length` consecutive buckets ending with `lastBucket`, oldest first. */
export function ringWindow(ring: BucketRing, series: number, lastBucket: number, length: number): number[] {
  const values = new Array<number>(length);
  for (let i = 0; i < length; i++) values[i] = ringCount(ring, series, lastBucket - length + 1 + i);
  return values;
}

/** Sum over buckets `first`…`last` inclusive. */
export function ringSum(ring: BucketRing, series: number, first: number, last: number): number {
  let sum = 0;
  for (let b = first; b <= last; b++) sum += ringCount(ring, series, b);
  return sum;
}

/** Whether stored data is a ring of this shape (restoring never trusts storage). */
export function isRing(value: unknown, series: number, slots: number): value is BucketRing {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<BucketRing>;
  return (
    // A head or a count out of range would index slots that are not there, or stop the ring for good.
    (v.head === -1 || (Number.isSafeInteger(v.head) && (v.head as number) >= 0)) &&
    Array.isArray(v.counts) &&
    v.counts.length === series &&
    v.counts.every((row) => Array.isArray(row) && row.length === slots && row.every((n) => Number.isInteger(n) && (n) >= 0))
  );
}
