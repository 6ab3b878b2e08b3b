/**
 * The tab's answer that the worker writes into the popup page it serves (prerender.tsx), after
 * the rows: the page's app starts from it and takes over the rows already there (main.tsx)
 * instead of asking the worker and rendering every row again. Data, not script: the page's policy
 * runs none of it.
 */
import { isWatchTabResponse, type ResponseOf } from '../core/messages';

export const SERVED_ANSWER_ID = 'ipvlens-answer';

/** The answer, and the clock the worker rendered the rows at (the app's first render uses it too). */
export interface ServedAnswer {
  answer: ResponseOf<'watchTab'>;
  now: number;
}

/** The answer as an HTML data block; every "<" escaped, so no text in it can end the element. */
export function servedAnswerHtml(served: ServedAnswer): string {
  const json = JSON.stringify(served).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${SERVED_ANSWER_ID}">${json}</script>`;
}

/** The answer back from the block's text; undefined for anything else (the page then asks the worker). */
export function parseServedAnswer(text: string | null | undefined): ServedAnswer | undefined {
  if (text === null || text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { answer, now } = value as Record<string, unknown>;
  return isWatchTabResponse(answer) && typeof now === 'number' && Number.isFinite(now) ? { answer, now } : undefined;
}
