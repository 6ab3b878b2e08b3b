import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { answerFromNodeError } from '../../scripts/audit/dnsAnswer';
import { isAddressLiteral } from '../../src/core/address/dnsCheck';
import { exitCodeFor, sitesBelow } from '../../scripts/audit/exitCode';
import { mergeSummaries } from '../../scripts/audit/merge';
import { describeError } from '../../scripts/audit/pageVisit';
import { outcomeText, progressBar } from '../../scripts/audit/progress';
import { blockingHosts, errorRow, unknownHosts, type HostRow, type SiteRow } from '../../scripts/audit/siteRow';
import { buildSummary, tallyByFamily, topBlockers } from '../../scripts/audit/summary';
import { SUMMARY_CSV_COLUMNS, summaryCsv } from '../../scripts/audit/summaryCsv';
import { escapeHtml, summaryHtml } from '../../scripts/audit/summaryHtml';

const host = (domain: string, readiness: HostRow['readiness'], requests = 1): HostRow => ({
  domain,
  family: readiness === 'ipv6' ? 'IPv6' : 'IPv4',
  readiness,
  requests,
});

function site(position: number, url: string, score: number | null, hosts: HostRow[] = []): SiteRow {
  const main = hosts[0];
  return {
    position,
    url,
    finalUrl: url,
    error: null,
    verdict: score === 100 ? 'ready' : 'not-ready',
    verdictNat64: 'ready',
    score,
    scoreWithPublished: score,
    mainDomain: main?.domain ?? null,
    mainFamily: main?.family ?? null,
    hosts,
  };
}

const entry = (position: number, url: string) => ({ position, url, error: undefined });

const ready = site(0, 'https://a.example/', 100, [host('a.example', 'ipv6', 3), host('cdn.example', 'ipv6', 2)]);
const thirdParty = site(1, 'https://b.example/', 60, [host('b.example', 'ipv6', 3), host('ads.example', 'ipv4-only', 2), host('x.example', 'unknown', 1)]);
const v4main = site(2, 'https://c.example/', 0, [host('c.example', 'ipv4-only', 2), host('ads.example', 'ipv4-only', 1), host('203.0.113.5', 'ipv4-literal', 1)]);
const failed = errorRow(entry(3, 'https://down.example/'), 'net::ERR_CONNECTION_REFUSED');

