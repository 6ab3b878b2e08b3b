/**
 * Tells the pages when the site history could not be written (see core/history/writeFailure.ts):
 * a note in storage.session, cleared by the next write that succeeds.
 */
import browser from 'webextension-polyfill';
import { failedWrite, HISTORY_WRITE_FAILURE_KEY, newWriteFailures, succeededWrite } from '../core/history/writeFailure';

const failures = newWriteFailures();

export async function noteHistoryWriteFailure(error: unknown, visits: number): Promise<void> {
  await browser.storage.session.set({ [HISTORY_WRITE_FAILURE_KEY]: failedWrite(failures, error, visits, Date.now()) });
}

export async function clearHistoryWriteFailure(): Promise<void> {
  if (succeededWrite(failures)) await browser.storage.session.remove(HISTORY_WRITE_FAILURE_KEY);
}
