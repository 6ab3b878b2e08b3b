/** The site history and its settings for a page, kept current while the page is open. */
import { useEffect, useState } from 'preact/hooks';
import browser, { type Storage } from 'webextension-polyfill';
import { HISTORY_INDEX_KEY, isSiteStorageKey } from '../core/history/historyStore';
import { DEFAULT_HISTORY_SETTINGS, HISTORY_SETTINGS_KEY, historySettingsFrom, type HistorySettings } from '../core/history/settings';
import type { SiteRecord } from '../core/history/siteRecord';
import { HISTORY_WRITE_FAILURE_KEY, historyWriteFailureFrom, type HistoryWriteFailure } from '../core/history/writeFailure';
import { readHistory, readHistorySettings, readHistoryWriteFailure } from '../platform/history';

export interface HistoryState {
  loaded: boolean;
  settings: HistorySettings;
  records: SiteRecord[];
  /** Why the history could not be read, if it could not. */
  error: string | undefined;
  /** Visits the background could not write (storage refused them), until a write succeeds. */
  writeFailure: HistoryWriteFailure | undefined;
}

/** Re-reads after a burst of writes once, not once per written key. */
const SETTLE_MS = 100;

export function useHistory(): HistoryState {
  const [state, setState] = useState<HistoryState>({ loaded: false, settings: { ...DEFAULT_HISTORY_SETTINGS }, records: [], error: undefined, writeFailure: undefined });
  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = (): void => {
      Promise.all([readHistory(), readHistorySettings(), readHistoryWriteFailure().catch(() => undefined)]).then(
        ([records, settings, writeFailure]) => active && setState({ loaded: true, settings, records, error: undefined, writeFailure }),
        (error: unknown) => active && setState((before) => ({ ...before, loaded: true, error: String(error) })),
      );
    };
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string): void => {
      const failureChange = changes[HISTORY_WRITE_FAILURE_KEY];
      if (area === 'session' && failureChange !== undefined) setState((before) => ({ ...before, writeFailure: historyWriteFailureFrom(failureChange.newValue) }));
      if (area !== 'local') return;
      const settingsChange = changes[HISTORY_SETTINGS_KEY];
      if (settingsChange !== undefined) setState((before) => ({ ...before, settings: historySettingsFrom(settingsChange.newValue) }));
      if (!Object.keys(changes).some((key) => key === HISTORY_INDEX_KEY || isSiteStorageKey(key))) return;
      clearTimeout(timer);
      timer = setTimeout(reload, SETTLE_MS);
    };
    browser.storage.onChanged.addListener(onChanged);
    reload();
    return () => {
      active = false;
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return state;
}
