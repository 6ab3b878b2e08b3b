/**
 * Reading and writing what the user set: settings in storage.sync (they follow the user) but for
 * the ones that make IPvLens send something (core/settings/deviceSettings.ts), which stay in
 * storage.local with the NAT64 prefixes learned on this machine and the last colour scheme a page
 * saw. Shared by the background and the pages, so both read the same keys the same forgiving way.
 */
import { deviceSettingsOf, planDeviceSettingsMove, syncedSettingsOf } from '../core/settings/deviceSettings';
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
  const [synced, device, learned, pageScheme] = await browserStore.getEach(KEYS.settings, KEYS.deviceSettings, KEYS.learnedNat64, KEYS.colorScheme);
  return { settings: { ...synced, ...device }, learned, pageScheme };
}

/** The config after a storage change, or undefined if the change does not concern it. */
export function changedConfig(config: StoredConfig, changes: StorageChanges, area: AreaName): StoredConfig | undefined {
  const next: StoredConfig = { ...config };
  const synced = changeOf(KEYS.settings, changes, area);
  const device = changeOf(KEYS.deviceSettings, changes, area);
  const learned = changeOf(KEYS.learnedNat64, changes, area);
  const pageScheme = changeOf(KEYS.colorScheme, changes, area);
  if (synced !== undefined || device !== undefined) next.settings = { ...config.settings, ...synced?.value, ...device?.value };
  if (learned !== undefined) next.learned = learned.value;
  if (pageScheme !== undefined) next.pageScheme = pageScheme.value;
  const same = next.settings === config.settings && next.learned === config.learned && next.pageScheme === config.pageScheme;
  return same ? undefined : next;
}

/** One write per area: the synced part to storage.sync, the device part to storage.local. */
export async function saveSettings(settings: Settings): Promise<void> {
  await browserStore.set(KEYS.settings.item(syncedSettingsOf(settings)), KEYS.deviceSettings.item(deviceSettingsOf(settings)));
}

/**
 * Moves device settings a synced value holds (stored there before they were kept apart, or synced
 * in by an older IPvLens) to storage.local, then takes them out of storage.sync so no other browser
 * of the profile keeps getting them. The local write comes first: refused, sync is left as it was
 * and the next start tries again. Returns what it did, for the caller's log.
 */
export async function moveDeviceSettingsOffSync(): Promise<'none' | 'moved' | 'removed'> {
  const [synced, local] = await Promise.all([browserStore.area('sync').get(KEYS.settings.key), browserStore.area('local').get(KEYS.deviceSettings.key)]);
  const move = planDeviceSettingsMove(synced[KEYS.settings.key], local[KEYS.deviceSettings.key]);
  if (move === undefined) return 'none';
  if (move.local !== undefined) await browserStore.set(KEYS.deviceSettings.item(move.local));
  await browserStore.area('sync').set({ [KEYS.settings.key]: move.sync });
  return move.local === undefined ? 'removed' : 'moved';
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
