/**
 * Would this page work on an IPv6-only network? Each host's readiness comes from evidence only
 * (the addresses that answered, the DNS check, an address literal in the URL), never guessed; the
 * page's verdicts and scores come from its hosts. The score is computed as SAP's webres6 computes
 * it, so that figures compare: requests to ready hosts over all answered requests, 0 when the
 * page's own host is not ready.
 */
import { parseAddress } from '../address/address';
import { createDescriber, type Describer } from '../address/addressClass';
import { answeredThroughProxy } from '../address/dnsCheck';
import type { DomainRecord } from '../tab/model';
import type { HostReason } from './reason';

/**
 * - `ipv6`: answered over native IPv6 (not NAT64, not IPv4-mapped), or an IPv6 literal: proven;
 * - `published`: answered over IPv4 (or through NAT64), but DNS has AAAA records for it;
 * - `ipv4-only`: answered over IPv4 and DNS has no AAAA records for it;
 * - `unknown`: answered over IPv4 and no DNS evidence (not asked, or the look-up failed);
 * - `ipv4-literal`: the URL's host is an IPv4 address, which no IPv6-only client can reach.
 */
export type Readiness = 'ipv6' | 'published' | 'ipv4-only' | 'unknown' | 'ipv4-literal';
export const READINESS_VALUES: readonly Readiness[] = ['ipv6', 'published', 'ipv4-only', 'unknown', 'ipv4-literal'];

export type Verdict = 'ready' | 'not-ready' | 'unknown';

/** One host of a page with its readiness and its answered requests (requests never answered do not count). */
export interface HostReadiness {
  domain: string;
  readiness: Readiness;
  requests: number;
  /** Answered through a proxy: its address proves nothing, and the DNS check never asks about it. Absent otherwise. */
  proxied?: true;
  /** Why it was not answered over native IPv6 (reason.ts); absent for an IPv6 host or where not worked out. */
  reason?: HostReason;
}

export interface PageReadiness {
  /** On a true IPv6-only network. */
  verdict: Verdict;
  /** On an IPv6-only network with NAT64/DNS64: only IPv4 literals fail there. */
  verdictNat64: Verdict;
  /** Integer percent (rounded down, so 100 means every request): `ipv6` hosts' requests over all answered; 0 when the main host is not `ipv6`. */
  score: number;
  /** The same with `published` hosts counted as ready (0 when the main host is neither). */
  scoreWithPublished: number;
  /** Hosts with answered requests that are not proven `ipv6`: literals, then ipv4-only, unknown, published; most requests first. */
  hosts: HostReadiness[];
  /** Hosts with at least one answered request, and their answered requests. */
  answeredHosts: number;
  answeredRequests: number;
}

/** Order of the blocking-hosts list: what breaks both kinds of network first, what is probably fine last. */
const LIST_ORDER: Record<Readiness, number> = { 'ipv4-literal': 0, 'ipv4-only': 1, unknown: 2, published: 3, ipv6: 4 };

const readyStrict = (readiness: Readiness): boolean => readiness === 'ipv6';
const readyWithPublished = (readiness: Readiness): boolean => readiness === 'ipv6' || readiness === 'published';

export function isReadiness(value: unknown): value is Readiness {
  return typeof value === 'string' && (READINESS_VALUES as readonly string[]).includes(value);
}

/** DNS evidence for a host answered over IPv4: only changes 'unknown' (aaaa → published, none → ipv4-only, failed → unknown). */
export function withDnsAnswer(readiness: Readiness, dns: 'aaaa' | 'none' | 'failed'): Readiness {
  if (readiness !== 'unknown') return readiness;
  return dns === 'aaaa' ? 'published' : dns === 'none' ? 'ipv4-only' : 'unknown';
}

/**
 * An address literal host, by the family of the server it names: "[2001:db8::1]" → 6,
 * "192.0.2.1" → 4, and an IPv4-mapped or NAT64 literal ("[::ffff:192.0.2.1]") → 4 as well, since
 * it names an IPv4 server. Undefined for a name.
 */
