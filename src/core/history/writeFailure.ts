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

/** What the background knows of refused writes in this worker's life. */
export interface WriteFailures {
  /** Visits lost since the last write that succeeded; undefined until a write ends in this life. */
  lost: number | undefined;
  /** When the first of them was lost. */
  since: number;
}

export const newWriteFailures = (): WriteFailures => ({ lost: undefined, since: 0 });

/** After a refused write of `visits` visits: the note to store (visits lost add up). */
export function failedWrite(failures: WriteFailures, error: unknown, visits: number, now: number): HistoryWriteFailure {
  if (failures.lost === undefined || failures.lost === 0) failures.since = now;
  failures.lost = (failures.lost ?? 0) + visits;
  return { time: failures.since, visits: failures.lost, error: String(error) };
}

/**
 * After a write that succeeded: whether a stored note must go. The first success of a worker's
 * life always says so, as an earlier worker may have left one.
 */
export function succeededWrite(failures: WriteFailures): boolean {
  const noted = failures.lost !== 0;
  failures.lost = 0;
  return noted;
}
