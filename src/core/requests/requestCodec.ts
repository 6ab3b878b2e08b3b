/**
 * Per-request log entries in storage.session: one key per chunk of REQUEST_CHUNK_SIZE entries
 * (`r:<tab>:<view>:<chunk>`), so a write holds only the chunks that changed, never the whole ring;
 * and append keys (`r:<tab>:<view>:<chunk>.<slot>`) holding only the entries of the chunk that
 * changed in one write, so that a filling chunk is not rewritten whole at each write. A chunk's
 * value is the array of its entries, followed, once appends were compacted into it, by the number
 * of the first append it does not cover (a number where an entry is expected: skipped by readers of
 * the first format, which had none). An append's value is the array of its entries.
 * Each entry is an array of its fields in a fixed order (absent ones null, trailing ones left off),
 * times relative to the view's time base. Decoding never throws: an entry of the wrong shape is
 * skipped, a chunk that is not an array is refused whole.
 */
import { REQUEST_CHUNK_PREFIX } from '../session/storageKeys';
import { ALL_CUT_FIELDS, CutField, MAX_HEADER_VALUE_LENGTH, MAX_URL_LENGTH, cutText } from '../tab/caps';
import { REQUEST_CHUNK_SIZE, type RequestEntry } from './requestLog';

export const REQUEST_KEY_PREFIX = REQUEST_CHUNK_PREFIX;

export function requestChunkKey(tabId: number, viewId: string, chunk: number): string {
  return `${REQUEST_KEY_PREFIX}${tabId}:${viewId}:${chunk}`;
}

/** The key of a chunk (no slot) or of one of its appends. */
export function requestPartKey(tabId: number, viewId: string, chunk: number, slot?: number): string {
  return slot === undefined ? requestChunkKey(tabId, viewId, chunk) : `${requestChunkKey(tabId, viewId, chunk)}.${slot}`;
}

const isIndex = (value: number, text: string): boolean => Number.isInteger(value) && value >= 0 && String(value) === text;

/** A chunk's key, or an append's (with its slot). */
export function parseRequestChunkKey(key: string): { tabId: number; viewId: string; chunk: number; slot?: number } | undefined {
  if (!key.startsWith(REQUEST_KEY_PREFIX)) return undefined;
  const rest = key.slice(REQUEST_KEY_PREFIX.length);
  const first = rest.indexOf(':');
  const last = rest.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const tabId = Number(rest.slice(0, first));
  const part = rest.slice(last + 1);
  const dot = part.indexOf('.');
  const chunkText = dot === -1 ? part : part.slice(0, dot);
  const chunk = Number(chunkText);
  if (!Number.isInteger(tabId) || !isIndex(chunk, chunkText)) return undefined;
  const parsed = { tabId, viewId: rest.slice(first + 1, last), chunk };
  if (dot === -1) return parsed;
  const slotText = part.slice(dot + 1);
  const slot = Number(slotText);
  return isIndex(slot, slotText) ? { ...parsed, slot } : undefined;
}

type Encoded = Array<string | number | null>;

const rel = (time: number | undefined, base: number): number | null => (time === undefined ? null : Math.round(time - base));

function encodeEntry(entry: RequestEntry, base: number): Encoded {
  const fields: Encoded = [
    entry.seq,
    entry.requestId,
    rel(entry.start, base),
    entry.method,
    entry.url,
    entry.type,
    entry.flags,
    entry.status ?? null,
    entry.statusText ?? null,
    entry.ip ?? null,
    entry.proxy ?? null,
    entry.size ?? null,
    entry.contentLength ?? null,
    entry.contentType ?? null,
    rel(entry.responseAt, base),
    rel(entry.end, base),
    entry.error ?? null,
    entry.httpVersion ?? null,
    entry.redirectUrl ?? null,
    entry.truncated ?? null,
  ];
  while (fields.length > 0 && fields[fields.length - 1] === null) fields.pop();
  return fields;
}

