/**
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF. Every CSV
 * IPvLens writes (tab reports, the site history) goes through csvField.
 */
import type { TabExport } from './tabExport';

/**
 * Text a spreadsheet would run as a formula (a host or an address the browser reported can be
 * "=1+1"): a leading =, +, -, @, tab or CR. OWASP's advice: prefix such a field with "'", which
 * spreadsheets show as text and do not evaluate.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field. Text is neutralised; numbers and booleans are IPvLens's own and stay as they are. */
export function csvField(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? neutralizeFormula(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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
] as const;

/** One row per domain × address (a domain with no address yet: one row with the address empty). */
export function tabCsv(report: TabExport): string {
  const rows: Array<Array<string | number | boolean | null | undefined>> = [[...CSV_COLUMNS]];
  for (const domain of report.domains) {
    const common = [report.page.url, domain.domain, domain.isMain, domain.family, domain.requests, domain.errors, domain.bytes, domain.flags.join(' ')];
    // Newer columns last (readiness, proxy): files read by column position keep their columns.
    const proxy = domain.proxy?.mark;
    if (domain.addresses.length === 0) rows.push([...common, '', '', '', '', '', '', '', '', '', domain.firstSeen, domain.lastSeen, domain.readiness, proxy]);
    for (const a of domain.addresses) {
      rows.push([...common, a.address, a.display, a.family, a.class, a.embeddedIPv4, a.responses, a.cachedResponses, a.bytes, a.unsizedResponses, domain.firstSeen, domain.lastSeen, domain.readiness, proxy]);
    }
  }
  return toCsv(rows);
}
