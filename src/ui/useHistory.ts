/** The site history and its settings for a page, kept current while the page is open. */
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_HISTORY_SETTINGS, type HistorySettings } from '../core/history/settings';
import type { SiteRecord } from '../core/history/siteRecord';
import type { HistoryWriteFailure } from '../core/history/writeFailure';
import { readHistory, readHistorySettings, readHistoryWriteFailure } from '../platform/history';
import { KEYS, changeOf, familyChanged, type AreaName, type StorageChanges } from '../platform/storage';
import { browserStore } from '../platform/storage/browser';

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
    const onChanged = (changes: StorageChanges, area: AreaName): void => {
      const failureChange = changeOf(KEYS.historyWriteFailure, changes, area);
      if (failureChange !== undefined) setState((before) => ({ ...before, writeFailure: failureChange.value }));
      const settingsChange = changeOf(KEYS.historySettings, changes, area);
      if (settingsChange !== undefined) setState((before) => ({ ...before, settings: settingsChange.value }));
      if (changeOf(KEYS.historyIndex, changes, area) === undefined && !familyChanged(KEYS.historySite, changes, area)) return;
      clearTimeout(timer);
      timer = setTimeout(reload, SETTLE_MS);
    };
    const stopListening = browserStore.onChanged(onChanged, ['local', 'session']);
    reload();
    return () => {
      active = false;
      clearTimeout(timer);
      stopListening();
    };
  }, []);
  return state;
}
