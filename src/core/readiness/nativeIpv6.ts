/**
 * When this browser reached a host over native IPv6 (not NAT64, not through a proxy) from a
 * normal tab: the evidence that tells a host's fallback to IPv4 (IPv6 worked here that minute)
 * from a network with no IPv6 at all. Bounded: the first and last such answer of each calendar
 * minute, for the newest NATIVE_IPV6_MINUTES minutes that had one, and since when it has been
 * watching. Stored in session storage with the tabs (core/session/persisted.ts), so a worker
 * restart keeps it; a new browser session starts empty and watches anew.
 */

/** [first, last] native IPv6 answer (ms) within one calendar minute; oldest minute first. */
export type NativeIpv6Minute = [first: number, last: number];

export interface NativeIpv6Seen {
  minutes: NativeIpv6Minute[];
  /** The first normal tab's network answer (of any family) noted: nothing before it was watched. */
  since?: number;
  /**
   * The newest answer through a NAT64 prefix (ipv6Health.ts). Kept in memory only, not in the
   * stored form: after a worker restart the NAT64 line waits for the next such answer.
   */
  nat64?: { at: number; prefix: string };
}

/** Minutes kept: an hour of activity, so a page left open an hour still has its evidence. */
export const NATIVE_IPV6_MINUTES = 64;
const MINUTE = 60_000;

export function newNativeIpv6Seen(): NativeIpv6Seen {
  return { minutes: [] };
}

/** Notes a normal tab's network answer of any family: the evidence has been watching since the first. */
export function noteWatching(seen: NativeIpv6Seen, time: number): boolean {
  if (seen.since !== undefined && time >= seen.since) return false;
  seen.since = time;
  return true;
}

/** Notes a native IPv6 network answer at `time`. Answers arrive nearly in order; a late one widens its minute. */
export function noteNativeIpv6(seen: NativeIpv6Seen, time: number): boolean {
  const minute = Math.floor(time / MINUTE);
  const last = seen.minutes[seen.minutes.length - 1];
  if (last !== undefined && Math.floor(last[0] / MINUTE) === minute) {
    if (time >= last[0] && time <= last[1]) return false;
    if (time < last[0]) last[0] = time;
    if (time > last[1]) last[1] = time;
    return true;
  }
  // An answer older than the newest minute (out of order) is dropped: the evidence only grows newer.
  if (last !== undefined && time < last[0]) return false;
  seen.minutes.push([time, time]);
  if (seen.minutes.length > NATIVE_IPV6_MINUTES) seen.minutes.splice(0, seen.minutes.length - NATIVE_IPV6_MINUTES);
  return true;
}

/** As stored (session storage): `[since, [first, last], …]` as JSON text. */
export function encodeNativeIpv6(seen: NativeIpv6Seen): string {
  return JSON.stringify([seen.since ?? null, ...seen.minutes]);
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** The stored evidence back, or undefined for anything not written by encodeNativeIpv6 (too many minutes, out of order, not times). */
export function decodeNativeIpv6(stored: unknown): NativeIpv6Seen | undefined {
  if (typeof stored !== 'string' || stored.length > 64 * (NATIVE_IPV6_MINUTES + 1)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > NATIVE_IPV6_MINUTES + 1) return undefined;
  const [since, ...rest] = parsed as unknown[];
  if (since !== null && !isTime(since)) return undefined;
  const minutes: NativeIpv6Minute[] = [];
  for (const pair of rest) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [first, last] = pair as unknown[];
    if (!isTime(first) || !isTime(last) || last < first || last - first >= MINUTE) return undefined;
    const previous = minutes[minutes.length - 1];
    if (previous !== undefined && first <= previous[1]) return undefined;
    minutes.push([first, last]);
  }
  return since === null ? { minutes } : { minutes, since };
}

/**
 * Whether a native IPv6 answer came within [from, to], a range of a minute or more. Exact with
 * the first and last of each minute: an answer inside lies between its minute's first and last;
 * and a minute that overlaps the range has its first or last inside it, since it spans less than
 * a minute and cannot straddle the whole range.
 */
export function nativeIpv6Within(seen: NativeIpv6Seen, from: number, to: number): boolean {
  return seen.minutes.some(([first, last]) => last >= from && first <= to);
}

/** Whether the evidence covers everything from `time` on: it was watching then, and nothing since was let go for lack of room. */
export function nativeIpv6CoversSince(seen: NativeIpv6Seen, time: number): boolean {
  if (seen.since === undefined || seen.since > time) return false;
  const oldest = seen.minutes[0];
  return seen.minutes.length < NATIVE_IPV6_MINUTES || oldest === undefined || oldest[0] <= time;
}
