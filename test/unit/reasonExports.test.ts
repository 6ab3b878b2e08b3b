// Why IPv4 in every export: JSON `reason` (schema v3), the CSV's last column, the Markdown's
// "Why IPv4" column, and `_ipvlensReason` on HAR entries to that host.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createDescriber } from '../../src/core/address/addressClass';
import { CSV_COLUMNS, tabCsv } from '../../src/core/export/csv';
import { tabMarkdown } from '../../src/core/export/markdown';
import { tabExport, type TabExport } from '../../src/core/export/tabExport';
import { translatorFor, type LocaleMessage } from '../../src/core/i18n';
import { newNativeIpv6Seen, noteNativeIpv6 } from '../../src/core/readiness/nativeIpv6';
import { HOST_REASONS, type HostReason } from '../../src/core/readiness/reason';
import { buildHar } from '../../src/core/requests/har';
import type { RequestEntry } from '../../src/core/requests/requestLog';
import { newDomainRecord, newPageView, type DomainRecord } from '../../src/core/tab/model';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { harValidator } from '../support/harSchema';

const T0 = 1_795_440_000_000;
const t = translatorFor(JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, LocaleMessage>);
const describeAddress = createDescriber();

function record(domain: string, address: string, family: 4 | 6, over: Partial<DomainRecord> = {}): DomainRecord {
  const rec = newDomainRecord(domain, T0);
  rec.addresses[address] = { family, responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: T0, lastSeen: T0 + 1_000 };
  rec.primary = address;
  rec.requests = 1;
  rec.responses = 1;
  return { ...rec, ...over };
}

/** A page over IPv6 with one host per DNS-based and literal reason; IPv6 seen here at the fallback host's answer. */
function report(): TabExport {
  const view = newPageView({ id: 'v1', url: 'https://site.example/', mainDomain: 'site.example', committed: true, partial: false, startedAt: T0 });
  for (const r of [
    record('site.example', '2001:db8::1', 6),
    record('fb.example', '192.0.2.2', 4, { dnsIpv6: ['2001:db8::2'] }),
    record('none.example', '192.0.2.3', 4, { dnsIpv6: [] }),
    record('192.0.2.4', '192.0.2.4', 4),
    record('quiet.example', '192.0.2.5', 4),
    record('nat.example', '64:ff9b::c000:206', 4),
  ]) {
    view.domains.set(r.domain, r);
  }
  const seen = newNativeIpv6Seen();
  noteNativeIpv6(seen, T0 + 1_000);
  return tabExport(buildSnapshot(view, describeAddress, Infinity, 0, undefined, seen), T0 + 100_000);
}

const EXPECTED: Record<string, HostReason | null> = {
  'site.example': null,
  'fb.example': 'fallback',
  'none.example': 'no-aaaa',
  '192.0.2.4': 'literal',
  'quiet.example': 'unknown',
  'nat.example': 'nat64',
};

describe('why IPv4 in the exports', () => {
  it('JSON: every domain has a reason, null for the IPv6 host', () => {
    expect(Object.fromEntries(report().domains.map((d) => [d.domain, d.reason]))).toEqual(EXPECTED);
  });

  it('CSV: reason is the last column, empty for the IPv6 host', () => {
    const rows: string[][] = parse(tabCsv(report()), { record_delimiter: '\r\n' });
    expect(CSV_COLUMNS.at(-1)).toBe('reason');
    expect(rows[0]?.at(-1)).toBe('reason');
    expect(Object.fromEntries(rows.slice(1).map((cells) => [cells[1], cells.at(-1)]))).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([d, r]) => [d, r ?? ''])));
  });

  it('Markdown: a "Why IPv4" column with the reason’s word, empty for the IPv6 host', () => {
    const lines = tabMarkdown(report(), t).split('\n');
    const header = lines.find((line) => line.startsWith('| Domain'))?.split(' | ');
    const column = header?.indexOf(t('columnReason')) ?? -1;
    expect(column).toBeGreaterThan(0);
    const cellOf = (domain: string): string | undefined => lines.find((line) => line.includes(`| ${domain} |`) || line.includes(`**${domain}**`))?.split(' | ')[column]?.trim();
    expect(cellOf('site.example')).toBe('');
    expect(cellOf('fb.example')).toBe(t('reasonFallback'));
    expect(cellOf('none.example')).toBe(t('reasonNoAaaa'));
    expect(cellOf('192.0.2.4')).toBe(t('reasonLiteral'));
  });
});

describe('report schema v3, and v2 for older files', () => {
  const load = (version: number) => new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(`src/core/export/report-v${version}.schema.json`, 'utf8')) as object);
  const v3 = load(3);
  const v2 = load(2);
  const spoilReason = (value: unknown) => {
    const r = JSON.parse(JSON.stringify(report())) as { domains: Array<Record<string, unknown>> };
    if (value === undefined) delete r.domains[1]!.reason;
    else r.domains[1]!.reason = value;
    return r;
  };

  it.each(HOST_REASONS)('v3 accepts the reason %s', (reason) => {
    expect(v3(spoilReason(reason)), JSON.stringify(v3.errors)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an unknown reason', 'dns-broken'],
    ['a missing reason', undefined],
    ['a number', 4],
  ])('v3 rejects %s', (_name, value) => {
    expect(v3(spoilReason(value))).toBe(false);
  });

  it('v2 still describes a version 2 file (no reasons, no IPv6 health), and not a version 3 one', () => {
    const current = JSON.parse(JSON.stringify(report())) as { version: number; ipv6Health?: unknown; domains: Array<Record<string, unknown>> };
    expect(v3(current), JSON.stringify(v3.errors)).toBe(true);
    expect(v2(current)).toBe(false);
    const { ipv6Health: _health, ...withoutHealth } = current;
    expect(v3(withoutHealth)).toBe(false);
    const older = { ...withoutHealth, version: 2, domains: current.domains.map(({ reason: _reason, ...domain }) => domain) };
    expect(v2(older), JSON.stringify(v2.errors)).toBe(true);
    expect(v3(older)).toBe(false);
  });
});

describe('HAR: _ipvlensReason on entries to that host', () => {
  const entry = (seq: number, url: string, ip: string): RequestEntry => ({ seq, requestId: `r${seq}`, start: T0 + seq, method: 'GET', url, type: 'script', flags: 0, status: 200, ip, responseAt: T0 + seq + 5, end: T0 + seq + 9 });
  const entries = [entry(1, 'https://site.example/', '2001:db8::1'), entry(2, 'https://fb.example/a.js', '192.0.2.2'), entry(3, 'http://192.0.2.4:8080/x', '192.0.2.4')];
  const reasons = new Map(report().domains.map((d) => [d.domain, d.reason ?? undefined]));
  const har = buildHar({ id: 'v1', url: 'https://site.example/', startedAt: T0 }, entries, { name: 'IPvLens', version: '0' }, (host) => reasons.get(host));

  it('each entry carries its host’s reason; the IPv6 host’s none', () => {
    expect(har.log.entries.map((e) => [new URL(e.request.url).hostname, e._ipvlensReason])).toEqual([
      ['site.example', undefined],
      ['fb.example', 'fallback'],
      ['192.0.2.4', 'literal'],
    ]);
  });

  it('stays valid HAR 1.2, and without reasons has no _ipvlensReason', () => {
    expect(harValidator()(JSON.parse(JSON.stringify(har))).valid).toBe(true);
    const plain = buildHar({ id: 'v1', startedAt: T0 }, entries, { name: 'IPvLens', version: '0' });
    expect(plain.log.entries.some((e) => '_ipvlensReason' in e)).toBe(false);
  });
});
