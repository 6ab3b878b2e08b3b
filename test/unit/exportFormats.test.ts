import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { createDescriber } from '../../src/core/address/addressClass';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, csvField, neutralizeFormula, tabCsv, toCsv } from '../../src/core/export/csv';
import { exportFileName } from '../../src/core/export/fileName';
import { markdownCell, tabMarkdown } from '../../src/core/export/markdown';
import { tabExport, REPORT_VERSION, type TabExport } from '../../src/core/export/tabExport';
import { translatorFor, type LocaleMessage } from '../../src/core/i18n';
import { newDomainRecord, newPageView, type DomainRecord, type PageView } from '../../src/core/tab/model';
import { buildSnapshot } from '../../src/core/view/snapshot';

const t = translatorFor(JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, LocaleMessage>);
const describe_ = createDescriber();

function record(domain: string, addresses: Record<string, { family: 4 | 6; responses: number; bytes?: number }>, over: Partial<DomainRecord> = {}): DomainRecord {
  const rec = newDomainRecord(domain, 1_795_440_000_000);
  for (const [address, stat] of Object.entries(addresses)) {
    rec.addresses[address] = { family: stat.family, responses: stat.responses, cached: 0, bytes: stat.bytes ?? 0, unsized: 0, firstSeen: 1_795_440_000_000, lastSeen: 1_795_440_001_000 };
    rec.primary ??= address;
    rec.requests += stat.responses;
    rec.responses += stat.responses;
    rec.bytes += stat.bytes ?? 0;
  }
  return { ...rec, ...over };
}

function view(records: DomainRecord[], mainDomain = 'example.org'): PageView {
  const v = newPageView({ id: 'v1', url: `https://${mainDomain}/`, mainDomain, committed: true, partial: false, startedAt: 1_795_440_000_000 });
  for (const r of records) v.domains.set(r.domain, r);
  return v;
}

const reportOf = (records: DomainRecord[]) => tabExport(buildSnapshot(view(records), describe_), 1_795_440_100_000);

/** Rows as a maintained RFC 4180 reader reads them (quoted fields with "" and line breaks). */
const parseCsv = (text: string): string[][] => parse(text, { record_delimiter: '\r\n', relax_column_count: true });

