/**
 * The report page's table as data: its columns, how each one sorts, and the filters. Pure, so the
 * order a user sees is tested here rather than through the page.
 *
 * Sorting rules, the same for every column:
 * - numbers sort numerically, text by code point (no locale: the order is the same everywhere);
 * - a value that does not exist (no address yet, no flags, family unknown) sorts last in both
 *   directions, so flipping the direction never buries the rows that have a value;
 * - ties are broken by domain, always A→Z, so rows never jump around between two renders.
 */
import { parseAddress, type Family } from '../address/address';
import { ADDRESS_CLASSES, type AddressClass } from '../address/addressClass';
import { requestsInLastMinute } from '../live/live';
import type { Readiness } from '../readiness/readiness';
import { domainSortKey, type DomainSnapshot } from './snapshot';

export const REPORT_COLUMNS = [
  'domain',
  'address',
  'family',
  'class',
  'readiness',
  'flags',
  'requests',
  'responses',
  'errors',
  'lastMinute',
  'bytes',
  'unsized',
  'addresses',
  'firstSeen',
  'lastSeen',
] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/**
 * The columns shown until the reader picks others (the report's Columns menu): what one needs to
 * read a page's IPv6 use, and what fits on one line at 1280 px. Always in REPORT_COLUMNS order.
 */
export const DEFAULT_REPORT_COLUMNS: readonly ReportColumn[] = ['domain', 'address', 'family', 'class', 'readiness', 'flags', 'requests', 'errors', 'lastMinute', 'bytes', 'lastSeen'];

/** `shown` in table order, the domain always first (it names the row). */
export function shownColumns(shown: ReadonlySet<ReportColumn>): ReportColumn[] {
  return REPORT_COLUMNS.filter((column) => column === 'domain' || shown.has(column));
}

export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  column: ReportColumn;
  direction: SortDirection;
}

/** The stable `data-family` value: '6', '4', or '?' while no response has said. */
export type FamilyKey = '6' | '4' | '?';
export const FAMILY_KEYS: readonly FamilyKey[] = ['6', '4', '?'];

/** A row's class for filtering: its primary address's class, 'unparseable', or 'none' (no address yet). */
export type ClassKey = AddressClass | 'unparseable' | 'none';
const CLASS_ORDER: readonly ClassKey[] = [...ADDRESS_CLASSES, 'unparseable', 'none'];

/** Readiness from proven to blocking: ascending reads best first, descending puts what blocks on top. */
export const READINESS_ORDER: readonly Readiness[] = ['ipv6', 'published', 'unknown', 'ipv4-only', 'ipv4-literal'];

export function familyKeyOf(family: Family | undefined): FamilyKey {
  return family === 6 ? '6' : family === 4 ? '4' : '?';
}

export function classKeyOf(row: DomainSnapshot): ClassKey {
  if (row.address === undefined) return 'none';
  return row.addressClass ?? 'unparseable';
}

/** Flags as they are shown (TLS is the norm and is not shown), then the HTTP versions. */
function shownFlags(row: DomainSnapshot): string {
  return [...row.flags.filter((flag) => flag !== 'tls'), ...row.httpVersions].join(' ');
}

/**
 * Where an address sorts: IPv6 before IPv4 (as the family column), each numerically by its bytes,
 * then text that is not an address. Uses the text shown, so a mapped peer sorts as the IPv4 it is.
 */
