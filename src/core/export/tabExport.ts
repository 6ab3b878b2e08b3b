/**
 * A tab as exported (JSON, and the source of the CSV and Markdown): built from the same
 * snapshot the popup shows, so every format says what the popup says. Versioned; the schema is
 * `report-v3.schema.json` beside this file (version 3 added each domain's reason and this browser's IPv6 health to version 2,
 * `report-v2.schema.json`, which added the IPv6-only verdicts, the scores and each domain's
 * readiness to version 1, `report-v1.schema.json`).
 */
import type { Family } from '../address/address';
import type { AddressClass } from '../address/addressClass';
import { sharePercentages, type FamilyCounts } from '../live/share';
import type { ProxyType } from '../proxy/reportedProxy';
import type { Readiness, Verdict } from '../readiness/readiness';
import type { HostReason } from '../readiness/reason';
import type { Ipv6Health } from '../readiness/ipv6Health';
import type { AddressSnapshot, DomainSnapshot, TabSnapshot } from '../view/snapshot';

export const REPORT_FORMAT = 'ipvlens-tab-report';
export const REPORT_VERSION = 3;

export type FamilyName = 'IPv4' | 'IPv6';

export interface ExportedAddress {
  /** As stored and looked up (canonical text). */
  address: string;
  /** As the popup shows it (NAT64 with its IPv4 dotted, a mapped address as the IPv4 one). */
  display: string;
  /** Null when the browser reported text that is not an address. */
  family: FamilyName | null;
  class: AddressClass | 'unparseable';
  embeddedIPv4?: string;
  nat64Prefix?: string;
  responses: number;
  cachedResponses: number;
  bytes: number;
  unsizedResponses: number;
  lastSeen: string;
}

export interface ExportedDomain {
  domain: string;
  isMain: boolean;
  family: FamilyName | null;
  readiness: Readiness;
  /** Why not native IPv6 (core/readiness/reason.ts); null for an IPv6 host or one not answered. Added in version 3. */
  reason: HostReason | null;
  requests: number;
  responses: number;
  errors: number;
  bytes: number;
  unsizedResponses: number;
  flags: string[];
  httpVersions: string[];
  firstSeen: string;
  lastSeen: string;
  addresses: ExportedAddress[];
  /** Its answers came (or may have come) through a proxy (see RowProxy); absent otherwise. Added within version 2. */
  proxy?: ExportedProxy;
}

export interface ExportedProxy {
  /** As the row's data-proxy: "host:port", "settings" or "suspected". */
  mark: string;
  confirmed: boolean;
  type?: ProxyType;
  proxyDns?: boolean;
  /** The family of the hop to the proxy. */
  hopFamily?: FamilyName;
}

export type ExportedIpv6Health = { kind: 'works'; lastNativeAt: string } | { kind: 'nat64'; prefix: string } | { kind: 'none-seen' } | { kind: 'proxy' };

function exportedHealth(health: Ipv6Health): ExportedIpv6Health {
  switch (health.kind) {
    case 'works':
      return { kind: 'works', lastNativeAt: iso(health.lastNativeAt) };
    case 'nat64':
      return { kind: 'nat64', prefix: health.prefix };
    default:
      return { kind: health.kind };
  }
}

/** The health back with its time as a number, to put in words (Markdown). */
export function healthOfExport(health: ExportedIpv6Health): Ipv6Health {
  return health.kind === 'works' ? { kind: 'works', lastNativeAt: Date.parse(health.lastNativeAt) } : health;
}

export interface ShareSummary {
  counts: FamilyCounts;
  /** Whole percentages adding up to 100 (all 0 when nothing was counted). */
  percent: FamilyCounts;
}

