/**
 * Why IPv4? A reason for each host answered over IPv4 or through NAT64, from evidence only:
 * an address literal, a proxy the browser (or its settings) confirmed, a NAT64 address, the DNS
 * check's answer, and when this browser last reached a host over native IPv6 (nativeIpv6.ts).
 *
 * Precedence, when several apply: literal > proxy > nat64 > the DNS-based reasons. A literal
 * names its server whatever the path; a proxy's address hides the path, so neither the family
 * nor a look-up says anything of the server; a NAT64 address proves the answer came over IPv6 to
 * an IPv4 server; only then does DNS decide between no-aaaa, fallback and no-ipv6-here.
 */
import type { Describer } from '../address/addressClass';
import type { DomainRecord } from '../tab/model';
import { nativeIpv6CoversSince, nativeIpv6Within, type NativeIpv6Seen } from './nativeIpv6';
import type { Readiness } from './readiness';

export type HostReason = 'no-aaaa' | 'fallback' | 'no-ipv6-here' | 'nat64' | 'literal' | 'proxy' | 'unknown';
export const HOST_REASONS: readonly HostReason[] = ['no-aaaa', 'fallback', 'no-ipv6-here', 'nat64', 'literal', 'proxy', 'unknown'];

/** "The same minute": a native IPv6 answer this close to the host's IPv4 answer, either side, proves IPv6 worked here then. */
export const FALLBACK_WINDOW_MS = 60_000;
/** No native IPv6 answer in this long before the host's IPv4 answer (all of it watched): the network has none. */
export const NO_IPV6_WINDOW_MS = 10 * 60_000;

export function isHostReason(value: unknown): value is HostReason {
  return typeof value === 'string' && (HOST_REASONS as readonly string[]).includes(value);
}

/** The newest network (not cached) answer of the domain over IPv4 or NAT64; its newest answer of any kind when none. */
function lastIpv4AnswerAt(record: DomainRecord): number {
  let newest: number | undefined;
  for (const canonical in record.addresses) {
    const stat = record.addresses[canonical];
    if (stat === undefined || stat.family !== 4 || stat.responses <= stat.cached) continue;
    if (newest === undefined || stat.lastSeen > newest) newest = stat.lastSeen;
  }
  return newest ?? record.lastSeen;
}

function answeredThroughNat64(record: DomainRecord, describe: Describer): boolean {
  for (const canonical in record.addresses) {
    const stat = record.addresses[canonical];
    if (stat !== undefined && stat.responses > 0 && stat.proxy === undefined && describe(canonical)?.nat64Prefix !== undefined) return true;
  }
  return false;
}

export interface ReasonEvidence {
  readiness: Readiness;
  /** A proxy the browser reported, or the page's settings confirm: a suspicion is not evidence. */
  proxied: boolean;
  /** When this browser reached IPv6 natively; undefined: not known (a published host's reason is then unknown). */
  nativeIpv6: NativeIpv6Seen | undefined;
}

/**
 * Why the host was not answered over native IPv6; undefined when it was (or never answered).
 * `unknown` when the evidence does not say: no DNS answer yet, or (AAAA published) this browser
 * reached IPv6 lately but not within a minute of this host's answer, or the ten minutes before
 * it were not all watched (the browser session started since, or their evidence was let go).
 */
export function reasonForHost(record: DomainRecord, describe: Describer, evidence: ReasonEvidence): HostReason | undefined {
  if (record.responses === 0) return undefined;
  const { readiness } = evidence;
  if (readiness === 'ipv4-literal') return 'literal';
  if (readiness === 'ipv6') return undefined;
  if (evidence.proxied) return 'proxy';
  if (answeredThroughNat64(record, describe)) return 'nat64';
  if (readiness === 'ipv4-only') return 'no-aaaa';
  if (readiness !== 'published') return 'unknown';
  const seen = evidence.nativeIpv6;
  if (seen === undefined) return 'unknown';
  const at = lastIpv4AnswerAt(record);
  if (nativeIpv6Within(seen, at - FALLBACK_WINDOW_MS, at + FALLBACK_WINDOW_MS)) return 'fallback';
  const since = at - NO_IPV6_WINDOW_MS;
  if (!nativeIpv6CoversSince(seen, since)) return 'unknown';
  return nativeIpv6Within(seen, since, at + FALLBACK_WINDOW_MS) ? 'unknown' : 'no-ipv6-here';
}
