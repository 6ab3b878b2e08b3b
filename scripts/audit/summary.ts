/**
 * `summary.json`: every site's row in the list's order, and the third parties that block the most
 * sites. Schema: summary-v1.schema.json beside this file.
 */
import { BLOCKING, type SiteRow } from './siteRow';

export const SUMMARY_FORMAT = 'ipvlens-audit-summary';
export const SUMMARY_VERSION = 1;

export interface Blocker {
  domain: string;
  /** Sites this host blocks on a true IPv6-only network, where it is not the site's own host. */
  sites: number;
}

export interface AuditSummary {
  format: typeof SUMMARY_FORMAT;
  version: typeof SUMMARY_VERSION;
  generatedAt: string;
  sites: SiteRow[];
  blockers: Blocker[];
}

/** Third-party hosts by how many sites they block, most first (ties by name). */
export function topBlockers(rows: readonly SiteRow[]): Blocker[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const blocking = new Set(row.hosts.filter((host) => host.domain !== row.mainDomain && BLOCKING.has(host.readiness)).map((host) => host.domain));
    for (const domain of blocking) counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
  return [...counts]
    .map(([domain, sites]) => ({ domain, sites }))
    .sort((a, b) => b.sites - a.sites || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
}

export function buildSummary(rows: readonly SiteRow[], generatedAt: Date): AuditSummary {
  const sites = [...rows].sort((a, b) => a.position - b.position || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { format: SUMMARY_FORMAT, version: SUMMARY_VERSION, generatedAt: generatedAt.toISOString(), sites, blockers: topBlockers(sites) };
}

export interface FamilyTally {
  ipv6: number;
  ipv4: number;
  unknown: number;
}

/** A site's hosts, or their answered requests, by family. */
export function tallyByFamily(row: SiteRow, what: 'hosts' | 'requests'): FamilyTally {
  const tally: FamilyTally = { ipv6: 0, ipv4: 0, unknown: 0 };
  for (const host of row.hosts) {
    const key = host.family === 'IPv6' ? 'ipv6' : host.family === 'IPv4' ? 'ipv4' : 'unknown';
    tally[key] += what === 'hosts' ? 1 : host.requests;
  }
  return tally;
}