export interface TabExport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  generatedAt: string;
  page: {
    url: string | null;
    mainDomain: string | null;
    /** The page loaded before IPvLens started: only what came after is in the report. */
    partial: boolean;
  };
  timeRange: { from: string; to: string };
  summary: {
    domains: ShareSummary;
    requests: ShareSummary;
    bytes: ShareSummary;
    unsizedResponses: FamilyCounts;
  };
  /** On a true IPv6-only network, and on one with NAT64/DNS64 (see core/readiness). */
  verdict: Verdict;
  verdictNat64: Verdict;
  /** Integer percent, as webres6 computes it; and with hosts that publish AAAA counted. */
  score: number;
  scoreWithPublished: number;
  /** This browser's IPv6 health (core/readiness/ipv6Health.ts), times as ISO text. Added within version 3. */
  ipv6Health: ExportedIpv6Health;
  domains: ExportedDomain[];
  switches: Array<{ domain: string; from: string; to: string; fromFamily: FamilyName; toFamily: FamilyName; time: string; count: number; lastTime: string }>;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
const familyName = (family: Family): FamilyName => (family === 6 ? 'IPv6' : 'IPv4');

function share(counts: FamilyCounts): ShareSummary {
  return { counts: { ...counts }, percent: sharePercentages(counts) };
}

function exportedAddress(row: AddressSnapshot): ExportedAddress {
  const address: ExportedAddress = {
    address: row.canonical,
    display: row.address,
    family: row.family === undefined ? null : familyName(row.family),
    class: row.addressClass ?? 'unparseable',
    responses: row.responses,
    cachedResponses: row.cached,
    bytes: row.bytes,
    unsizedResponses: row.unsized,
    lastSeen: iso(row.lastSeen),
  };
  if (row.ipv4 !== undefined) address.embeddedIPv4 = row.ipv4;
  if (row.nat64Prefix !== undefined) address.nat64Prefix = row.nat64Prefix;
  return address;
}

function exportedProxy(proxy: NonNullable<DomainSnapshot['proxy']>): ExportedProxy {
  const exported: ExportedProxy = { mark: proxy.mark, confirmed: proxy.confirmed };
  if (proxy.type !== undefined) exported.type = proxy.type;
  if (proxy.proxyDns !== undefined) exported.proxyDns = proxy.proxyDns;
  if (proxy.hopFamily !== undefined) exported.hopFamily = familyName(proxy.hopFamily);
  return exported;
}

function exportedDomain(row: DomainSnapshot): ExportedDomain {
  const domain: ExportedDomain = {
    domain: row.domain,
    isMain: row.isMain,
    family: row.family === undefined ? null : familyName(row.family),
    readiness: row.readiness,
    reason: row.reason ?? null,
    requests: row.requests,
    responses: row.responses,
    errors: row.errors,
    bytes: row.bytes,
    unsizedResponses: row.unsized,
    flags: [...row.flags],
    httpVersions: [...row.httpVersions],
    firstSeen: iso(row.firstSeen),
    lastSeen: iso(row.lastSeen),
    addresses: row.addresses.map(exportedAddress),
  };
  if (row.proxy !== undefined) domain.proxy = exportedProxy(row.proxy);
  return domain;
}

/** The report of a complete snapshot (every row), as of `generatedAt`. */
export function tabExport(snapshot: TabSnapshot, generatedAt: number): TabExport {
  const lastActivity = snapshot.domains.reduce((latest, row) => Math.max(latest, row.lastSeen), snapshot.startedAt);
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    generatedAt: iso(generatedAt),
    page: { url: snapshot.url ?? null, mainDomain: snapshot.mainDomain ?? null, partial: snapshot.partial },
    timeRange: { from: iso(snapshot.startedAt), to: iso(lastActivity) },
    summary: {
      domains: share(snapshot.domainsByFamily),
      requests: share(snapshot.requestsByFamily),
      bytes: share(snapshot.bytesByFamily),
      unsizedResponses: { ...snapshot.unsizedByFamily },
    },
    verdict: snapshot.readiness.verdict,
    verdictNat64: snapshot.readiness.verdictNat64,
    score: snapshot.readiness.score,
    scoreWithPublished: snapshot.readiness.scoreWithPublished,
    ipv6Health: exportedHealth(snapshot.ipv6Health),
    domains: snapshot.domains.map(exportedDomain),
    switches: snapshot.switches.map((event) => ({
      domain: event.domain,
      from: event.from,
      to: event.to,
      fromFamily: familyName(event.fromFamily),
      toFamily: familyName(event.toFamily),
      time: iso(event.time),
      count: event.count,
      lastTime: iso(event.lastTime),
    })),
  };
}