function addressKey(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed.ok) return `2${address}`;
  const hex = Array.from(parsed.bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${parsed.bytes.length === 16 ? '0' : '1'}${hex}`;
}

type SortValue = number | string | undefined;

/**
 * The value a column sorts by. Domains sort by the popup's grouping key ("a.cdn.example.com" as
 * "com.example.cdn.a"), so a site's subdomains stay together, as in the popup; `now` is for the
 * last-minute column.
 */
function sortValue(row: DomainSnapshot, column: ReportColumn, now: number): SortValue {
  switch (column) {
    case 'domain':
      return domainSortKey(row.domain);
    case 'address':
      return row.address === undefined ? undefined : addressKey(row.address);
    case 'family':
      // IPv6 first: this is a report on IPv6 use.
      return row.family === 6 ? 0 : row.family === 4 ? 1 : undefined;
    case 'class':
      return row.address === undefined ? undefined : classKeyOf(row);
    case 'readiness':
      return READINESS_ORDER.indexOf(row.readiness);
    case 'flags':
      return shownFlags(row) || undefined;
    case 'requests':
    case 'responses':
    case 'errors':
    case 'bytes':
    case 'unsized':
    case 'firstSeen':
    case 'lastSeen':
      return row[column];
    case 'lastMinute':
      return requestsInLastMinute(row.recent, now);
    case 'addresses':
      return row.addresses.length;
  }
}

/** Counts are most useful biggest first; text, family and times read naturally from the top. */
export function defaultDirection(column: ReportColumn): SortDirection {
  switch (column) {
    case 'requests':
    case 'responses':
    case 'errors':
    case 'lastMinute':
    case 'bytes':
    case 'unsized':
    case 'addresses':
    case 'readiness':
      return 'descending';
    default:
      return 'ascending';
  }
}

/** Clicking a column's header: the other direction on the sorted column, else its default. */
export function nextSort(current: SortOrder, column: ReportColumn): SortOrder {
  if (current.column !== column) return { column, direction: defaultDirection(column) };
  return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === undefined || b === undefined) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy of `rows` (see the rules at the top of this file). */
export function sortRows(rows: readonly DomainSnapshot[], order: SortOrder, now: number): DomainSnapshot[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  // Each value is worked out once, not once per comparison: 2,000 rows are about 22,000 comparisons.
  const keyed = rows.map((row) => ({ row, value: sortValue(row, order.column, now), tie: row.domain }));
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      if (a.value !== b.value) return a.value === undefined ? 1 : -1;
    } else {
      const byValue = compareValues(a.value, b.value) * sign;
      if (byValue !== 0) return byValue;
    }
    return a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0;
  });
  return keyed.map((entry) => entry.row);
}

export interface RowFilter {
  families: ReadonlySet<FamilyKey> | 'all';
  classes: ReadonlySet<ClassKey> | 'all';
  /** Absent: every readiness. */
  readiness?: ReadonlySet<Readiness> | 'all';
  /** Case-insensitive part of the domain or of any of its addresses (as shown or canonical). */
  text?: string;
}

export const NO_FILTER: RowFilter = { families: 'all', classes: 'all' };

function matchesText(row: DomainSnapshot, needle: string): boolean {
  if (row.domain.toLowerCase().includes(needle)) return true;
  return row.addresses.some((a) => a.address.toLowerCase().includes(needle) || a.canonical.toLowerCase().includes(needle));
}

export function filterRows(rows: readonly DomainSnapshot[], filter: RowFilter): DomainSnapshot[] {
  const needle = (filter.text ?? '').trim().toLowerCase();
  const { families, classes } = filter;
  const readiness = filter.readiness ?? 'all';
  return rows.filter(
    (row) =>
      (families === 'all' || families.has(familyKeyOf(row.family))) &&
      (classes === 'all' || classes.has(classKeyOf(row))) &&
      (readiness === 'all' || readiness.has(row.readiness)) &&
      (needle === '' || matchesText(row, needle)),
  );
}

/** The readiness values the rows have, proven first: the readiness filter's choices. */
export function readinessPresent(rows: readonly DomainSnapshot[]): Readiness[] {
  const present = new Set(rows.map((row) => row.readiness));
  return READINESS_ORDER.filter((value) => present.has(value));
}

/** The classes the rows have, in the registry's order: the class filter's choices. */
export function classesPresent(rows: readonly DomainSnapshot[]): ClassKey[] {
  const present = new Set(rows.map(classKeyOf));
  return CLASS_ORDER.filter((key) => present.has(key));
}
