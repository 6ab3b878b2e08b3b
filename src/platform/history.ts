/**
 * The pages' side of the site history: they read storage.local directly (the records are plain
 * data) and ask the background, the one writer, for every change.
 */
import browser from 'webextension-polyfill';
import type { SiteRecord } from '../core/history/siteRecord';
import type { HistorySettings } from '../core/history/settings';
import type { HistoryWriteFailure } from '../core/history/writeFailure';
import type { OneShot, OneShotName, RequestOf, ResponseOf } from '../core/messages';
import { t } from './i18n';
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

export function askBackground<K extends OneShotName>(message: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  return browser.runtime.sendMessage<OneShot<K>, ResponseOf<K>>({ message, request });
}

/** Asks the background to delete sites (or all) and says what happened, for a status line. */
export async function deleteHistory(request: RequestOf<'historyDelete'>): Promise<string> {
  const answer = await askBackground('historyDelete', request);
  return answer.ok ? t('historyDeleted', String(answer.removed)) : t('historyChangeFailed', answer.error);
}