function literalFamily(domain: string, describe: Describer): 4 | 6 | undefined {
  // Runs for every domain at each tooltip update: a name (no leading digit or "[") is not parsed.
  if (!/^[[0-9]/.test(domain) || !parseAddress(domain).ok) return undefined;
  const bare = domain.startsWith('[') && domain.endsWith(']') ? domain.slice(1, -1) : domain;
  return describe(bare)?.family;
}

/** The DNS check's answer for the domain, if it has one. */
function dnsEvidence(record: DomainRecord): 'aaaa' | 'none' | 'failed' | undefined {
  if (record.dnsIpv6 !== undefined) return record.dnsIpv6.length > 0 ? 'aaaa' : 'none';
  return record.dnsLookupFailed === true ? 'failed' : undefined;
}

/** Classifies a literal host when no describer with the prefixes in force is at hand (the history). */
const defaultDescriber = createDescriber();

/**
 * A domain's readiness from what this page view saw of it. Any answer from a native IPv6 address
 * proves it (a host with several addresses of both families included). Each address's family is
 * the server's, kept up to date with the NAT64 prefixes in force (model.ts): NAT64 and
 * IPv4-mapped addresses are 4. `describe` classifies an IPv6 literal host.
 */
export function domainReadiness(record: DomainRecord, describe: Describer = defaultDescriber, allProxied = false): Readiness {
  const literal = literalFamily(record.domain, describe);
  if (literal !== undefined) return literal === 6 ? 'ipv6' : 'ipv4-literal';
  // A proxy's address proves nothing of the server: a proxied answer has no family (model.ts),
  // and with a proxy confirmed for the whole page no address counts. DNS evidence still does.
  // for…in rather than Object.values: no array per call (the toolbar's title reads every domain at each batch).
  if (!allProxied) {
    for (const canonical in record.addresses) {
      const stat = record.addresses[canonical];
      if (stat !== undefined && stat.responses > 0 && stat.family === 6) return 'ipv6';
    }
  }
  const dns = dnsEvidence(record);
  return dns === undefined ? 'unknown' : withDnsAnswer('unknown', dns);
}

/** A domain as one host of the page: its readiness and its answered requests (responses). */
export function hostReadinessOf(record: DomainRecord, describe?: Describer, allProxied = false): HostReadiness {
  const host: HostReadiness = { domain: record.domain, readiness: domainReadiness(record, describe, allProxied), requests: record.responses };
  if (allProxied || answeredThroughProxy(record)) host.proxied = true;
  return host;
}

function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.floor((part * 100) / whole);
}

/** The verdicts, scores and non-ready hosts of a page from its hosts (hosts with no answered request are left out). */
export function pageReadiness(hosts: readonly HostReadiness[], mainDomain: string | undefined): PageReadiness {
  const answered = hosts.filter((host) => host.requests > 0);
  const answeredRequests = answered.reduce((sum, host) => sum + host.requests, 0);
  const main = mainDomain === undefined ? undefined : hosts.find((host) => host.domain === mainDomain);
  const requestsWhere = (ready: (readiness: Readiness) => boolean): number =>
    answered.reduce((sum, host) => sum + (ready(host.readiness) ? host.requests : 0), 0);
  const scoreBy = (ready: (readiness: Readiness) => boolean): number =>
    main !== undefined && ready(main.readiness) ? percentOf(requestsWhere(ready), answeredRequests) : 0;

  const has = (readiness: Readiness): boolean => answered.some((host) => host.readiness === readiness);
  let verdict: Verdict = 'ready';
  if (answered.length === 0) verdict = 'unknown';
  else if (has('ipv4-literal') || has('ipv4-only')) verdict = 'not-ready';
  else if (has('unknown')) verdict = 'unknown';
  const verdictNat64: Verdict = answered.length === 0 ? 'unknown' : has('ipv4-literal') ? 'not-ready' : 'ready';

  const listed = answered
    .filter((host) => host.readiness !== 'ipv6')
    .sort((a, b) => LIST_ORDER[a.readiness] - LIST_ORDER[b.readiness] || b.requests - a.requests || (a.domain < b.domain ? -1 : 1))
    .map((host) => ({ ...host }));
  return {
    verdict,
    verdictNat64,
    score: scoreBy(readyStrict),
    scoreWithPublished: scoreBy(readyWithPublished),
    hosts: listed,
    answeredHosts: answered.length,
    answeredRequests,
  };
}
