/** The history page's list: search and sort over site records, plain functions. */
import { familyTotal } from '../live/share';
import type { Verdict } from '../readiness/readiness';
import { ipv6Readiness, type SiteRecord } from './siteRecord';

/** Ready above unknown above not ready: descending puts the sites that work on IPv6-only first. */
const VERDICT_RANK: Record<Verdict, number> = { ready: 2, unknown: 1, 'not-ready': 0 };

export const HISTORY_SORT_KEYS = ['site', 'lastVisit', 'visits', 'requests', 'readiness', 'verdict', 'score', 'ipv4Only'] as const;
export type HistorySortKey = (typeof HISTORY_SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';


/** Numbers to compare by; undefined (no readiness yet) sorts last whichever the direction. */
const NUMERIC: Record<Exclude<HistorySortKey, 'site'>, (record: SiteRecord) => number | undefined> = {
  lastVisit: (record) => record.lastVisit,
  visits: (record) => record.visits,
  requests: (record) => familyTotal(record.requests),
  readiness: ipv6Readiness,
  // Ties by NAT64 verdict: a page with an IPv4 literal is worse off than one without.
  verdict: (record) => (record.lastReadiness === undefined ? undefined : VERDICT_RANK[record.lastReadiness.verdict] * 3 + VERDICT_RANK[record.lastReadiness.verdictNat64]),
  score: (record) => record.lastReadiness?.score,
  ipv4Only: (record) => record.ipv4OnlyThirdParties.length,
};

const bySite = (a: SiteRecord, b: SiteRecord): number => (a.site < b.site ? -1 : a.site > b.site ? 1 : 0);

export function sortSites(records: readonly SiteRecord[], key: HistorySortKey, direction: SortDirection): SiteRecord[] {
  const sign = direction === 'ascending' ? 1 : -1;
  if (key === 'site') return [...records].sort((a, b) => sign * bySite(a, b));
  const value = NUMERIC[key];
  return [...records].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === undefined || y === undefined) return x === y ? bySite(a, b) : x === undefined ? 1 : -1;
    // Ties keep a stable, readable order: by site name.
    return sign * (x - y) || bySite(a, b);
  });
}

/** Sites whose name, or one of whose IPv4-only or blocking third parties, contains the text (any case). */
export function searchSites(records: readonly SiteRecord[], text: string): SiteRecord[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [...records];
  const hit = (domains: readonly string[] | undefined): boolean => domains !== undefined && domains.some((domain) => domain.includes(needle));
  return records.filter((record) => record.site.includes(needle) || hit(record.ipv4OnlyThirdParties) || hit(record.lastReadiness?.blockingThirdParties));
}
