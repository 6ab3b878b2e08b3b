/**
 * The pages' side of the site history: they read storage.local directly (the records are plain
 * data) and ask the background, the one writer, for every change (ui/backgroundClient.ts).
 */
import type { SiteRecord } from '../core/history/siteRecord';
import type { HistorySettings } from '../core/history/settings';
import type { HistoryWriteFailure } from '../core/history/writeFailure';
import { KEYS } from './storage';
import { browserStore } from './storage/browser';

export async function readHistory(): Promise<SiteRecord[]> {
  return (await browserStore.getFamily(KEYS.historySite)).members.map((member) => member.value);
}

/** The background's note of a history write the browser refused, if there is one. */
export async function readHistoryWriteFailure(): Promise<HistoryWriteFailure | undefined> {
  return browserStore.get(KEYS.historyWriteFailure);
}

export async function readHistorySettings(): Promise<HistorySettings> {
  return browserStore.get(KEYS.historySettings);
}

export async function saveHistorySettings(settings: HistorySettings): Promise<void> {
  await browserStore.set(KEYS.historySettings.item(settings));
}
