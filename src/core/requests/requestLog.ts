/**
 * The per-request log of a page view: a ring of its last REQUEST_LOG_CAPACITY requests, each an
 * entry filled in as its events arrive (start, response or redirect, end). Memory is bounded by
 * the ring and by the requests in flight; each request costs its entry and nothing else.
 *
 * Entries are numbered in order (`seq`); storage keeps them in chunks of REQUEST_CHUNK_SIZE by
 * that number, so a write holds only the chunks that changed (see requestCodec.ts), and within a
 * chunk mostly only the entries that changed: appended under a key of their own, compacted into
 * the chunk's key from time to time (see requestStore.ts).
 */
import { proxyEndpoint, type ReportedProxy } from '../proxy/reportedProxy';
import { CutField } from '../tab/caps';

/** How many requests a page view keeps: the oldest go when more arrive. */
export const REQUEST_LOG_CAPACITY = 2000;
/** Entries per storage key. */
export const REQUEST_CHUNK_SIZE = 25;

/**
 * Append keys a chunk may have before its next write compacts them into the chunk's key: bounds
 * the keys a chunk leaves in storage while it fills, and the work of putting it together again.
 */
export const MAX_CHUNK_APPENDS = 8;

/** Bit flags of one request. */
export const RequestFlag = {
  cache: 1,
  serviceWorker: 2,
  proxy: 4,
  redirect: 8,
} as const;
export type RequestFlagName = keyof typeof RequestFlag;
export const REQUEST_FLAG_NAMES = Object.keys(RequestFlag) as RequestFlagName[];

export interface RequestEntry {
  /** Its place in the page view's sequence of requests (0 for the first). */
  seq: number;
  requestId: string;
  /** ms since the epoch, as the browser timed it. */
  start: number;
  method: string;
  url: string;
  /** webRequest ResourceType. */
  type: string;
  flags: number;
  status?: number;
  /** The reason phrase, where the browser reports the status line truthfully (Firefox). */
  statusText?: string;
  /** The address the browser reported (the proxy's when `proxy` is set); absent when it gave none. */
  ip?: string;
  /** "host:port" of the proxy the browser said it went through. */
  proxy?: string;
  /** Body size declared by Content-Length (see bodySize.ts); absent: unknown. */
  size?: number;
  /** Raw values of the response headers read: Content-Length and Content-Type. */
  contentLength?: string;
  contentType?: string;
  /** When the response (or redirect) started. */
  responseAt?: number;
  /** When the request completed, failed or was redirected. */
  end?: number;
  error?: string;
  /** "HTTP/1.1", "HTTP/2", "HTTP/3": only where the browser reports it truthfully (Firefox). */
  httpVersion?: string;
  redirectUrl?: string;
  /** Values cut to their cap (CutField bits, core/tab/caps.ts); absent when nothing was. */
  truncated?: number;
}

/** The cut marks a request's start and its response may carry. */
const START_CUTS = CutField.url | CutField.method;
const RESPONSE_CUTS = CutField.redirectUrl | CutField.contentType | CutField.contentLength | CutField.statusText;

function markCut(entry: RequestEntry, cut: number | undefined, fields: number): void {
  const bits = (cut ?? 0) & fields;
  if (bits !== 0) entry.truncated = (entry.truncated ?? 0) | bits;
}

export interface RequestLog {
  /** entries[seq % capacity]; a slot is empty until used (or when its entry could not be restored). */
  slots: Array<RequestEntry | undefined>;
  capacity: number;
  /** The seq the next request gets: how many requests the view has made. */
  next: number;
  /** Requests in flight by request id: their newest hop (redirect hops share the id). */
  open: Map<string, RequestEntry>;
  /** Chunks changed since the last write. */
  dirty: Set<number>;
  /** Entries (by seq) changed since the last write: what an append of their chunk holds. */
  changedSeqs: Set<number>;
  /** What storage holds of each chunk written under the current keys (see ChunkStore). */
  stores: Map<number, ChunkStore>;
  /** Chunks the ring has moved past since the last write: their stored keys are to go. */
  evicted: number[];
  /** Bumped on every change: open report pages are sent the log only when it moved. */
  version: number;
  /** Storage refused this log's chunks for lack of space: the report says so. */
  notKept?: true;
  /** The logs of all tabs filled their share of storage (see requestStore.ts): this one is no longer written. */
  overBudget?: true;
}

