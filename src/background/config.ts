/** The background's copy of the stored config: loaded once per worker life, kept current. */
import type { Nat64Prefix } from '../core/address/nat64';
import { prefixesInForce, type ColorScheme } from '../core/settings/settings';
import { browserColorScheme } from '../platform/colorScheme';
import type { AreaName, StorageChanges } from '../platform/storage';
import { DEFAULT_CONFIG, changedConfig, moveDeviceSettingsOffSync, readStoredConfig, type StoredConfig } from '../platform/storedConfig';

let config: StoredConfig = DEFAULT_CONFIG;

export function currentConfig(): StoredConfig {
  return config;
}

export function prefixesOf(value: StoredConfig): Nat64Prefix[] {
  return prefixesInForce(value.settings, value.learned);
}

/** Reads the config, once device settings still in storage.sync are moved to this device. */
export async function loadConfig(): Promise<StoredConfig> {
  try {
    await moveDeviceSettingsOffSync();
  } catch (error) {
    console.error('IPvLens: could not move the DNS check settings off storage.sync; trying again next start', error);
  }
  try {
    config = await readStoredConfig();
  } catch (error) {
    console.error('IPvLens: could not read settings; using defaults', error);
  }
  return config;
}

/** Applies a storage change; returns the previous config if anything changed. */
export function applyStorageChange(changes: StorageChanges, area: AreaName): StoredConfig | undefined {
  const next = changedConfig(config, changes, area);
  if (next === undefined) return undefined;
  const before = config;
  config = next;
  return before;
}

/** The icon palette to draw with: the user's choice, or the browser's scheme when automatic. */
export function toolbarTone(value: StoredConfig): ColorScheme {
  if (value.settings.iconStyle !== 'auto') return value.settings.iconStyle;
  // Firefox runs the background as a page, which can ask directly; Chrome's worker cannot.
  return browserColorScheme() ?? value.pageScheme ?? 'light';
}
