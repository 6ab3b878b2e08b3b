/** What the popup shows for a tab, built from the core state: plain, typed, serialisable. */
import type { Family } from '../address/address';
import type { AddressClass, AddressInfo, Describer } from '../address/addressClass';
import type { SwitchEvent } from '../live/live';
import { FLAG_NAMES, Flag, domainFamily, domainProxy, type AddressStat, type DomainRecord, type FlagName, type PageView } from '../tab/model';
import { allAnswersProxied, pageProxyOf, rowProxyMark, type PageProxy, type ProxyContext } from '../proxy/pageProxy';
import type { ProxyType } from '../proxy/reportedProxy';
import type { BucketRing } from '../live/ring';
import type { FamilyCounts } from '../live/share';
import { hostReadinessOf, pageReadiness, type HostReadiness, type PageReadiness, type Readiness } from '../readiness/readiness';
import { reasonForHost, type HostReason } from '../readiness/reason';
import type { NativeIpv6Seen } from '../readiness/nativeIpv6';
import { ipv6HealthOf, type Ipv6Health } from '../readiness/ipv6Health';
import { pageKindOf, type PageKind } from '../tab/url';
import { viewTotals } from './viewTotals';

export interface AddressSnapshot {
  /** Text to show (see AddressInfo.display). */
  address: string;
  /** The address as stored, settings aside: what is copied and looked up. */
  canonical: string;
  /** Undefined for text that is not an address (family unknown). */
  family: Family | undefined;
  /** Undefined when the browser reported text that is not an address ("unparseable"). */
  addressClass: AddressClass | undefined;
  ipv4?: string;
  nat64Prefix?: string;
  teredo?: AddressInfo['teredo'];
  responses: number;
  cached: number;
  /** Cache hits with no address reported, attributed here from memory (see AddressStat); absent when none. */
  remembered?: number;
  bytes: number;
  unsized: number;
  lastSeen: number;
}

export interface DomainSnapshot {
  domain: string;
  isMain: boolean;
  family: Family | undefined;
  /** The primary address (display text), if any response carried one. */
  address: string | undefined;
  /** Class of the primary address; undefined with an address means it was unparseable. */
  addressClass: AddressClass | undefined;
  /** Every address, primary first, then newest first. */
  addresses: AddressSnapshot[];
  requests: number;
  responses: number;
  errors: number;
  /** Requests in flight right now. */
  inflight: number;
  /** Declared body bytes of network responses, and network responses of unknown size. */
  bytes: number;
  unsized: number;
  /** Requests started per 5 s (see requestsInLastMinute): the view counts against its own clock. */
  recent: BucketRing;
  flags: FlagName[];
  httpVersions: string[];
  /** IPv6 addresses DNS has for a domain reached over IPv4 (the optional DNS check); absent when none. */
  ipv6NotUsed?: string[];
  /** The DNS check's look-up failed for a domain reached over IPv4: no evidence either way. */
  dnsLookupFailed?: true;
  /** Would an IPv6-only client reach it (see core/readiness): from evidence only. */
  readiness: Readiness;
  /** Why IPv4 (core/readiness/reason.ts): the row's `data-reason`; absent on a row answered over native IPv6 or not answered. */
  reason?: HostReason;
  /** Its answers came (or may have come) through a proxy: the address is the proxy's. Absent otherwise. */
  proxy?: RowProxy;
  firstSeen: number;
  lastSeen: number;
}

export type { FamilyCounts } from '../live/share';
export type { PageProxy } from '../proxy/pageProxy';

export interface RowProxy {
  /** The row's `data-proxy` (see rowProxyMark): "host:port", "settings" or "suspected". */
  mark: string;
  /** The browser said so, or its settings confirm it: the row's family is then unknown. */
  confirmed: boolean;
  /** What the browser reported of the proxy (Firefox). */
  type?: ProxyType;
  proxyDns?: boolean;
  /** The family of the hop to the proxy (its address's), for a confirmed proxy. */
  hopFamily?: Family;
}

/** An address known in this page view only from memory: every response from it was a cache hit reported without one. */
export function onlyRemembered(address: AddressSnapshot): boolean {
  return address.remembered !== undefined && address.remembered === address.responses;
}

