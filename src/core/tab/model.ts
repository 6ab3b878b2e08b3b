/** Plain data of the per-tab state. Everything here is JSON-serialisable except the Maps. */
import type { Family } from '../address/address';
import { newLiveState, newRecentRing, type LiveState } from '../live/live';
import type { BucketRing } from '../live/ring';
import type { ReportedProxy } from '../proxy/reportedProxy';

/** Bit flags on a domain: one number per domain keeps the hot path allocation-free. */
export const Flag = {
  cache: 1,
  prefetch: 2,
  serviceWorker: 4,
  websocket: 8,
  plainHttp: 16,
  tls: 32,
} as const;
export type FlagName = keyof typeof Flag;
export const FLAG_NAMES = Object.keys(Flag) as FlagName[];

export interface AddressStat {
  /**
   * Derived from the address and the NAT64 prefixes in force; re-derived when they change.
   * Absent when the browser reported text that is not an address: its family is unknown.
   */
  family?: Family;
  /** Responses that came from (or were cached from) this address. */
  responses: number;
  /** Of those, responses served from the browser cache. */
  cached: number;
  /**
   * Of the cached ones, responses the browser gave no address for (Firefox), attributed to this
   * address because the domain last answered from it. Absent when none.
   */
  remembered?: number;
  /** Body bytes of network responses that declared their size (Content-Length). */
  bytes: number;
  /** Network responses that did not declare their size: "unknown size", never guessed. */
  unsized: number;
  /**
   * The address is a proxy's: the browser said these answers came through it (Firefox's
   * proxyInfo). `family` is then absent, since the server's family is unknown; the family of
   * the hop to the proxy is the address's own (see proxiedHopFamily).
   */
  proxy?: ReportedProxy;
  firstSeen: number;
  lastSeen: number;
}

export interface DomainRecord {
  domain: string;
  /** Requests started to this domain (each redirect hop is a request). */
  requests: number;
  responses: number;
  errors: number;
  flags: number;
  /** Body bytes and unsized responses from the network, with or without a known address. */
  bytes: number;
  unsized: number;
  /** Requests started per 5 s over the last minute. */
  recent: BucketRing;
  /**
   * Every address seen, keyed by canonical text (or the browser's text when unparseable). Bounded
   * by what the network hands out. A null-prototype object (see textKeyed): any text is a key.
   */
  addresses: Record<string, AddressStat>;
  /** Newest address of a non-cached response (or the only one known). */
  primary?: string;
  /** Address of the newest network (not cached) response: what a switch is measured against. */
  networkAddress?: string;
  /** Protocol versions where the browser reports them truthfully (Firefox). */
  httpVersions?: string[];
  /**
   * IPv6 addresses the resolver gave for a domain reached over IPv4 (the optional DNS check:
   * Firefox's own resolver, or the user's DNS-over-HTTPS resolver on Chrome); [] once it answered
   * with none, absent while not asked or when the look-up failed.
   */
  dnsIpv6?: string[];
  /** The DNS check's look-up failed (error or timeout): no evidence either way. */
  dnsLookupFailed?: true;
  firstSeen: number;
  lastSeen: number;
  /**
   * requestIds in flight: the "connected now" state. At most MAX_INFLIGHT_IDS, the newest: a
   * request whose end never reaches this view (it came to another view, or never came) must not
   * stay here for the rest of a long-lived page.
   */
  inflight: string[];
}

/** In-flight request ids a domain keeps (far more than a browser runs at once to one host). */
export const MAX_INFLIGHT_IDS = 1024;

/** Notes a request in flight to a domain; the oldest id goes past MAX_INFLIGHT_IDS. */
export function noteInflight(record: DomainRecord, requestId: string): void {
  if (record.inflight.includes(requestId)) return;
  if (record.inflight.length >= MAX_INFLIGHT_IDS) record.inflight.splice(0, record.inflight.length - MAX_INFLIGHT_IDS + 1);
  record.inflight.push(requestId);
}

export interface ViewMeta {
  id: string;
  url?: string;
  origin?: string;
  mainDomain?: string;
  /** requestId of the main-frame request that started this view (redirect hops share it). */
  mainRequestId?: string;
  /** Chrome's documentId of the committed document, to route late requests of the old page. */
  documentId?: string;
  committed: boolean;
  /** The page loaded before IPvLens was running: what is shown is only what came after. */
  partial: boolean;
  startedAt: number;
}

export interface PageView extends ViewMeta {
  domains: Map<string, DomainRecord>;
  /** Domains by family, kept up to date so the icon costs O(1) per response. */
  familyTally: { 4: number; 6: number };
  /** Timeline and switches: fixed in size, stored under a key of their own. */
  live: LiveState;
}

export interface TabState {
  tabId: number;
  current: PageView;
  /** The committed page while a new navigation is still pending; restored if it fails. */
  previous?: PageView;
  /** Domains of the current view whose state storage refused for lack of space; absent when all are kept. Never stored. */
  notKept?: number;
}

/**
 * An object keyed by text from the browser or a file: no prototype, so keys such as "__proto__",
 * "constructor" or "toString" are entries like any other and can never reach Object.prototype.
 * With `from`, its own entries are copied in (a record read back from storage).
 */
export function textKeyed<T>(from?: Readonly<Record<string, T>>): Record<string, T> {
  const keyed = Object.create(null) as Record<string, T>;
  if (from !== undefined) for (const [key, value] of Object.entries(from)) keyed[key] = value;
  return keyed;
}

export function domainFamily(record: DomainRecord): Family | undefined {
  if (record.primary === undefined) return undefined;
  return record.addresses[record.primary]?.family;
}

/**
 * The proxy a domain's newest answer came through, if the browser said so. A domain with some
 * proxied and some direct answers follows its newest network answer, as its address and family
 * do; each response still counts under its own answer in the request and byte shares.
 */
export function domainProxy(record: DomainRecord): ReportedProxy | undefined {
  if (record.primary === undefined) return undefined;
  return record.addresses[record.primary]?.proxy;
}

export function newDomainRecord(domain: string, time: number): DomainRecord {
  return {
    domain,
    requests: 0,
    responses: 0,
    errors: 0,
    flags: 0,
    bytes: 0,
    unsized: 0,
    recent: newRecentRing(),
    addresses: textKeyed(),
    firstSeen: time,
    lastSeen: time,
    inflight: [],
  };
}

export function newPageView(meta: ViewMeta, live: LiveState = newLiveState()): PageView {
  return { ...meta, domains: new Map(), familyTally: { 4: 0, 6: 0 }, live };
}

export function viewMetaOf(view: PageView): ViewMeta {
  const { domains: _domains, familyTally: _tally, live: _live, ...meta } = view;
  return meta;
}
