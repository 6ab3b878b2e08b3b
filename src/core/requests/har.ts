/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of a page view's per-request log,
 * built from what the browser reported and nothing more:
 * - `httpVersion` is the version where the browser reports it truthfully (Firefox), else "" (a
 *   string is required; Chrome's status line always says HTTP/1.1, so it is never written);
 * - the response headers are the two IPvLens reads (Content-Length, Content-Type);
 * - `content.size` is the declared Content-Length, or -1 when there is none (it is the size as
 *   sent: with a Content-Encoding the decoded body is larger); `bodySize` the same, 0 for cache hits;
 * - timings: the spec requires send, wait and receive non-negative; the browser gives only the
 *   request's start, its response's start and its end, so send is 0, wait is start → response,
 *   receive response → end (0 while unknown), and blocked/dns/connect/ssl are -1 (not known);
 *   `time` is their sum;
 * - `serverIPAddress` is the address as reported, bare (IPv6 without brackets), absent when the
 *   browser gave none (a Firefox cache hit); behind a proxy it is the proxy's (`_proxy` says so);
 * - a request that failed has status 0 and `_error` (as DevTools writes it);
 * - a value IPvLens cut to its cap (core/tab/caps.ts) is written as kept, and `_truncated` lists
 *   which ("url", "method", "redirectUrl", "contentType", "contentLength", "statusText"); the
 *   entry has no `_truncated` when nothing was cut;
 * - `_ipvlensReason` is why the entry's host was not answered over native IPv6 (the row's
 *   data-reason, core/readiness/reason.ts), absent for an IPv6 host or when not known.
 */
import type { HostReason } from '../readiness/reason';
import { cutFieldNames, type CutFieldName } from '../tab/caps';
import { hostOf } from '../tab/url';
import type { RequestEntry } from './requestLog';
import { RequestFlag } from './requestLog';

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: [];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    headersSize: -1;
    bodySize: -1;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: [];
    headers: HarNameValue[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { blocked: -1; dns: -1; connect: -1; ssl: -1; send: number; wait: number; receive: number };
  serverIPAddress?: string;
  _resourceType: string;
  _fromCache?: true;
  _proxy?: string;
  _error?: string;
  _truncated?: CutFieldName[];
  _ipvlensReason?: HostReason;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: Array<{ id: string; startedDateTime: string; title: string; pageTimings: { onContentLoad: -1; onLoad: -1 } }>;
    entries: HarEntry[];
  };
}

export interface HarPage {
  id: string;
  url?: string;
  startedAt: number;
}

/** Query parameters as the URL has them (decoded, in order); none for a URL that does not parse. */
export function queryStringOf(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** The address without brackets or zone-less changes: "[::1]" → "::1". */
export function bareAddress(ip: string): string {
  return ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
}

const nonNegative = (ms: number): number => Math.max(0, Math.round(ms * 1000) / 1000);

/** Why a host (as the tracker keys it) was not answered over native IPv6; undefined for none. */
export type ReasonOfHost = (host: string) => HostReason | undefined;

function harEntry(entry: RequestEntry, pageref: string, reasonOf: ReasonOfHost | undefined): HarEntry {
  const wait = entry.responseAt !== undefined ? nonNegative(entry.responseAt - entry.start) : entry.end !== undefined ? nonNegative(entry.end - entry.start) : 0;
  const receive = entry.responseAt !== undefined && entry.end !== undefined ? nonNegative(entry.end - entry.responseAt) : 0;
  const version = entry.httpVersion ?? '';
  const fromCache = (entry.flags & RequestFlag.cache) !== 0;
  const headers: HarNameValue[] = [];
  if (entry.contentLength !== undefined) headers.push({ name: 'Content-Length', value: entry.contentLength });
  if (entry.contentType !== undefined) headers.push({ name: 'Content-Type', value: entry.contentType });
  const har: HarEntry = {
    pageref,
    startedDateTime: new Date(entry.start).toISOString(),
    time: nonNegative(wait + receive),
    request: { method: entry.method, url: entry.url, httpVersion: version, cookies: [], headers: [], queryString: queryStringOf(entry.url), headersSize: -1, bodySize: -1 },
    response: {
      status: entry.status ?? 0,
      statusText: entry.statusText ?? '',
      httpVersion: version,
      cookies: [],
      headers,
      content: { size: entry.size ?? -1, mimeType: entry.contentType ?? '' },
      redirectURL: entry.redirectUrl ?? '',
      headersSize: -1,
      bodySize: fromCache ? 0 : (entry.size ?? -1),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive },
    _resourceType: entry.type,
  };
  if (entry.ip !== undefined && entry.ip !== '') har.serverIPAddress = bareAddress(entry.ip);
  if (fromCache) har._fromCache = true;
  if (entry.proxy !== undefined) har._proxy = entry.proxy;
  if (entry.error !== undefined) har._error = entry.error;
  const truncated = cutFieldNames(entry.truncated ?? 0);
  if (truncated.length > 0) har._truncated = truncated;
  const host = reasonOf === undefined ? undefined : hostOf(entry.url);
  const reason = host === undefined ? undefined : reasonOf?.(host);
  if (reason !== undefined) har._ipvlensReason = reason;
  return har;
}

export function buildHar(page: HarPage, entries: readonly RequestEntry[], creator: { name: string; version: string }, reasonOf?: ReasonOfHost): Har {
  const pageref = `page_${page.id}`;
  const ordered = [...entries].sort((a, b) => a.start - b.start || a.seq - b.seq);
  return {
    log: {
      version: '1.2',
      creator: { name: creator.name, version: creator.version },
      pages: [{ id: pageref, startedDateTime: new Date(page.startedAt).toISOString(), title: page.url ?? '', pageTimings: { onContentLoad: -1, onLoad: -1 } }],
      entries: ordered.map((entry) => harEntry(entry, pageref, reasonOf)),
    },
  };
}
