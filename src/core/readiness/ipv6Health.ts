/**
 * This browser's IPv6 health, one line in the popup header and the report: from what normal tabs
 * really did (nativeIpv6.ts; no private tab, no request of IPvLens's own), never from a probe.
 *
 * Precedence: proxy > works > nat64 > none-seen.
 * - `proxy`: the page's answers came through a confirmed proxy (reported by the browser, or
 *   suspected and confirmed by its settings): the addresses are the proxy's, so nothing about this
 *   network can be said, whatever other tabs saw;
 * - `works`: a native IPv6 answer (not NAT64, not through a proxy) within the last 10 minutes;
 * - `nat64`: none native in that window, but an answer through a NAT64 prefix in it;
 * - `none-seen`: neither (including a browser that has not watched 10 minutes yet: "yet").
 */
import type { PageProxy } from '../proxy/pageProxy';
import type { NativeIpv6Seen } from './nativeIpv6';

export type Ipv6Health = { kind: 'works'; lastNativeAt: number } | { kind: 'none-seen' } | { kind: 'nat64'; prefix: string } | { kind: 'proxy' };
export type Ipv6HealthKind = Ipv6Health['kind'];
export const IPV6_HEALTH_KINDS: readonly Ipv6HealthKind[] = ['works', 'none-seen', 'nat64', 'proxy'];

/** How far back an answer still says something about the network now (a laptop changes networks). */
export const HEALTH_WINDOW_MS = 10 * 60_000;

/** The newest normal-tab answer through a NAT64 prefix: one time and its prefix, so bounded. */
export interface Nat64Seen {
  at: number;
  /** The prefix as text, "64:ff9b::/96". */
  prefix: string;
}

/** Notes a normal tab's network answer through a NAT64 prefix; false when it changes nothing (an older answer). */
export function noteNat64(seen: NativeIpv6Seen, time: number, prefix: string): boolean {
  const last = seen.nat64;
  if (last !== undefined && (time < last.at || (time === last.at && prefix === last.prefix))) return false;
  seen.nat64 = { at: time, prefix };
  return true;
}

/** A proxy the browser reported or its settings confirm; a suspicion alone is not one. */
export function confirmedProxy(proxy: PageProxy | undefined): boolean {
  return proxy !== undefined && proxy.kind !== 'suspected';
}

export interface HealthEvidence {
  /** This browser's native IPv6 (and NAT64) evidence; undefined when not known. */
  seen: NativeIpv6Seen | undefined;
  /** The page's proxy state (snapshot.proxy). */
  proxy: PageProxy | undefined;
  now: number;
}

export function ipv6HealthOf({ seen, proxy, now }: HealthEvidence): Ipv6Health {
  if (confirmedProxy(proxy)) return { kind: 'proxy' };
  const from = now - HEALTH_WINDOW_MS;
  const newest = seen?.minutes[seen.minutes.length - 1];
  // Minutes are oldest first and their last answers grow: the newest minute holds the last answer.
  if (newest !== undefined && newest[1] >= from) return { kind: 'works', lastNativeAt: newest[1] };
  const nat64 = seen?.nat64;
  if (nat64 !== undefined && nat64.at >= from) return { kind: 'nat64', prefix: nat64.prefix };
  return { kind: 'none-seen' };
}
