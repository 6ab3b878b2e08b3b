/**
 * "IPv6 available, not used" (the Happy Eyeballs case): which domains to ask a resolver about
 * (Firefox's own, or the user's DNS-over-HTTPS resolver on Chrome), and what its answer means.
 * Asking is the background's job; this decides.
 */
import { parseAddress } from './address';
import type { Describer } from './addressClass';
import type { DomainRecord, PageView } from '../tab/model';
import { pageProxyOf, settingsMayProxy, type ProxyContext } from '../proxy/pageProxy';

/** An IP literal host ("192.0.2.1", "[2001:db8::1]") has nothing to look up (the extension's DNS check and the audit's). */
export function isAddressLiteral(domain: string): boolean {
  return domain.startsWith('[') || parseAddress(domain).ok;
}

/**
 * Whether every network answer of the domain came over IPv4. An address in a NAT64 prefix is an
 * IPv4 server, but the browser reached it over IPv6: not a domain to ask about.
 */
export function reachedOnlyOverIpv4(record: DomainRecord, describe: Describer): boolean {
  let network = 0;
  for (const [address, stat] of Object.entries(record.addresses)) {
    if (stat.responses <= stat.cached) continue;
    const info = describe(address);
    if (info === undefined || info.family !== 4 || info.nat64Prefix !== undefined) return false;
    network++;
  }
  return network > 0;
}

/**
 * What a look-up gave: the resolver's addresses for the name (an answer with no IPv6 among them
 * is evidence of none), or a failure (error, timeout, an answer refused), which is no evidence.
 */
export type DnsLookup = { kind: 'answer'; addresses: string[] } | { kind: 'failed'; reason: string };

/**
 * Some answer of the domain came through a proxy the browser reported (Firefox): the browser may
 * not have resolved the name itself (SOCKS with proxy-side DNS, an HTTP proxy), and the address is
 * the proxy's, so a look-up would send a name the user routed past their DNS, for no evidence.
 */
export function answeredThroughProxy(record: DomainRecord): boolean {
  for (const canonical in record.addresses) if (record.addresses[canonical]?.proxy !== undefined) return true;
  return false;
}

/**
 * Under proxy settings (Chrome, read with the user's permission), whether the page's names may be
 * a proxy's: confirmed as proxied, or every answer so far from one address (a suspicion may yet
 * form as more hosts answer). Only a page answered from two addresses or more is no one proxy's.
 */
function mayBeProxied(view: PageView, describe: Describer, context: ProxyContext | undefined): boolean {
  if (context === undefined || !settingsMayProxy(context.settings)) return false;
  if (pageProxyOf(view, describe, context)?.kind === 'settings') return true;
  let first: string | undefined;
  for (const record of view.domains.values()) {
    const from = record.networkAddress ?? record.primary;
    if (from === undefined) continue;
    if (first === undefined) first = from;
    else if (from !== first) return false;
  }
  return true;
}

/**
 * Domains of a page view to ask about: reached over IPv4 only, never through a proxy, and not
 * asked in this view yet (a failed look-up was asked: it is not repeated in the view). With
 * `proxyContext` (Chrome's settings), none of a page its settings confirm as proxied, nor of one
 * that may still turn out to be; a page only suspected (no settings read) is asked as any other.
 */
export function domainsToCheck(view: PageView, describe: Describer, proxyContext?: ProxyContext): string[] {
  if (mayBeProxied(view, describe, proxyContext)) return [];
  const domains: string[] = [];
  for (const record of view.domains.values()) {
    if (record.dnsIpv6 !== undefined || record.dnsLookupFailed !== undefined || isAddressLiteral(record.domain)) continue;
    if (!answeredThroughProxy(record) && reachedOnlyOverIpv4(record, describe)) domains.push(record.domain);
  }
  return domains;
}

/**
 * The IPv6 addresses in a resolver's answer, canonical, distinct and sorted. IPv4-mapped and
 * NAT64 addresses (which DNS64 makes up for IPv4-only names) are IPv4 servers: left out.
 */
export function ipv6In(addresses: readonly string[], describe: Describer): string[] {
  const found = new Set<string>();
  for (const text of addresses) {
    const info = describe(text);
    if (info?.family === 6) found.add(info.canonical);
  }
  return [...found].sort();
}
