/**
 * The per-request log as the report page gets it (rows with the address's family and class as
 * they are now, and what the ring left out), and its table: columns, filters and sorting. Pure,
 * so the order and the filtering a user sees are tested here.
 */
import type { Family } from '../address/address';
import type { AddressClass, Describer } from '../address/addressClass';
import { familyKeyOf, type FamilyKey, type SortDirection } from '../view/reportTable';
import { hostOf } from '../tab/url';
import { CutField, MAX_HEADER_VALUE_LENGTH, MAX_URL_LENGTH, cutFieldNames, type CutFieldName } from '../tab/caps';
import { droppedCount, logEntries, REQUEST_FLAG_NAMES, REQUEST_LOG_CAPACITY, RequestFlag, type RequestEntry, type RequestFlagName, type RequestLog } from './requestLog';

export interface RequestRow extends RequestEntry {
  /** The address as shown (an IPv4-mapped peer as its IPv4 address); absent when none was reported. */
  address?: string;
  family?: Family;
  addressClass?: AddressClass;
}

export interface RequestLogSummary {
  tabId: number;
  state: 'ok' | 'no-tab';
  /** The page view the log is of. */
  page?: { id: string; url?: string; startedAt: number };
  rows: RequestRow[];
  /** Requests the page view made, and how many the ring no longer holds. */
  total: number;
  dropped: number;
  capacity: number;
  /** Storage refused the log (full): it is lost if the browser stops the background. */
  notKept: boolean;
}

export function requestRows(log: RequestLog | undefined, describe: Describer): RequestRow[] {
  if (log === undefined) return [];
  return logEntries(log).map((entry) => {
    const row: RequestRow = { ...entry };
    if (entry.ip !== undefined) {
      const info = describe(entry.ip);
      row.address = info?.display ?? entry.ip;
      if (info !== undefined) {
        row.family = info.family;
        row.addressClass = info.addressClass;
      }
    }
    return row;
  });
}

export function requestFlagNames(flags: number): RequestFlagName[] {
  return REQUEST_FLAG_NAMES.filter((name) => (flags & RequestFlag[name]) !== 0);
}

/** The request's duration (start → end), or undefined while in flight. */
export const durationOf = (row: RequestEntry): number | undefined => (row.end === undefined ? undefined : Math.max(0, row.end - row.start));

/** `data-status`: the code, "error" for a failure without one, "" while pending. */
export function statusKeyOf(row: RequestEntry): string {
  if (row.status !== undefined) return String(row.status);
  return row.error !== undefined ? 'error' : '';
}

export const REQUEST_COLUMNS = ['start', 'method', 'url', 'type', 'status', 'address', 'family', 'class', 'flags', 'size', 'duration'] as const;
export type RequestColumn = (typeof REQUEST_COLUMNS)[number];

export interface RequestSort {
  column: RequestColumn;
  direction: SortDirection;
}

export interface RequestFilter {
  families: 'all' | ReadonlySet<FamilyKey>;
  /** One host, or all. */
  domain: string;
  /** One resource type, or all. */
  type: string;
  /** Text anywhere in the URL, address, status or error (case-insensitive). */
  text: string;
}

export const NO_REQUEST_FILTER: RequestFilter = { families: 'all', domain: 'all', type: 'all', text: '' };

function matches(row: RequestRow, filter: RequestFilter, text: string): boolean {
  if (filter.families !== 'all' && !filter.families.has(familyKeyOf(row.family))) return false;
  if (filter.domain !== 'all' && hostOf(row.url) !== filter.domain) return false;
  if (filter.type !== 'all' && row.type !== filter.type) return false;
  if (text === '') return true;
  return [row.url, row.address ?? '', statusKeyOf(row), row.error ?? '', row.method].some((field) => field.toLowerCase().includes(text));
}

export function filterRequests(rows: readonly RequestRow[], filter: RequestFilter): RequestRow[] {
  const text = filter.text.trim().toLowerCase();
  return rows.filter((row) => matches(row, filter, text));
}

type SortValue = number | string | undefined;

