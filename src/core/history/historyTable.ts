/** The history page's list: search and sort over site records, plain functions. */
import { familyTotal } from '../live/share';
import { ipv6Readiness, type SiteRecord } from './siteRecord';

export const HISTORY_SORT_KEYS = ['site', 'lastVisit', 'visits', 'requests', 'readiness', 'ipv4Only'] as const;
export type HistorySortKey = (typeof HISTORY_SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';


/** Numbers to compare by; undefined (no readiness yet) sorts last whichever the direction. */
const NUMERIC: Record<Exclude<HistorySortKey, 'site'>, (record: SiteRecord) => number | undefined> = {
  lastVisit: (record) => record.lastVisit,
  visits: (record) => record.visits,
  requests: (record) => familyTotal(record.requests),
  readiness: ipv6Readiness,
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

/** Sites whose name, or one of whose IPv4-only third parties, contains the text (any case). */
export function searchSites(records: readonly SiteRecord[], text: string): SiteRecord[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [...records];
  return records.filter((record) => record.site.includes(needle) || record.ipv4OnlyThirdParties.some((domain) => domain.includes(needle)));
}
