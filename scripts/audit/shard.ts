/**
 * A deterministic share of the list: each entry goes to the shard its normalised URL hashes to,
 * so N machines given the same list and K = 1..N audit every entry exactly once, whatever the
 * list's order, and a re-run lands every URL on the same shard.
 */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** SHA-256 of the text, as hex: stable across machines and Node versions. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** 1-based shard of a key (the normalised URL, or a malformed line's text). */
export function shardOf(key: string, count: number): number {
  return (Number.parseInt(digest(key).slice(0, 12), 16) % count) + 1;
}

export function inShard(key: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(key, shard.count) === shard.index;
}
