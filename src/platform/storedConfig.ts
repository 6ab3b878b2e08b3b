/**
 * Reading and writing what the user set: settings in storage.sync (they follow the user), NAT64
 * prefixes learned on this machine and the last colour scheme a page saw in storage.local.
 * Shared by the background and the pages, so both read the same keys the same forgiving way.
 */
import { DEFAULT_SETTINGS, type ColorScheme, type Settings } from '../core/settings/settings';
import { KEYS, changeOf, type AreaName, type StorageChanges } from './storage';
import { browserStore } from './storage/browser';

export interface StoredConfig {
  settings: Settings;
  learned: string[];
  /** The browser's colour scheme as last seen by an extension page (a worker cannot see it). */
  pageScheme: ColorScheme | undefined;
}

export const DEFAULT_CONFIG: StoredConfig = { settings: { ...DEFAULT_SETTINGS }, learned: [], pageScheme: undefined };

export async function readStoredConfig(): Promise<StoredConfig> {
  const [settings, learned, pageScheme] = await browserStore.getEach(KEYS.settings, KEYS.learnedNat64, KEYS.colorScheme);
  return { settings, learned, pageScheme };
}

/** The config after a storage change, or undefined if the change does not concern it. */
export function changedConfig(config: StoredConfig, changes: StorageChanges, area: AreaName): StoredConfig | undefined {
  const next: StoredConfig = { ...config };
  const settings = changeOf(KEYS.settings, changes, area);
  const learned = changeOf(KEYS.learnedNat64, changes, area);
  const pageScheme = changeOf(KEYS.colorScheme, changes, area);
  if (settings !== undefined) next.settings = settings.value;
  if (learned !== undefined) next.learned = learned.value;
  if (pageScheme !== undefined) next.pageScheme = pageScheme.value;
  const same = next.settings === config.settings && next.learned === config.learned && next.pageScheme === config.pageScheme;
  return same ? undefined : next;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browserStore.set(KEYS.settings.item(settings));
}

export async function saveLearnedPrefixes(prefixes: readonly string[]): Promise<void> {
  await browserStore.set(KEYS.learnedNat64.item([...prefixes]));
}

/** Adds to the learned prefixes already stored (another event may have added some meanwhile). */
export async function addLearnedPrefixes(prefixes: Iterable<string>): Promise<void> {
  const stored = await browserStore.get(KEYS.learnedNat64);
  const merged = [...new Set([...stored, ...prefixes])];
  if (merged.length !== stored.length) await saveLearnedPrefixes(merged);
}

/** Pages tell the background the browser's colour scheme, which its icon follows when automatic. */
export async function reportColorScheme(scheme: ColorScheme, known: ColorScheme | undefined): Promise<void> {
  if (scheme !== known) await browserStore.set(KEYS.colorScheme.item(scheme));
}