export interface TabSnapshot {
  url: string | undefined;
  mainDomain: string | undefined;
  partial: boolean;
  startedAt: number;
  /** Rows in display order: main domain first, then subdomains under their parents. */
  domains: DomainSnapshot[];
  domainCount: number;
  /** Rows left out of `domains` by a row limit (a quick first answer); 0 in a complete snapshot. */
  omittedRows: number;
  domainsByFamily: FamilyCounts;
  requestsByFamily: FamilyCounts;
  /** Declared body bytes of network responses by the family of the address that sent them. */
  bytesByFamily: FamilyCounts;
  /** Network responses of unknown size, by family. */
  unsizedByFamily: FamilyCounts;
  /** Responses per family and failures per 10 s over the last hour (see timelineWindow). */
  timeline: BucketRing;
  /** Address and family switches, oldest first. */
  switches: SwitchEvent[];
  /** Domains of this page whose state storage refused for lack of space (lost if the worker stops); absent when all are kept. */
  notKept?: number;
  /** The IPv6-only verdicts and scores, over every domain (rows left out included). */
  readiness: PageReadiness;
  /** A proxy answered, or is suspected to have answered (see core/proxy/pageProxy.ts); absent otherwise. */
  proxy?: PageProxy;
  /** This browser's IPv6 health (core/readiness/ipv6Health.ts): the header's `data-ipv6-health`. */
  ipv6Health: Ipv6Health;
}

/** What the background sends a page about a tab: its snapshot, or why there is none. */
export type TabSummary =
  | { tabId: number; state: 'ok'; snapshot: TabSnapshot }
  /** No page view: the tab loaded before IPvLens (a web page), or nothing loadable. */
  | { tabId: number; state: 'not-seen'; pageKind: PageKind; url: string | undefined }
  | { tabId: number; state: 'no-tab' };

/** Sort key that groups subdomains under their parent: "a.cdn.example.com" → "com.example.cdn.a". */
export function domainSortKey(domain: string): string {
  if (domain.startsWith('[')) return `~${domain}`;
  if (/^[0-9.]+$/.test(domain)) return `~${domain}`;
  // NUL sorts before every host character, so "example-cdn.com" cannot land between
  // "example.com" and "a.example.com".
  return domain.split('.').reverse().join('\u0000');
}

function addressRowOf(canonical: string, stat: AddressStat, describe: Describer): AddressSnapshot {
  const info = describe(canonical);
  const row: AddressSnapshot = {
    address: info?.display ?? canonical,
    canonical,
    family: stat.family,
    addressClass: info?.addressClass,
    responses: stat.responses,
    cached: stat.cached,
    bytes: stat.bytes,
    unsized: stat.unsized,
    lastSeen: stat.lastSeen,
  };
  if (stat.remembered !== undefined && stat.remembered > 0) row.remembered = stat.remembered;
  if (info?.ipv4 !== undefined) row.ipv4 = info.ipv4;
  if (info?.nat64Prefix !== undefined) row.nat64Prefix = info.nat64Prefix;
  if (info?.teredo !== undefined) row.teredo = info.teredo;
  return row;
}

function rowProxyOf(record: DomainRecord, page: PageProxy | undefined, describe: Describer): RowProxy | undefined {
  const mark = rowProxyMark(record, page);
  if (mark === undefined) return undefined;
  const reported = domainProxy(record);
  const confirmed = reported !== undefined || allAnswersProxied(page);
  const proxy: RowProxy = { mark, confirmed };
  if (reported !== undefined) {
    proxy.type = reported.type;
    proxy.proxyDns = reported.proxyDns;
  }
  const hop = record.primary === undefined ? undefined : describe(record.primary)?.family;
  if (confirmed && hop !== undefined) proxy.hopFamily = hop;
  return proxy;
}

