/**
 * How much of what a page sends IPvLens keeps. A page chooses its URLs (Chrome allows 2 MB) and
 * its server chooses its header values; kept whole, 2,000 requests of a hostile page would hold
 * gigabytes in the worker. Every such text is cut where the browser's event enters the extension
 * (background/adapt.ts), and the per-request log marks what was cut (`CutField`), so the Requests
 * view and the HAR can say so. A host name is part of a kept URL, so it is bounded with it (and one
 * longer than DNS allows is never recorded in the site history: core/history/recordCheck.ts).
 */
import { detached } from '../detachedText';

/** Characters of a URL kept (request, redirect target, page): what most servers and browsers accept whole. */
export const MAX_URL_LENGTH = 2048;
/** Characters of a header value or status line kept: a media type or a length is far shorter. */
export const MAX_HEADER_VALUE_LENGTH = 256;

/** Bits of `RequestEntry.truncated`: which of its values were cut. */
export const CutField = {
  url: 1,
  method: 2,
  redirectUrl: 4,
  contentType: 8,
  contentLength: 16,
  statusText: 32,
} as const;
export type CutFieldName = keyof typeof CutField;
export const CUT_FIELD_NAMES = Object.keys(CutField) as CutFieldName[];
/** Every bit a stored mark may have. */
export const ALL_CUT_FIELDS = CUT_FIELD_NAMES.reduce((bits, name) => bits | CutField[name], 0);

export function cutFieldNames(bits: number): CutFieldName[] {
  return CUT_FIELD_NAMES.filter((name) => (bits & CutField[name]) !== 0);
}

/**
 * The text if it is at most `max` characters, else its first `max` (one less if that would split
 * a surrogate pair) as a detached copy.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return detached(text.slice(0, end));
}

/** Cuts `text` to `max`, setting `bit` in `marks.cut` when it was cut. */
export function cutMarked(text: string, max: number, bit: number, marks: { cut?: number }): string {
  const kept = cutText(text, max);
  if (kept !== text) marks.cut = (marks.cut ?? 0) | bit;
  return kept;
}