/** A chunk's (or an append's) value; `since`: the first append a compacted chunk does not cover. */
export function encodeRequestChunk(entries: readonly RequestEntry[], timeBase: number, since = 0): string {
  const encoded: unknown[] = entries.map((entry) => encodeEntry(entry, timeBase));
  if (since > 0) encoded.push(since);
  return JSON.stringify(encoded);
}

/** The first append a stored chunk does not cover (0 for a chunk never compacted, or not one at all). */
export function chunkSince(stored: unknown): number {
  if (typeof stored !== 'string' || !stored.endsWith(']')) return 0;
  const text = stored.slice(Math.max(stored.lastIndexOf(','), stored.lastIndexOf('[')) + 1, -1);
  const since = Number(text);
  return text !== '' && isIndex(since, text) ? since : 0;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Stored text longer than its cap (written by a version that kept it whole) is cut, and marked. */
const TEXT_CAPS: Partial<Record<keyof RequestEntry, [number, number]>> = {
  url: [MAX_URL_LENGTH, CutField.url],
  method: [MAX_HEADER_VALUE_LENGTH, CutField.method],
  redirectUrl: [MAX_URL_LENGTH, CutField.redirectUrl],
  contentType: [MAX_HEADER_VALUE_LENGTH, CutField.contentType],
  contentLength: [MAX_HEADER_VALUE_LENGTH, CutField.contentLength],
  statusText: [MAX_HEADER_VALUE_LENGTH, CutField.statusText],
};

function decodeEntry(value: unknown, base: number, chunk: number): RequestEntry | undefined {
  if (!Array.isArray(value)) return undefined;
  const fields = value as unknown[];
  const [seq, requestId, start, method, url, type, flags] = fields;
  if (!isCount(seq) || Math.floor(seq / REQUEST_CHUNK_SIZE) !== chunk) return undefined;
  if (typeof requestId !== 'string' || !isTime(start) || typeof method !== 'string' || typeof url !== 'string' || typeof type !== 'string' || !isCount(flags)) return undefined;
  const entry: RequestEntry = { seq, requestId, start: start + base, method, url, type, flags };
  const text = (index: number): string | undefined => (typeof fields[index] === 'string' ? (fields[index]) : undefined);
  const count = (index: number): number | undefined => (isCount(fields[index]) ? (fields[index]) : undefined);
  const time = (index: number): number | undefined => (isTime(fields[index]) ? (fields[index]) + base : undefined);
  const cutBits = (count(19) ?? 0) & ALL_CUT_FIELDS;
  const optional: Array<[keyof RequestEntry, string | number | undefined]> = [
    ['status', count(7)],
    ['statusText', text(8)],
    ['ip', text(9)],
    ['proxy', text(10)],
    ['size', count(11)],
    ['contentLength', text(12)],
    ['contentType', text(13)],
    ['responseAt', time(14)],
    ['end', time(15)],
    ['error', text(16)],
    ['httpVersion', text(17)],
    ['redirectUrl', text(18)],
    ['truncated', cutBits === 0 ? undefined : cutBits],
  ];
  const target = entry as unknown as Record<string, unknown>;
  for (const [name, field] of optional) if (field !== undefined) target[name] = field;
  for (const [name, [max, bit]] of Object.entries(TEXT_CAPS) as Array<[keyof RequestEntry, [number, number]]>) {
    const stored = target[name];
    if (typeof stored !== 'string' || stored.length <= max) continue;
    target[name] = cutText(stored, max);
    entry.truncated = (entry.truncated ?? 0) | bit;
  }
  return entry;
}

/** The entries of a stored chunk; undefined when it is not one at all. */
export function decodeRequestChunk(stored: unknown, timeBase: number, chunk: number): RequestEntry[] | undefined {
  if (typeof stored !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.flatMap((value: unknown) => decodeEntry(value, timeBase, chunk) ?? []);
}
