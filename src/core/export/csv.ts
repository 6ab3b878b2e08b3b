/**
 * RFC 4180 CSV: CRLF line ends, every text field quoted ("" for a quote), numbers and booleans
 * (IPvLens's own) bare. Every CSV IPvLens writes (tab reports, the site history, the audit's
 * summary.csv) goes through csvField.
 */
import type { TabExport } from './tabExport';

/**
 * Text a spreadsheet would run as a formula: a page URL, a host or an address the browser
 * reported can hold "=1+1". Quoting is not enough: Excel runs a quoted "=1+1", and where the
 * list separator is ";" (or a tab, or a reader ignores quotes) a cell starts after any ";", ","
 * or tab inside a field: "/x;=WEBSERVICE(…)" becomes a cell "=WEBSERVICE(…)".
 *
 * So wherever a cell could start — the field's start, or after ";", ",", tab, CR or LF inside it,
 * past any spaces and quotes a reader might drop — a "'" goes before =, +, -, @, tab or CR
 * (OWASP's advice: spreadsheets show it as text), and before a "'" already there, so the change
 * can be undone: at each such place, drop one "'".
 */
const CELL_BREAK = new Set([';', ',', '\t', '\r', '\n']);
const SKIPPED_AT_CELL_START = new Set([' ', '"']);
const NEEDS_MARK = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);

export function neutralizeFormula(text: string): string {
  let out = '';
  let atCellStart = true;
  for (const c of text) {
    if (atCellStart && NEEDS_MARK.has(c)) out += "'";
    out += c;
    if (CELL_BREAK.has(c)) atCellStart = true;
    else if (!SKIPPED_AT_CELL_START.has(c)) atCellStart = false;
  }
  return out;
}

/** One field: text neutralised and quoted; numbers and booleans are IPvLens's own and stay bare. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return `"${neutralizeFormula(value).replace(/"/g, '""')}"`;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const CSV_COLUMNS = [
  'page_url',
  'domain',
  'is_main',
  'domain_family',
  'requests',
  'errors',
  'domain_bytes',
  'flags',
  'address',
  'address_display',
  'address_family',
  'address_class',
  'embedded_ipv4',
  'address_responses',
  'address_cached',
  'address_bytes',
  'address_unsized',
  'first_seen',
  'last_seen',
  'domain_readiness',
  'proxy',
  'reason',
] as const;

/** One row per domain × address (a domain with no address yet: one row with the address empty). */
export function tabCsv(report: TabExport): string {
  const rows: Array<Array<string | number | boolean | null | undefined>> = [[...CSV_COLUMNS]];
  for (const domain of report.domains) {
    const common = [report.page.url, domain.domain, domain.isMain, domain.family, domain.requests, domain.errors, domain.bytes, domain.flags.join(' ')];
    // Newer columns last (readiness, proxy, reason): files read by column position keep their columns.
    const proxy = domain.proxy?.mark;
    const reason = domain.reason;
    if (domain.addresses.length === 0) rows.push([...common, '', '', '', '', '', '', '', '', '', domain.firstSeen, domain.lastSeen, domain.readiness, proxy, reason]);
    for (const a of domain.addresses) {
      rows.push([...common, a.address, a.display, a.family, a.class, a.embeddedIPv4, a.responses, a.cachedResponses, a.bytes, a.unsizedResponses, domain.firstSeen, domain.lastSeen, domain.readiness, proxy, reason]);
    }
  }
  return toCsv(rows);
}
