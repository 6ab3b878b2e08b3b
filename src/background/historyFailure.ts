/**
 * Tells the pages when the site history could not be written (see core/history/writeFailure.ts).
 * Visits lost add up until a write succeeds again, which clears the note.
 */
import browser from 'webextension-polyfill';
import { HISTORY_WRITE_FAILURE_KEY, type HistoryWriteFailure } from '../core/history/writeFailure';

/** Visits lost since the last write that succeeded; undefined until known in this worker's life. */
let lostVisits: number | undefined;
let since = 0;

export async function noteHistoryWriteFailure(error: unknown, visits: number): Promise<void> {
  if (lostVisits === undefined || lostVisits === 0) since = Date.now();
  lostVisits = (lostVisits ?? 0) + visits;
  const failure: HistoryWriteFailure = { time: since, visits: lostVisits, error: String(error) };
  await browser.storage.session.set({ [HISTORY_WRITE_FAILURE_KEY]: failure });
}

export async function clearHistoryWriteFailure(): Promise<void> {
  // After a restart a note may be left from before: the first success removes it too.
  if (lostVisits === 0) return;
  lostVisits = 0;
  await browser.storage.session.remove(HISTORY_WRITE_FAILURE_KEY);
}