/** Cells as a reader that splits on `separator` and ignores quotes sees them (Excel in a ";" locale, at worst). */
const naiveCells = (text: string, separator: string): string[] => text.split(/\r\n|\r|\n/).flatMap((line) => line.split(separator));
const FORMULA_CELL = /^[\s"]*[=+\-@]/;

describe('csvField: text quoted, numbers and booleans bare', () => {
  it.each<[string | number | boolean | null | undefined, string]>([
    ['plain', '"plain"'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['bücher.example', '"bücher.example"'],
    ['', '""'],
    [42, '42'],
    [1.5, '1.5'],
    [0, '0'],
    // A negative number is still a number, not a formula.
    [-5, '-5'],
    [true, 'true'],
    [false, 'false'],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (value, text) => {
    expect(csvField(value)).toBe(text);
  });

  it('round-trips awkward values through csv-parse', () => {
    const awkward = [['a,b', 'say "hi"', 'x\r\ny', 'ünïcødé.例え.jp', '', 'https://e.org/?q=1.2&x="3"']];
    expect(parseCsv(toCsv(awkward))).toEqual(awkward);
  });
});

describe("formula neutralisation: a ' before = + - @ tab CR (or ') wherever a cell could start", () => {
  it.each<[string, string]>([
    // At the field's start (OWASP's advice).
    ['=1+1', "'=1+1"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['+1', "'+1"],
    ['-x.v4.test', "'-x.v4.test"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t'=1"],
    ['\r=1', "'\r'=1"],
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    // After a ";", "," or tab inside the field: a cell where Excel splits on ";" (or on tabs).
    ['/x;=WEBSERVICE("http://e")', `/x;'=WEBSERVICE("http://e")`],
    ['/p?a=1;+2;-3;@4', "/p?a=1;'+2;'-3;'@4"],
    ['a,=b', "a,'=b"],
    ['a\t@b', "a\t'@b"],
    ['line\n=1', "line\n'=1"],
    // Past spaces and quotes a reader may drop.
    [' =1', " '=1"],
    ['a; "=1', `a; "'=1`],
    // A "'" already at a cell's start gets one more, so the mark can be taken off again.
    ["'quoted", "''quoted"],
    ["a;'=b", "a;''=b"],
    // Safe text is left alone: the characters count only where a cell starts.
    ['a=1', 'a=1'],
    ['x-y.example', 'x-y.example'],
    ['/p?q=1&r=-2', '/p?q=1&r=-2'],
    ['2001:db8::1', '2001:db8::1'],
    ["it's", "it's"],
    ['2026-11-23T12:00:00.000Z', '2026-11-23T12:00:00.000Z'],
    ['', ''],
  ])('%j → %j', (text, neutralised) => {
    expect(neutralizeFormula(text)).toBe(neutralised);
    expect(csvField(text)).toBe(`"${neutralised.replace(/"/g, '""')}"`);
  });

  it('no cell starts a formula whether a reader splits on ",", ";" or tab, with or without quotes', () => {
    const risky = ['=1+1', '+1', '-1', '@a', '\tx', '\rx', '/x;=WEBSERVICE("http://e")', 'a,=b', 'a\t-b', 'a; "=1', 'a;""+1', 'x\n@y'];
    const csv = toCsv([risky, [3, 4]]);
    for (const separator of [',', ';', '\t']) {
      const cells = naiveCells(csv, separator);
      expect(cells.filter((cell) => FORMULA_CELL.test(cell)), separator).toEqual([]);
    }
    expect(parse(csv, { delimiter: ';', quote: false, relax_column_count: true }).flat().filter((cell: string) => FORMULA_CELL.test(cell))).toEqual([]);
    // Positive control: the same readers find the formula cells of a file written without the marks.
    const unmarked = risky.map((text) => `"${text.replace(/"/g, '""')}"`).join(',');
    expect(naiveCells(unmarked, ';').filter((cell) => FORMULA_CELL.test(cell)).length).toBeGreaterThan(0);
    expect(naiveCells(unmarked, ',').filter((cell) => FORMULA_CELL.test(cell)).length).toBeGreaterThan(0);
    expect(parseCsv(csv)[0]).toEqual(risky.map(neutralizeFormula));
  });

  it('a tab report with a formula host, a formula "address" from the browser and a ";=" URL', () => {
    const host = "=cmd|' /C calc'!a0";
    const records = [record(host, { '=1+1': { family: 4, responses: 2 } }), record('safe.example', { '192.0.2.1': { family: 4, responses: 1 } })];
    const report = tabExport(buildSnapshot({ ...view(records), url: 'https://example.org/x;=WEBSERVICE(1)?a=-1' }, describe_), 1_795_440_100_000);
    const rows = parseCsv(tabCsv(report));
    expect(rows.slice(1).map((r) => [r[0], r[1], r[8], r[9], r[13]])).toEqual([
      ["https://example.org/x;'=WEBSERVICE(1)?a=-1", "'" + host, "'=1+1", "'=1+1", '2'],
      ["https://example.org/x;'=WEBSERVICE(1)?a=-1", 'safe.example', '192.0.2.1', '192.0.2.1', '1'],
    ]);
    // Counts stay numbers, written bare: every numeric column is a non-negative integer.
    expect(tabCsv(report).split('\r\n')[1]).toContain(`,false,"IPv4",2,0,0,`);
    for (const r of rows.slice(1)) for (const column of [4, 5, 6, 13, 14, 15, 16]) expect(Number.isSafeInteger(Number(r[column])) && Number(r[column]) >= 0, `${column}: ${r[column]}`).toBe(true);
  });
});

describe('tabCsv', () => {
  it('has a header and one row per domain × address, a domain without address once', () => {
    const report = reportOf([
      record('example.org', { '2001:db8::1': { family: 6, responses: 3, bytes: 300 }, '192.0.2.1': { family: 4, responses: 1, bytes: 10 } }),
      record('pending.example', {}, { requests: 2 }),
    ]);
    const rows = parseCsv(tabCsv(report));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[1], r[8], r[10], r[11], r[13], r[19]])).toEqual([
      ['example.org', '2001:db8::1', 'IPv6', 'documentation', '3', 'ipv6'],
      ['example.org', '192.0.2.1', 'IPv4', 'documentation', '1', 'ipv6'],
      ['pending.example', '', '', '', '', 'unknown'],
    ]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('is a header only for an empty tab', () => {
    expect(parseCsv(tabCsv(reportOf([])))).toEqual([[...CSV_COLUMNS]]);
  });

  it('handles 2,000 domains', () => {
    const records = Array.from({ length: 2000 }, (_, i) => record(`d${i}.example.org`, { [`2001:db8::${(i + 1).toString(16)}`]: { family: 6, responses: 1 } }));
    const rows = parseCsv(tabCsv(reportOf(records)));
    expect(rows).toHaveLength(2001);
    expect(new Set(rows.slice(1).map((r) => r[1])).size).toBe(2000);
  });
});

describe('tabMarkdown', () => {
  it('writes a summary line and a table, escaping pipes', () => {
    const report = reportOf([record('example.org', { '2001:db8::1': { family: 6, responses: 3, bytes: 1500 } }), record('a|b.example', { '192.0.2.1': { family: 4, responses: 1 } })]);
    const text = tabMarkdown(report, t);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('## IPvLens report: example.org');
    expect(lines[2]).toBe('IPv6: 50 % of 2 domains, 75 % of 4 requests, 100 % of 1.50 kB.');
    expect(lines[4]).toBe('IPv6-only: unknown, with NAT64: ready, score 75 %');
    expect(lines[6]).toBe('No IPv6 seen here yet');
    expect(lines[8]).toBe('| Domain | Address | Family | Class | IPv6-only | Why IPv4 | Requests | Size |');
    expect(lines[9]).toBe('| --- | --- | --- | --- | --- | --- | ---: | ---: |');
    expect(lines).toContain('| **example.org** | `2001:db8::1` | IPv6 | documentation | IPv6 |  | 3 | 1.50 kB |');
    expect(lines).toContain('| a\\|b.example | `192.0.2.1` | IPv4 | documentation | unknown | no evidence | 1 | 0 B |');
  });

  it.each<[string, string]>([
    ['a|b', 'a\\|b'],
    ['line\nbreak', 'line break'],
    ['back\\slash', 'back\\\\slash'],
  ])('cell %j → %j', (text, cell) => {
    expect(markdownCell(text)).toBe(cell);
  });
});

describe('tabExport', () => {
  it.each<[string, DomainRecord[], Pick<TabExport, 'verdict' | 'verdictNat64' | 'score' | 'scoreWithPublished'>, Record<string, string>]>([
    [
      'an IPv6 page with an IPv4 literal',
      [record('example.org', { '2001:db8::1': { family: 6, responses: 3 } }), record('192.0.2.5', { '192.0.2.5': { family: 4, responses: 1 } })],
      { verdict: 'not-ready', verdictNat64: 'not-ready', score: 75, scoreWithPublished: 75 },
      { 'example.org': 'ipv6', '192.0.2.5': 'ipv4-literal' },
    ],
    [
      'a published third party',
      [record('example.org', { '2001:db8::1': { family: 6, responses: 1 } }), record('cdn.example', { '192.0.2.1': { family: 4, responses: 1 } }, { dnsIpv6: ['2001:db8::2'] })],
      { verdict: 'ready', verdictNat64: 'ready', score: 50, scoreWithPublished: 100 },
      { 'example.org': 'ipv6', 'cdn.example': 'published' },
    ],
  ])('carries the verdicts, scores and readiness: %s', (_name, records, verdicts, readiness) => {
    const report = reportOf(records);
    expect(report).toMatchObject(verdicts);
    expect(Object.fromEntries(report.domains.map((d) => [d.domain, d.readiness]))).toEqual(readiness);
  });

  it('carries version, page, time range, shares and per-address figures', () => {
    const report = reportOf([record('example.org', { '64:ff9b::c000:201': { family: 4, responses: 2, bytes: 80 } })]);
    expect(report).toMatchObject({
      format: 'ipvlens-tab-report',
      version: REPORT_VERSION,
      generatedAt: new Date(1_795_440_100_000).toISOString(),
      page: { url: 'https://example.org/', mainDomain: 'example.org', partial: false },
      summary: { requests: { counts: { v4: 2, v6: 0, unknown: 0 }, percent: { v4: 100, v6: 0, unknown: 0 } } },
    });
    expect(report.domains[0]?.addresses[0]).toMatchObject({ address: '64:ff9b::c000:201', display: '64:ff9b::192.0.2.1', family: 'IPv4', class: 'nat64', embeddedIPv4: '192.0.2.1', nat64Prefix: '64:ff9b::/96', bytes: 80 });
  });
});

describe('exportFileName', () => {
  const at = new Date(2026, 10, 23, 12, 3, 59);
  it.each<[string | undefined, string, string]>([
    ['example.org', 'csv', 'ipvlens-example.org-2026-11-23T12-03.csv'],
    ['[2001:db8::1]', 'json', 'ipvlens-2001-db8-1-2026-11-23T12-03.json'],
    [undefined, 'md', 'ipvlens-page-2026-11-23T12-03.md'],
    ['a/../b', 'csv', 'ipvlens-a-..-b-2026-11-23T12-03.csv'],
  ])('%s, %s → %s', (site, extension, name) => {
    expect(exportFileName(site, at, extension)).toBe(name);
  });
});

describe('report JSON schema', () => {
  const schema = JSON.parse(readFileSync('src/core/export/report-v3.schema.json', 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  const full = () =>
    reportOf([
      record('example.org', { '2001:db8::1': { family: 6, responses: 3, bytes: 300 }, '64:ff9b::c000:201': { family: 4, responses: 1 } }, { flags: 33, httpVersions: ['HTTP/2'] }),
      record('pending.example', {}, { requests: 2 }),
      record('odd.example', { 'not-an-address': { family: 4, responses: 1 } }),
    ]);

  it.each<[string, () => unknown]>([
    ['a report with every kind of row', full],
    ['an empty tab', () => reportOf([])],
    ['a report after a JSON round trip', (): unknown => JSON.parse(JSON.stringify(full())) as unknown],
  ])('accepts %s', (_name, make) => {
    expect(validate(make()), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each<[string, (report: Record<string, unknown>) => unknown]>([
    ['another format', (r) => ({ ...r, format: 'something-else' })],
    ['another version', (r) => ({ ...r, version: 1 })],
    ['a missing verdict', ({ verdict: _verdict, ...r }) => r],
    ['an unknown verdict', (r) => ({ ...r, verdictNat64: 'maybe' })],
    ['a score above 100', (r) => ({ ...r, score: 101 })],
    ['a fractional score', (r) => ({ ...r, scoreWithPublished: 50.5 })],
    ['a domain without readiness', (r) => ({ ...r, domains: [(({ readiness: _r, ...d }) => d)((r.domains as Array<Record<string, unknown>>)[0]!)] })],
    ['an unknown readiness', (r) => ({ ...r, domains: [{ ...(r.domains as object[])[0], readiness: 'ipv5' }] })],
    ['a missing summary', ({ summary: _summary, ...r }) => r],
    ['an unknown field', (r) => ({ ...r, extra: true })],
    ['a negative count', (r) => ({ ...r, domains: [{ ...(r.domains as object[])[0], requests: -1 }] })],
    ['a bad family', (r) => ({ ...r, domains: [{ ...(r.domains as object[])[0], family: 'IPv5' }] })],
    ['a time that is not ISO 8601 UTC', (r) => ({ ...r, generatedAt: 'yesterday' })],
  ])('rejects %s', (_name, spoil) => {
    expect(validate(spoil(full() as unknown as Record<string, unknown>))).toBe(false);
  });
});
