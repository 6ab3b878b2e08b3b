/**
 * Per-site history: each finished page view folded into its site's record. Plain data, stored as
 * is (times in epoch ms); the export file has its own shape (historyFile.ts).
 */
import type { Family } from '../address/address';
import type { Verdict } from '../readiness/readiness';
import type { FamilyCounts } from '../live/share';
import { cappedSum, MAX_COUNTS, MAX_IPV4_ONLY_KEPT } from './recordCheck';

export { MAX_IPV4_ONLY_KEPT } from './recordCheck';

/** A visit's IPv6-only verdicts and score (see core/readiness), and the third parties that blocked it. */
export interface SiteReadiness {
  verdict: Verdict;
  verdictNat64: Verdict;
  score: number;
  scoreWithPublished: number;
  /** Third-party hosts that are ipv4-only or an IPv4 literal, most requests first. */
  blockingThirdParties: string[];
}

export interface SiteRecord {
  site: string;
  firstVisit: number;
  lastVisit: number;
  visits: number;
  /** Family the site's own page came over at the last visit. */
  lastMainFamily: Family | null;
  /** Domains of the last visit by family (domains differ from visit to visit: not summed). */
  domains: FamilyCounts;
  /** Requests and declared bytes summed over every recorded visit. */
  requests: FamilyCounts;
  bytes: FamilyCounts;
  /**
   * Third-party domains whose answers came only over IPv4, as of the last visit that used them,
   * newest first; one answering over IPv6 at a later visit leaves the list.
   */
  ipv4OnlyThirdParties: string[];
  /** The verdicts at the last visit; absent in records written before IPvLens had them. */
  lastReadiness?: SiteReadiness;
}

/** What one finished page view adds to its site. */
export interface Visit {
  site: string;
  time: number;
  mainFamily: Family | null;
  domains: FamilyCounts;
  requests: FamilyCounts;
  bytes: FamilyCounts;
  ipv4OnlyThirdParties: string[];
  /** Third-party domains with at least one answer over IPv6 in this view. */
  thirdPartiesWithIPv6: string[];
  /** The view's verdicts (visitOf always sets them). */
  readiness?: SiteReadiness;
}

const sum = (a: FamilyCounts, b: FamilyCounts, max: number): FamilyCounts => ({ v4: cappedSum(a.v4, b.v4, max), v6: cappedSum(a.v6, b.v6, max), unknown: cappedSum(a.unknown, b.unknown, max) });
const capped = (counts: FamilyCounts, max: number): FamilyCounts => sum(counts, { v4: 0, v6: 0, unknown: 0 }, max);

/** The site's record after one more visit (the old record is left as it was). */
export function foldVisit(record: SiteRecord | undefined, visit: Visit): SiteRecord {
  if (record === undefined) {
    const created: SiteRecord = {
      site: visit.site,
      firstVisit: visit.time,
      lastVisit: visit.time,
      visits: 1,
      lastMainFamily: visit.mainFamily,
      domains: capped(visit.domains, MAX_COUNTS.domains),
      requests: capped(visit.requests, MAX_COUNTS.requests),
      bytes: capped(visit.bytes, MAX_COUNTS.bytes),
      ipv4OnlyThirdParties: visit.ipv4OnlyThirdParties.slice(0, MAX_IPV4_ONLY_KEPT),
    };
    if (visit.readiness !== undefined) created.lastReadiness = visit.readiness;
    return created;
  }
  // Views can finish out of order (two tabs): "last" fields follow the newest visit only.
  const newer = visit.time >= record.lastVisit;
  const dropped = new Set([...visit.thirdPartiesWithIPv6, ...visit.ipv4OnlyThirdParties]);
  const ipv4Only = newer
    ? [...visit.ipv4OnlyThirdParties, ...record.ipv4OnlyThirdParties.filter((domain) => !dropped.has(domain))]
    : [...record.ipv4OnlyThirdParties, ...visit.ipv4OnlyThirdParties.filter((domain) => !record.ipv4OnlyThirdParties.includes(domain))];
  const folded: SiteRecord = {
    site: record.site,
    firstVisit: Math.min(record.firstVisit, visit.time),
    lastVisit: Math.max(record.lastVisit, visit.time),
    visits: cappedSum(record.visits, 1, MAX_COUNTS.visits),
    lastMainFamily: newer ? visit.mainFamily : record.lastMainFamily,
    domains: newer ? capped(visit.domains, MAX_COUNTS.domains) : record.domains,
    requests: sum(record.requests, visit.requests, MAX_COUNTS.requests),
    bytes: sum(record.bytes, visit.bytes, MAX_COUNTS.bytes),
    ipv4OnlyThirdParties: ipv4Only.slice(0, MAX_IPV4_ONLY_KEPT),
  };
  // An older visit only fills in verdicts a record from before them lacks.
  const lastReadiness = newer ? (visit.readiness ?? record.lastReadiness) : (record.lastReadiness ?? visit.readiness);
  if (lastReadiness !== undefined) folded.lastReadiness = lastReadiness;
  return folded;
}

/**
 * IPv6 readiness: the share of requests answered over IPv6 among those whose family is known
 * (0…1), or undefined when none is. Requests with no answer say nothing about the site.
 */
export function ipv6Readiness(record: Pick<SiteRecord, 'requests'>): number | undefined {
  const known = record.requests.v4 + record.requests.v6;
  return known === 0 ? undefined : record.requests.v6 / known;
}

/**
 * Sites to drop so that at most `maxSites` remain: the least recently visited first (ties by
 * name, so the choice does not depend on storage order).
 */
export function sitesToEvict(lastVisits: ReadonlyMap<string, number>, maxSites: number): string[] {
  const excess = lastVisits.size - maxSites;
  if (excess <= 0) return [];
  return [...lastVisits]
    .sort(([siteA, a], [siteB, b]) => a - b || (siteA < siteB ? -1 : siteA > siteB ? 1 : 0))
    .slice(0, excess)
    .map(([site]) => site);
}