function valueOf(row: RequestRow, column: RequestColumn): SortValue {
  switch (column) {
    case 'start':
      return row.start;
    case 'method':
      return row.method;
    case 'url':
      return row.url;
    case 'type':
      return row.type;
    case 'status':
      return row.status ?? (row.error !== undefined ? 0 : undefined);
    case 'address':
      return row.address;
    case 'family':
      // IPv6 before IPv4 ascending, as the domain table.
      return row.family === undefined ? undefined : row.family === 6 ? 0 : 1;
    case 'class':
      return row.addressClass ?? (row.address === undefined ? undefined : 'unparseable');
    case 'flags':
      return row.flags === 0 ? undefined : requestFlagNames(row.flags).join(' ');
    case 'size':
      return row.size;
    case 'duration':
      return durationOf(row);
  }
}

/**
 * Sorted by a column: numbers numerically, text by code point; rows without a value last in both
 * directions; ties in the order the requests were made.
 */
export function sortRequests(rows: readonly RequestRow[], sort: RequestSort): RequestRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, value: valueOf(row, sort.column) }));
  keyed.sort((a, b) => {
    if (a.value === undefined || b.value === undefined) {
      if (a.value !== b.value) return a.value === undefined ? 1 : -1;
    } else if (a.value !== b.value) {
      return (a.value < b.value ? -1 : 1) * sign;
    }
    return a.row.seq - b.row.seq;
  });
  return keyed.map(({ row }) => row);
}

/** Hosts and types present, for the filters' choices (sorted). */
export function requestChoices(rows: readonly RequestRow[]): { domains: string[]; types: string[] } {
  const domains = new Set<string>();
  const types = new Set<string>();
  for (const row of rows) {
    const host = hostOf(row.url);
    if (host !== undefined) domains.add(host);
    types.add(row.type);
  }
  return { domains: [...domains].sort(), types: [...types].sort() };
}

export function requestLogSummary(tabId: number, view: { id: string; url?: string; startedAt: number } | undefined, log: RequestLog | undefined, describe: Describer): RequestLogSummary {
  if (view === undefined) return { tabId, state: 'no-tab', rows: [], total: 0, dropped: 0, capacity: 0, notKept: false };
  const page: RequestLogSummary['page'] = { id: view.id, startedAt: view.startedAt };
  if (view.url !== undefined) page.url = view.url;
  return {
    tabId,
    state: 'ok',
    page,
    rows: requestRows(log, describe),
    total: log?.next ?? 0,
    dropped: log === undefined ? 0 : droppedCount(log),
    capacity: log?.capacity ?? REQUEST_LOG_CAPACITY,
    notKept: log?.notKept === true || log?.overBudget === true,
  };
}

/** How many characters of each value IPvLens keeps (see core/tab/caps.ts). */
export const CUT_LIMITS: Readonly<Record<CutFieldName, number>> = {
  url: MAX_URL_LENGTH,
  method: MAX_HEADER_VALUE_LENGTH,
  redirectUrl: MAX_URL_LENGTH,
  contentType: MAX_HEADER_VALUE_LENGTH,
  contentLength: MAX_HEADER_VALUE_LENGTH,
  statusText: MAX_HEADER_VALUE_LENGTH,
};

/** Whether the request's `field` was cut to its cap. */
export const wasCut = (row: RequestEntry, field: CutFieldName): boolean => ((row.truncated ?? 0) & CutField[field]) !== 0;

/** `data-truncated`: the names of the values cut, space-separated; undefined when none was. */
export function truncatedAttribute(row: RequestEntry): string | undefined {
  const names = cutFieldNames(row.truncated ?? 0);
  return names.length === 0 ? undefined : names.join(' ');
}

/** How long a URL may be in its cell before its middle is left out (the full URL is on hover). */
export const SHORT_URL_LENGTH = 72;

/** The URL without its scheme, its middle left out when it is long: "host/path…?query-end". */
export function shortUrl(url: string, max = SHORT_URL_LENGTH): string {
  const text = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}