describe('audit summary', () => {
  it('lists sites in the list\'s order and the third parties that block the most sites', () => {
    const summary = buildSummary([failed, v4main, ready, thirdParty], new Date('2026-11-30T10:00:00Z'));
    expect(summary.format).toBe('ipvlens-audit-summary');
    expect(summary.version).toBe(1);
    expect(summary.generatedAt).toBe('2026-11-30T10:00:00.000Z');
    expect(summary.sites.map((s) => s.url)).toEqual([ready.url, thirdParty.url, v4main.url, failed.url]);
    // c.example blocks its own site but is no third party; unknown hosts block nothing yet.
    expect(summary.blockers).toEqual([
      { domain: 'ads.example', sites: 2 },
      { domain: '203.0.113.5', sites: 1 },
    ]);
  });

  it('counts a host once per site however many requests it served', () => {
    const twice = site(0, 'https://d.example/', 0, [host('d.example', 'ipv6'), host('ads.example', 'ipv4-only', 9)]);
    expect(topBlockers([twice])).toEqual([{ domain: 'ads.example', sites: 1 }]);
  });

  it('validates against its JSON Schema (an audited site, an error row)', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../scripts/audit/summary-v1.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const summary = buildSummary([ready, thirdParty, v4main, failed], new Date());
    expect(validate(JSON.parse(JSON.stringify(summary)))).toBe(true);
    expect(validate({ ...summary, sites: [{ ...ready, verdict: 'maybe' }] })).toBe(false);
    expect(validate({ ...summary, format: 'ipvlens-tab-report' })).toBe(false);
  });

  it.each<[SiteRow, string[], string[], { ipv6: number; ipv4: number; unknown: number }, { ipv6: number; ipv4: number; unknown: number }]>([
    [ready, [], [], { ipv6: 2, ipv4: 0, unknown: 0 }, { ipv6: 5, ipv4: 0, unknown: 0 }],
    [thirdParty, ['ads.example'], ['x.example'], { ipv6: 1, ipv4: 2, unknown: 0 }, { ipv6: 3, ipv4: 3, unknown: 0 }],
    [v4main, ['c.example', 'ads.example', '203.0.113.5'], [], { ipv6: 0, ipv4: 3, unknown: 0 }, { ipv6: 0, ipv4: 4, unknown: 0 }],
    [failed, [], [], { ipv6: 0, ipv4: 0, unknown: 0 }, { ipv6: 0, ipv4: 0, unknown: 0 }],
  ])('blocking, unknown and counts of %#', (row, blocking, unknown, hosts, requests) => {
    expect(blockingHosts(row)).toEqual(blocking);
    expect(unknownHosts(row)).toEqual(unknown);
    expect(tallyByFamily(row, 'hosts')).toEqual(hosts);
    expect(tallyByFamily(row, 'requests')).toEqual(requests);
  });

  it('writes one CSV row per site, formula-safe', () => {
    const hostile = site(4, 'https://e.example/', 0, [host('=cmd.example', 'ipv4-only')]);
    const lines = summaryCsv(buildSummary([thirdParty, failed, hostile], new Date())).split('\r\n');
    // Text quoted, counts bare, a missing value (null) empty.
    expect(lines[0]).toBe(SUMMARY_CSV_COLUMNS.map((column) => `"${column}"`).join(','));
    expect(lines[1]).toBe('"https://b.example/","https://b.example/",,"not-ready","ready",60,60,"b.example","IPv6",1,2,0,3,3,0,"ads.example","x.example"');
    expect(lines[2]).toBe('"https://down.example/",,"net::ERR_CONNECTION_REFUSED",,,,,,,0,0,0,0,0,0,"",""');
    expect(lines[3]).toContain(`,"'=cmd.example",`);
    expect(lines).toHaveLength(5);
  });

  it('writes a standalone HTML scoreboard with every site-given text escaped', () => {
    const hostile = site(4, 'https://e.example/<script>alert(1)</script>', 0, [host('e.example', 'ipv6'), host('<img src=x>.example', 'ipv4-only')]);
    const html = summaryHtml(buildSummary([ready, failed, hostile], new Date()));
    expect(html).toContain('default-src \'none\'');
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=["']?http|<script src/);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;img src=x&gt;.example');
    expect(html.match(/<tr[ >]/g)).toHaveLength(1 + 3 + 2); // sites head + rows, blockers head + row
    expect(html).toContain('net::ERR_CONNECTION_REFUSED');
    expect(escapeHtml(`a&b"'<>`)).toBe('a&amp;b&quot;&#39;&lt;&gt;');
  });
});

describe('audit exit code', () => {
  it.each<[number | undefined, SiteRow[], number, string[]]>([
    [undefined, [ready, thirdParty, failed], 0, []],
    [100, [ready], 0, []],
    [100, [ready, thirdParty], 1, [thirdParty.url]],
    [50, [ready, thirdParty], 0, []],
    [0, [ready, v4main], 0, []],
    [0, [ready, failed], 1, [failed.url]],
  ])('min score %s', (minScore, rows, code, below) => {
    expect(exitCodeFor(rows, minScore)).toBe(code);
    expect(sitesBelow(rows, minScore).map((row) => row.url)).toEqual(below);
  });
});

