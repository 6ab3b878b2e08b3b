/** The stored config for a page, kept current while the page is open. */
import { useEffect, useState } from 'preact/hooks';
import browser, { type Storage } from 'webextension-polyfill';
import { DEFAULT_CONFIG, changedConfig, readStoredConfig, type StoredConfig } from '../platform/storedConfig';

export function useStoredConfig(): { config: StoredConfig; loaded: boolean } {
  const [state, setState] = useState<{ config: StoredConfig; loaded: boolean }>({ config: DEFAULT_CONFIG, loaded: false });
  useEffect(() => {
    let current = DEFAULT_CONFIG;
    let active = true;
    const onChanged = (changes: Record<string, Storage.StorageChange>, area: string): void => {
      const next = changedConfig(current, changes, area);
      if (next === undefined) return;
      current = next;
      setState({ config: next, loaded: true });
    };
    browser.storage.onChanged.addListener(onChanged);
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
      browser.storage.onChanged.removeListener(onChanged);
    };
  }, []);
  return state;
}