/**
 * A chunk in storage: its key (the entries as of its last compaction, which covers the appends
 * numbered below `since`) and its append keys `from` … `next − 1`. Those below `since` are stale;
 * those below `acked` are covered by a key storage acknowledged, and may go (an append is never
 * removed before what replaces it is stored).
 */
export interface ChunkStore {
  from: number;
  acked: number;
  since: number;
  next: number;
}

export function newRequestLog(capacity = REQUEST_LOG_CAPACITY): RequestLog {
  return { slots: new Array<RequestEntry | undefined>(capacity), capacity, next: 0, open: new Map(), dirty: new Set(), changedSeqs: new Set(), stores: new Map(), evicted: [], version: 0 };
}

export const chunkOf = (seq: number): number => Math.floor(seq / REQUEST_CHUNK_SIZE);

/** The lowest seq still in the ring. */
export function oldestSeq(log: RequestLog): number {
  return Math.max(0, log.next - log.capacity);
}

/** Entries kept, oldest first. */
export function logEntries(log: RequestLog): RequestEntry[] {
  const entries: RequestEntry[] = [];
  for (let seq = oldestSeq(log); seq < log.next; seq++) {
    const entry = log.slots[seq % log.capacity];
    if (entry?.seq === seq) entries.push(entry);
  }
  return entries;
}

/** Requests the view made that the ring no longer holds. */
export function droppedCount(log: RequestLog): number {
  return log.next - logEntries(log).length;
}

function changed(log: RequestLog, entry: RequestEntry): void {
  log.dirty.add(chunkOf(entry.seq));
  log.changedSeqs.add(entry.seq);
  log.version++;
}

/** What a request's start tells. */
export interface StartFacts {
  requestId: string;
  url: string;
  type: string;
  method?: string;
  time: number;
  tabId: number;
  /** Which values were cut to their cap (CutField bits). */
  cut?: number;
}

/** Appends a request; the oldest entry goes when the ring is full. */
export function logRequestStart(log: RequestLog, facts: StartFacts): RequestEntry {
  const seq = log.next++;
  const slot = seq % log.capacity;
  const evicted = log.slots[slot];
  if (evicted !== undefined && log.open.get(evicted.requestId) === evicted) log.open.delete(evicted.requestId);
  // The ring just left a whole chunk behind: it is no longer to be stored, and what storage holds
  // of it is to go. Nothing else of it is kept, written or not (a log whose writes never come, as
  // in a build without them, would otherwise keep a number for every request it ever saw).
  const oldest = oldestSeq(log);
  if (oldest > 0 && oldest % REQUEST_CHUNK_SIZE === 0) {
    const gone = chunkOf(oldest) - 1;
    log.dirty.delete(gone);
    for (let old = gone * REQUEST_CHUNK_SIZE; old < oldest; old++) log.changedSeqs.delete(old);
    if (log.stores.has(gone)) log.evicted.push(gone);
  }
  const entry: RequestEntry = {
    seq,
    requestId: facts.requestId,
    start: facts.time,
    method: facts.method ?? 'GET',
    url: facts.url,
    type: facts.type,
    flags: facts.tabId < 0 ? RequestFlag.serviceWorker : 0,
  };
  markCut(entry, facts.cut, START_CUTS);
  log.slots[slot] = entry;
  log.open.set(facts.requestId, entry);
  changed(log, entry);
  return entry;
}

/** What a response (or a redirect, which is one) tells. */
export interface ResponseFacts {
  requestId: string;
  time: number;
  ip?: string;
  fromCache: boolean;
  statusCode?: number;
  statusLine?: string;
  bodyBytes?: number;
  contentLength?: string;
  contentType?: string;
  proxy?: ReportedProxy;
  redirectUrl?: string;
  cut?: number;
}

/** "HTTP/2.0 200 OK" → "HTTP/2"; undefined for anything else. */
export function httpVersionOf(statusLine: string): string | undefined {
  const match = /^HTTP\/(\d(?:\.\d)?)/i.exec(statusLine);
  if (match === null) return undefined;
  const version = match[1] ?? '';
  return `HTTP/${version === '2.0' ? '2' : version === '3.0' ? '3' : version}`;
}

