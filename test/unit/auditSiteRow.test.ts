import { describe, expect, it } from 'vitest';
import { createDescriber } from '../../src/core/address/addressClass';
import { tabExport } from '../../src/core/export/tabExport';
import { newDomainRecord, newPageView, type DomainRecord } from '../../src/core/tab/model';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { errorRow, hostsToLookUp, siteRow, type DnsAnswer } from '../../scripts/audit/siteRow';

const T0 = 1_795_440_000_000;

function record(domain: string, family: 4 | 6 | undefined, responses: number, requests = responses): DomainRecord {
  const rec = newDomainRecord(domain, T0);
  if (family !== undefined) {
    const address = family === 6 ? '2001:db8::1' : '192.0.2.1';
    rec.addresses[address] = { family, responses, cached: 0, bytes: 0, unsized: 0, firstSeen: T0, lastSeen: T0 + 1000 };
    rec.primary = address;
  }
  return { ...rec, requests, responses };
}

/** The report of a page through the extension's own path: page view → snapshot → export (v2). */
function reportOf(records: DomainRecord[], mainDomain = 'www.example.org') {
  const view = newPageView({ id: 'v1', url: `https://${mainDomain}/`, mainDomain, committed: true, partial: false, startedAt: T0 });
  for (const r of records) view.domains.set(r.domain, r);
  return tabExport(buildSnapshot(view, createDescriber()), T0 + 5000);
}

const entry = { position: 7, url: 'https://www.example.org/', error: undefined };
const page = reportOf([record('www.example.org', 6, 2), record('cdn.example.net', 4, 2), record('never.example', undefined, 0, 3), record('203.0.113.5', 4, 1)]);

describe('audit site row', () => {
  it('looks up only hosts answered over IPv4 without DNS evidence (no literal, none unanswered)', () => {
    expect(hostsToLookUp(page)).toEqual(['cdn.example.net']);
  });

  it.each<[string, Map<string, DnsAnswer>, { readiness: string; verdict: string; verdictNat64: string; score: number; scoreWithPublished: number }]>([
    ['no look-up (--no-dns)', new Map(), { readiness: 'unknown', verdict: 'not-ready', verdictNat64: 'not-ready', score: 40, scoreWithPublished: 40 }],
    ['no AAAA', new Map([['cdn.example.net', 'none']]), { readiness: 'ipv4-only', verdict: 'not-ready', verdictNat64: 'not-ready', score: 40, scoreWithPublished: 40 }],
    ['AAAA', new Map([['cdn.example.net', 'aaaa']]), { readiness: 'published', verdict: 'not-ready', verdictNat64: 'not-ready', score: 40, scoreWithPublished: 80 }],
    ['look-up failed', new Map([['cdn.example.net', 'failed']]), { readiness: 'unknown', verdict: 'not-ready', verdictNat64: 'not-ready', score: 40, scoreWithPublished: 40 }],
  ])('%s', (_, dns, expected) => {
    const row = siteRow(entry, page, dns);
    expect(row).toMatchObject({
      position: 7,
      url: entry.url,
      finalUrl: 'https://www.example.org/',
      error: null,
      mainDomain: 'www.example.org',
      mainFamily: 'IPv6',
      verdict: expected.verdict,
      verdictNat64: expected.verdictNat64,
      score: expected.score,
      scoreWithPublished: expected.scoreWithPublished,
    });
    // A host whose requests were never answered is not counted; the literal blocks both networks.
    expect(row.hosts).toHaveLength(3);
    expect(row.hosts).toEqual(
      expect.arrayContaining([
        { domain: 'www.example.org', family: 'IPv6', readiness: 'ipv6', requests: 2 },
        { domain: 'cdn.example.net', family: 'IPv4', readiness: expected.readiness, requests: 2 },
        { domain: '203.0.113.5', family: 'IPv4', readiness: 'ipv4-literal', requests: 1 },
      ]),
    );
  });

  it('gives the verdicts of a page without a literal: unknown until DNS says, ready with AAAA', () => {
    const clean = reportOf([record('www.example.org', 6, 3), record('cdn.example.net', 4, 1)]);
    expect(siteRow(entry, clean, new Map())).toMatchObject({ verdict: 'unknown', verdictNat64: 'ready', score: 75, scoreWithPublished: 75 });
    expect(siteRow(entry, clean, new Map([['cdn.example.net', 'aaaa']]))).toMatchObject({ verdict: 'ready', verdictNat64: 'ready', score: 75, scoreWithPublished: 100 });
    const v4main = reportOf([record('www.example.org', 4, 3), record('cdn.example.net', 6, 1)]);
    expect(siteRow(entry, v4main, new Map([['www.example.org', 'none']]))).toMatchObject({ verdict: 'not-ready', mainFamily: 'IPv4', score: 0, scoreWithPublished: 0 });
  });

  it('an error row has no verdict, score or host', () => {
    expect(errorRow(entry, 'net::ERR_NAME_NOT_RESOLVED')).toEqual({
      position: 7,
      url: entry.url,
      finalUrl: null,
      error: 'net::ERR_NAME_NOT_RESOLVED',
      verdict: null,
      verdictNat64: null,
      score: null,
      scoreWithPublished: null,
      mainDomain: null,
      mainFamily: null,
      hosts: [],
    });
  });
});
