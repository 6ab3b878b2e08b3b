/**
 * The pages' side of the site history: they read storage.local directly (the records are plain
 * data) and ask the background, the one writer, for every change (ui/backgroundClient.ts).
 */
import browser from 'webextension-polyfill';
import { isSiteStorageKey } from '../core/history/historyStore';
import { storedSiteRecord } from '../core/history/historyFile';
import type { SiteRecord } from '../core/history/siteRecord';
import { HISTORY_SETTINGS_KEY, historySettingsFrom, type HistorySettings } from '../core/history/settings';

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

export async function readHistorySettings(): Promise<HistorySettings> {
  return historySettingsFrom((await browser.storage.local.get(HISTORY_SETTINGS_KEY))[HISTORY_SETTINGS_KEY]);
}

export async function saveHistorySettings(settings: HistorySettings): Promise<void> {
  await browser.storage.local.set({ [HISTORY_SETTINGS_KEY]: settings });
}
