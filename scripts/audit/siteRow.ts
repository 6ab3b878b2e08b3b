/**
 * One site of the audit as the summary lists it: from the extension's own tab export (schema v2),
 * with the audit's AAAA answers applied to hosts whose readiness the browser left `unknown`, and
 * the verdict recomputed by the core's pageReadiness — no verdict code of the audit's own.
 */
import type { FamilyName, TabExport } from '../../src/core/export/tabExport';
import { pageReadiness, withDnsAnswer, type Readiness, type Verdict } from '../../src/core/readiness/readiness';
import type { SiteEntry } from './siteList';

export type DnsAnswer = 'aaaa' | 'none' | 'failed';

export interface HostRow {
  domain: string;
  family: FamilyName | null;
  readiness: Readiness;
  /** Answered requests (responses): requests never answered do not count. */
  requests: number;
}

export interface SiteRow {
  /** Order in the input; a merge of shards restores the list's order with it. */
  position: number;
  url: string;
  finalUrl: string | null;
  error: string | null;
  verdict: Verdict | null;
  verdictNat64: Verdict | null;
  score: number | null;
  scoreWithPublished: number | null;
  mainDomain: string | null;
  mainFamily: FamilyName | null;
  hosts: HostRow[];
}

/** Readiness values that stop a page on a true IPv6-only network. */
export const BLOCKING: ReadonlySet<Readiness> = new Set<Readiness>(['ipv4-only', 'ipv4-literal']);

/** The hosts of a report the audit should look up: answered over IPv4 with no DNS evidence yet. */
export function hostsToLookUp(report: TabExport): string[] {
  return report.domains.filter((domain) => domain.readiness === 'unknown' && domain.responses > 0).map((domain) => domain.domain);
}

export function siteRow(entry: SiteEntry, report: TabExport, dns: ReadonlyMap<string, DnsAnswer>): SiteRow {
  const hosts: HostRow[] = report.domains
    .filter((domain) => domain.responses > 0)
    .map((domain) => {
      const answer = dns.get(domain.domain);
      return {
        domain: domain.domain,
        family: domain.family,
        readiness: answer === undefined ? domain.readiness : withDnsAnswer(domain.readiness, answer),
        requests: domain.responses,
      };
    });
  const mainDomain = report.page.mainDomain;
  const page = pageReadiness(hosts, mainDomain ?? undefined);
  return {
    position: entry.position,
    url: entry.url,
    finalUrl: report.page.url,
    error: null,
    verdict: page.verdict,
    verdictNat64: page.verdictNat64,
    score: page.score,
    scoreWithPublished: page.scoreWithPublished,
    mainDomain,
    mainFamily: report.domains.find((domain) => domain.isMain)?.family ?? null,
    hosts,
  };
}

export function errorRow(entry: SiteEntry, error: string, finalUrl: string | null = null): SiteRow {
  return {
    position: entry.position,
    url: entry.url,
    finalUrl,
    error,
    verdict: null,
    verdictNat64: null,
    score: null,
    scoreWithPublished: null,
    mainDomain: null,
    mainFamily: null,
    hosts: [],
  };
}

export function blockingHosts(row: SiteRow): string[] {
  return row.hosts.filter((host) => BLOCKING.has(host.readiness)).map((host) => host.domain);
}

export function unknownHosts(row: SiteRow): string[] {
  return row.hosts.filter((host) => host.readiness === 'unknown').map((host) => host.domain);
}
