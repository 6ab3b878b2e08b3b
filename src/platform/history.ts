/**
 * The pages' side of the site history: they read storage.local directly (the records are plain
 * data) and ask the background, the one writer, for every change.
 */
import browser from 'webextension-polyfill';
import { isSiteStorageKey } from '../core/history/historyStore';
import { storedSiteRecord } from '../core/history/historyFile';
import type { SiteRecord } from '../core/history/siteRecord';
import { HISTORY_SETTINGS_KEY, historySettingsFrom, type HistorySettings } from '../core/history/settings';
import { HISTORY_WRITE_FAILURE_KEY, historyWriteFailureFrom, type HistoryWriteFailure } from '../core/history/writeFailure';
import type { OneShot, OneShotName, RequestOf, ResponseOf } from '../core/messages';
import { t } from './i18n';

export async function readHistory(): Promise<SiteRecord[]> {
  const stored = await browser.storage.local.get(null);
  const records: SiteRecord[] = [];
  for (const [key, value] of Object.entries(stored)) {
    if (!isSiteStorageKey(key)) continue;
    const record = storedSiteRecord(value);
    if (record !== undefined) records.push(record);
  }
  return records;
}

/** The background's note of a history write the browser refused, if there is one. */
export async function readHistoryWriteFailure(): Promise<HistoryWriteFailure | undefined> {
  return historyWriteFailureFrom((await browser.storage.session.get(HISTORY_WRITE_FAILURE_KEY))[HISTORY_WRITE_FAILURE_KEY]);
}

export async function readHistorySettings(): Promise<HistorySettings> {
  return historySettingsFrom((await browser.storage.local.get(HISTORY_SETTINGS_KEY))[HISTORY_SETTINGS_KEY]);
}

export async function saveHistorySettings(settings: HistorySettings): Promise<void> {
  await browser.storage.local.set({ [HISTORY_SETTINGS_KEY]: settings });
}

export function askBackground<K extends OneShotName>(message: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  return browser.runtime.sendMessage<OneShot<K>, ResponseOf<K>>({ message, request });
}

/** Asks the background to delete sites (or all) and says what happened, for a status line. */
export async function deleteHistory(request: RequestOf<'historyDelete'>): Promise<string> {
  const answer = await askBackground('historyDelete', request);
  return answer.ok ? t('historyDeleted', String(answer.removed)) : t('historyChangeFailed', answer.error);
}
