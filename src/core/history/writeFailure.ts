/**
 * A site-history write the browser refused (storage full, say): noted in storage.session so the
 * options and history pages tell the user, instead of a console line nobody reads. Cleared by the
 * next write that succeeds.
 */
export const HISTORY_WRITE_FAILURE_KEY = 'historyWriteFailure';

export interface HistoryWriteFailure {
  /** When it failed (epoch ms). */
  time: number;
  /** Page views whose visit was not recorded. */
  visits: number;
  error: string;
}

/** The stored note, or undefined for none (or anything that is not one). */
export function historyWriteFailureFrom(stored: unknown): HistoryWriteFailure | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { time, visits, error } = stored as Record<string, unknown>;
  if (typeof time !== 'number' || !Number.isFinite(time) || typeof visits !== 'number' || !Number.isInteger(visits) || visits < 0 || typeof error !== 'string') return undefined;
  return { time, visits, error };
}
