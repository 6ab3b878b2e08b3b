/** The stored config for a page, kept current while the page is open. */
import { useEffect, useState } from 'preact/hooks';
import type { AreaName, StorageChanges } from '../platform/storage';
import { browserStore } from '../platform/storage/browser';
import { DEFAULT_CONFIG, changedConfig, readStoredConfig, type StoredConfig } from '../platform/storedConfig';

export function useStoredConfig(): { config: StoredConfig; loaded: boolean } {
  const [state, setState] = useState<{ config: StoredConfig; loaded: boolean }>({ config: DEFAULT_CONFIG, loaded: false });
  useEffect(() => {
    let current = DEFAULT_CONFIG;
    let active = true;
    const onChanged = (changes: StorageChanges, area: AreaName): void => {
      const next = changedConfig(current, changes, area);
      if (next === undefined) return;
      current = next;
      setState({ config: next, loaded: true });
    };
    const stopListening = browserStore.onChanged(onChanged, ['sync', 'local']);
    readStoredConfig()
      .then((config) => {
        if (!active) return;
        current = config;
        setState({ config, loaded: true });
      })
      .catch((error: unknown) => {
        console.error('IPvLens: could not read settings; using defaults', error);
        if (active) setState({ config: current, loaded: true });
      });
    return () => {
      active = false;
      stopListening();
    };
  }, []);
  return state;
}