describe('audit merge', () => {
  const summaryOf = (rows: SiteRow[]): unknown => JSON.parse(JSON.stringify(buildSummary(rows, new Date())));

  it('combines shards in the list\'s order, equal to one whole run', () => {
    const merged = mergeSummaries([
      { name: 's1', summary: summaryOf([thirdParty, failed]) },
      { name: 's2', summary: summaryOf([v4main, ready]) },
    ]);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(buildSummary(merged.rows, new Date(0)).sites).toEqual(buildSummary([ready, thirdParty, v4main, failed], new Date(0)).sites);
    expect(merged.duplicates).toBe(0);
  });

  it('keeps one row for a URL in two shards, an audited one before an error', () => {
    const retried = { ...ready, position: failed.position, url: failed.url };
    const merged = mergeSummaries([
      { name: 's1', summary: summaryOf([failed]) },
      { name: 's2', summary: summaryOf([retried]) },
    ]);
    expect(merged).toEqual({ ok: true, rows: [retried], duplicates: 1 });
  });

  it.each<[unknown, RegExp]>([
    [{ format: 'ipvlens-tab-report', version: 1 }, /not an IPvLens audit summary/],
    [null, /not an IPvLens audit summary/],
    [{ format: 'ipvlens-audit-summary', version: 2, sites: [] }, /version 2; this audit reads version 1/],
    [{ format: 'ipvlens-audit-summary', version: 1 }, /no list of sites/],
    [{ format: 'ipvlens-audit-summary', version: 1, sites: [{ url: 'x' }] }, /site 1 is not a valid row/],
  ])('refuses %j', (summary, message) => {
    const merged = mergeSummaries([{ name: 'shard/summary.json', summary }]);
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.error).toMatch(message);
  });
});

describe('audit DNS answers', () => {
  it.each<[string | undefined, string]>([
    ['ENODATA', 'none'],
    ['ENOTFOUND', 'failed'],
    ['ETIMEOUT', 'failed'],
    ['ECONNREFUSED', 'failed'],
    ['ESERVFAIL', 'failed'],
    [undefined, 'failed'],
  ])('Node resolver error %s → %s', (code, answer) => {
    expect(answerFromNodeError(code)).toBe(answer);
  });

  it.each<[string, boolean]>([
    ['203.0.113.5', true],
    ['[2001:db8::1]', true],
    ['a.example', false],
    ['1.example', false],
  ])('%s is an address literal: %s', (name, literal) => {
    expect(isAddressLiteral(name)).toBe(literal);
  });
});

describe('audit messages', () => {
  it.each<[unknown, string]>([
    [new Error('page.goto: net::ERR_CONNECTION_REFUSED at http://a.test/\nCall log:\n  - navigating'), 'net::ERR_CONNECTION_REFUSED'],
    [new Error('Protocol error (browsingContext.navigate): unknown error Error: NS_ERROR_CONNECTION_REFUSED #onNavigationCommitted@chrome://remote/x.mjs:387:28'), 'NS_ERROR_CONNECTION_REFUSED'],
    [new Error('Protocol error (browsingContext.navigate): unknown error Error: MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT'), 'MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT'],
    [new Error('page.goto: Timeout 5000ms exceeded.\nCall log:'), 'timeout: the page did not load within 5000 ms'],
    [new Error('Navigation timeout of 5000 ms exceeded'), 'timeout: the page did not load within 5000 ms'],
    [new Error('page.goto: net::ERR_CERT_AUTHORITY_INVALID at https://a.test/'), 'net::ERR_CERT_AUTHORITY_INVALID'],
    [new Error('page.goto: Page crashed'), 'the tab crashed (Page crashed)'],
    [new Error(''), 'unknown error'],
    ['NS_ERROR_CONNECTION_REFUSED', 'NS_ERROR_CONNECTION_REFUSED'],
  ])('describes %s', (error, text) => {
    expect(describeError(error, 5000)).toBe(text);
  });

  it('draws the bar and says each outcome in a few words', () => {
    expect(progressBar(0, 4, 0)).toBe(`[${'.'.repeat(30)}] 0/4`);
    expect(progressBar(2, 4, 1)).toBe(`[${'#'.repeat(15)}${'.'.repeat(15)}] 2/4, 1 errors`);
    expect(outcomeText(thirdParty)).toBe('not-ready (NAT64: ready), score 60%');
    expect(outcomeText(failed)).toBe('error: net::ERR_CONNECTION_REFUSED');
  });
});
