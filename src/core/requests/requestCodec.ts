/**
 * Per-request log entries in storage.session: one key per chunk of REQUEST_CHUNK_SIZE entries
 * (`r:<tab>:<view>:<chunk>`), so a write holds only the chunks that changed, never the whole ring.
 * Each entry is an array of its fields in a fixed order (absent ones null, trailing ones left off),
 * times relative to the view's time base. Decoding never throws: an entry of the wrong shape is
 * skipped, a chunk that is not an array is refused whole.
 */
import { REQUEST_CHUNK_PREFIX } from '../session/storageKeys';
import { REQUEST_CHUNK_SIZE, type RequestEntry } from './requestLog';

export const REQUEST_KEY_PREFIX = REQUEST_CHUNK_PREFIX;

export function requestChunkKey(tabId: number, viewId: string, chunk: number): string {
  return `${REQUEST_KEY_PREFIX}${tabId}:${viewId}:${chunk}`;
}

export function parseRequestChunkKey(key: string): { tabId: number; viewId: string; chunk: number } | undefined {
  if (!key.startsWith(REQUEST_KEY_PREFIX)) return undefined;
  const rest = key.slice(REQUEST_KEY_PREFIX.length);
  const first = rest.indexOf(':');
  const last = rest.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  const tabId = Number(rest.slice(0, first));
  const chunkText = rest.slice(last + 1);
  const chunk = Number(chunkText);
  if (!Number.isInteger(tabId) || !Number.isInteger(chunk) || chunk < 0 || String(chunk) !== chunkText) return undefined;
  return { tabId, viewId: rest.slice(first + 1, last), chunk };
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
  ];
  while (fields.length > 0 && fields[fields.length - 1] === null) fields.pop();
  return fields;
}

export function encodeRequestChunk(entries: readonly RequestEntry[], timeBase: number): string {
  return JSON.stringify(entries.map((entry) => encodeEntry(entry, timeBase)));
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

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
  ];
  const target = entry as unknown as Record<string, unknown>;
  for (const [name, field] of optional) if (field !== undefined) target[name] = field;
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