function rowOf(record: DomainRecord, isMain: boolean, describe: Describer, host: HostReadiness, page?: PageProxy): DomainSnapshot {
  const readiness = host.readiness;
  const addresses: AddressSnapshot[] = Object.entries(record.addresses)
    .map(([canonical, stat]) => addressRowOf(canonical, stat, describe))
    .sort((a, b) => (a.canonical === record.primary ? -1 : b.canonical === record.primary ? 1 : b.lastSeen - a.lastSeen));
  const primary = record.primary === undefined ? undefined : addresses[0];
  const row: DomainSnapshot = {
    domain: record.domain,
    isMain,
    family: domainFamily(record),
    address: primary?.address,
    addressClass: primary?.addressClass,
    addresses,
    requests: record.requests,
    responses: record.responses,
    errors: record.errors,
    inflight: record.inflight.length,
    bytes: record.bytes,
    unsized: record.unsized,
    recent: record.recent,
    flags: FLAG_NAMES.filter((name) => (record.flags & Flag[name]) !== 0),
    httpVersions: record.httpVersions ?? [],
    readiness,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
  };
  const proxy = rowProxyOf(record, page, describe);
  if (proxy !== undefined) {
    row.proxy = proxy;
    // A confirmed proxy's address says nothing of the server: its family is unknown (proxied).
    if (proxy.confirmed) row.family = undefined;
  }
  if (record.dnsIpv6 !== undefined && record.dnsIpv6.length > 0 && row.family === 4) row.ipv6NotUsed = record.dnsIpv6;
  if (record.dnsLookupFailed === true && row.family === 4) row.dnsLookupFailed = true;
  if (host.reason !== undefined) row.reason = host.reason;
  return row;
}

/**
 * The popup's view of a page. With `rowLimit`, only the first rows (in display order) are built:
 * the popup's first answer then costs the worker little however many domains the page has.
 */
export function buildSnapshot(
  view: PageView,
  describe: Describer,
  rowLimit = Infinity,
  notKept = 0,
  proxyContext?: ProxyContext,
  nativeIpv6?: NativeIpv6Seen,
  /** The clock the health line's ten minutes count back from; the caller's, so the core stays pure of it when given. */
  now: number = Date.now(),
): TabSnapshot {
  const proxy = pageProxyOf(view, describe, proxyContext);
  const allProxied = allAnswersProxied(proxy);
  const keyed: { record: DomainRecord; key: string; host: HostReadiness }[] = [];
  for (const record of view.domains.values()) {
    const isMain = record.domain === view.mainDomain;
    // Main domain first ('' sorts first), then by sort key.
    const host = hostReadinessOf(record, describe, allProxied);
    const reason = reasonForHost(record, describe, { readiness: host.readiness, proxied: host.proxied === true, nativeIpv6 });
    if (reason !== undefined) host.reason = reason;
    keyed.push({ record, key: isMain ? '' : `~${domainSortKey(record.domain)}`, host });
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const shown = keyed.length > rowLimit ? keyed.slice(0, Math.max(0, rowLimit)) : keyed;
  const snapshot: TabSnapshot = {
    url: view.url,
    mainDomain: view.mainDomain,
    partial: view.partial,
    startedAt: view.startedAt,
    domains: shown.map(({ record, key, host }) => rowOf(record, key === '', describe, host, proxy)),
    domainCount: keyed.length,
    omittedRows: keyed.length - shown.length,
    ...viewTotals(view, allProxied),
    timeline: view.live.timeline,
    switches: view.live.switches,
    readiness: pageReadiness(
      keyed.map(({ host }) => host),
      view.mainDomain,
    ),
    ipv6Health: ipv6HealthOf({ seen: nativeIpv6, proxy, now }),
  };
  if (notKept > 0) snapshot.notKept = notKept;
  if (proxy !== undefined) snapshot.proxy = proxy;
  return snapshot;
}

export function tabSummary(
  tabId: number,
  view: PageView | undefined,
  tabUrl: string | undefined,
  describe: Describer,
  rowLimit = Infinity,
  notKept = 0,
  proxyContext?: ProxyContext,
  nativeIpv6?: NativeIpv6Seen,
  now?: number,
): TabSummary {
  if (view === undefined || (view.domains.size === 0 && pageKindOf(view.url) !== 'web')) {
    const url = view?.url ?? tabUrl;
    return { tabId, state: 'not-seen', pageKind: pageKindOf(url), url };
  }
  return { tabId, state: 'ok', snapshot: buildSnapshot(view, describe, rowLimit, notKept, proxyContext, nativeIpv6, now) };
}

/**
 * Rows in the popup's first answer and first frame: below the header and the live panel, a
 * 600 px popup shows about 13 rows (measured with the panel's three bars, chart and switch list).
 */
export const FIRST_SCREEN_ROWS = 16;
