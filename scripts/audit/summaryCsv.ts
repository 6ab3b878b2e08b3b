/** `summary.csv`: one row per site, through the core's CSV writer (RFC 4180, formula-safe). */
import { toCsv } from '../../src/core/export/csv';
import { blockingHosts, unknownHosts } from './siteRow';
import { tallyByFamily, type AuditSummary } from './summary';

export const SUMMARY_CSV_COLUMNS = [
  'url',
  'final_url',
  'error',
  'verdict',
  'verdict_nat64',
  'score',
  'score_with_published',
  'main_domain',
  'main_family',
  'hosts_ipv6',
  'hosts_ipv4',
  'hosts_unknown',
  'requests_ipv6',
  'requests_ipv4',
  'requests_unknown',
  'blocking_hosts',
  'unknown_hosts',
] as const;

export function summaryCsv(summary: AuditSummary): string {
  const rows: Array<Array<string | number | null>> = [[...SUMMARY_CSV_COLUMNS]];
  for (const site of summary.sites) {
    const hosts = tallyByFamily(site, 'hosts');
    const requests = tallyByFamily(site, 'requests');
    rows.push([
      site.url,
      site.finalUrl,
      site.error,
      site.verdict,
      site.verdictNat64,
      site.score,
      site.scoreWithPublished,
      site.mainDomain,
      site.mainFamily,
      hosts.ipv6,
      hosts.ipv4,
      hosts.unknown,
      requests.ipv6,
      requests.ipv4,
      requests.unknown,
      blockingHosts(site).join(' '),
      unknownHosts(site).join(' '),
    ]);
  }
  return toCsv(rows);
}