/** The reason phrase of a status line ("OK" of "HTTP/1.1 200 OK"); undefined when there is none. */
function reasonOf(statusLine: string): string | undefined {
  const match = /^\S+\s+\d{3}\s+(.+)$/.exec(statusLine.trim());
  return match?.[1];
}

export function logResponse(log: RequestLog, facts: ResponseFacts): void {
  const entry = log.open.get(facts.requestId);
  if (entry === undefined) return;
  entry.responseAt = facts.time;
  if (facts.fromCache) entry.flags |= RequestFlag.cache;
  if (facts.statusCode !== undefined && facts.statusCode > 0) entry.status = facts.statusCode;
  if (facts.ip !== undefined) entry.ip = facts.ip;
  if (facts.proxy !== undefined) {
    entry.proxy = proxyEndpoint(facts.proxy);
    entry.flags |= RequestFlag.proxy;
  }
  if (facts.bodyBytes !== undefined) entry.size = facts.bodyBytes;
  markCut(entry, facts.cut, RESPONSE_CUTS);
  if (facts.contentLength !== undefined) entry.contentLength = facts.contentLength;
  if (facts.contentType !== undefined) entry.contentType = facts.contentType;
  if (facts.statusLine !== undefined) {
    const version = httpVersionOf(facts.statusLine);
    if (version !== undefined) entry.httpVersion = version;
    const reason = reasonOf(facts.statusLine);
    if (reason !== undefined) entry.statusText = reason;
  }
  if (facts.redirectUrl !== undefined) {
    entry.redirectUrl = facts.redirectUrl;
    entry.flags |= RequestFlag.redirect;
    logRequestEnd(log, facts.requestId, facts.time);
    return;
  }
  changed(log, entry);
}

/** The request completed (no `error`), failed, or was redirected; its next hop is a new entry. */
export function logRequestEnd(log: RequestLog, requestId: string, time: number, error?: string): void {
  const entry = log.open.get(requestId);
  if (entry === undefined) return;
  log.open.delete(requestId);
  entry.end = time;
  if (error !== undefined) entry.error = error;
  changed(log, entry);
}

/**
 * Puts restored entries back (each at its seq); entries that did not end are open again, so
 * their response and end still find them. Returns the log.
 */
export function restoreRequestLog(entries: Iterable<RequestEntry>, capacity = REQUEST_LOG_CAPACITY): RequestLog {
  const log = newRequestLog(capacity);
  const all = [...entries].sort((a, b) => a.seq - b.seq);
  const last = all[all.length - 1];
  log.next = last === undefined ? 0 : last.seq + 1;
  const oldest = oldestSeq(log);
  for (const entry of all) {
    if (entry.seq < oldest) continue;
    log.slots[entry.seq % capacity] = entry;
    if (entry.end === undefined) log.open.set(entry.requestId, entry);
  }
  return log;
}

/** Chunk numbers the ring still holds entries of (what storage should have). */
export function liveChunks(log: RequestLog): number[] {
  if (log.next === 0) return [];
  const chunks: number[] = [];
  for (let chunk = chunkOf(oldestSeq(log)); chunk <= chunkOf(log.next - 1); chunk++) chunks.push(chunk);
  return chunks;
}

/** The entries of one chunk that are still in the ring. */
export function chunkEntries(log: RequestLog, chunk: number): RequestEntry[] {
  const entries: RequestEntry[] = [];
  const from = Math.max(chunk * REQUEST_CHUNK_SIZE, oldestSeq(log));
  const to = Math.min((chunk + 1) * REQUEST_CHUNK_SIZE, log.next);
  for (let seq = from; seq < to; seq++) {
    const entry = log.slots[seq % log.capacity];
    if (entry?.seq === seq) entries.push(entry);
  }
  return entries;
}

/** Every storage part a chunk may have: its key (slot undefined) and its append keys. */
export function storedParts(log: RequestLog, chunk: number): Array<{ chunk: number; slot?: number }> {
  const parts: Array<{ chunk: number; slot?: number }> = [{ chunk }];
  const store = log.stores.get(chunk);
  if (store !== undefined) for (let slot = store.from; slot < store.next; slot++) parts.push({ chunk, slot });
  return parts;
}
