/**
 * Reading and writing what the user set: settings in storage.sync (they follow the user), NAT64
 * prefixes learned on this machine and the last colour scheme a page saw in storage.local.
 * Shared by the background and the pages, so both read the same keys the same forgiving way.
 */
import browser, { type Storage } from 'webextension-polyfill';
import { COLOR_SCHEME_KEY, DEFAULT_SETTINGS, LEARNED_NAT64_KEY, SETTINGS_KEY, learnedPrefixesFrom, settingsFrom, type ColorScheme, type Settings } from '../core/settings';

export interface StoredConfig {
  settings: Settings;
  learned: string[];
  /** The browser's colour scheme as last seen by an extension page (a worker cannot see it). */
  pageScheme: ColorScheme | undefined;
}

export const DEFAULT_CONFIG: StoredConfig = { settings: { ...DEFAULT_SETTINGS }, learned: [], pageScheme: undefined };

const schemeFrom = (value: unknown): ColorScheme | undefined => (value === 'dark' || value === 'light' ? value : undefined);

export async function readStoredConfig(): Promise<StoredConfig> {
  const [synced, local] = await Promise.all([browser.storage.sync.get(SETTINGS_KEY), browser.storage.local.get([LEARNED_NAT64_KEY, COLOR_SCHEME_KEY])]);
  return {
    settings: settingsFrom(synced[SETTINGS_KEY]),
    learned: learnedPrefixesFrom(local[LEARNED_NAT64_KEY]),
    pageScheme: schemeFrom(local[COLOR_SCHEME_KEY]),
  };
}

/** The config after a storage change, or undefined if the change does not concern it. */
export function changedConfig(config: StoredConfig, changes: Record<string, Storage.StorageChange>, area: string): StoredConfig | undefined {
  const next: StoredConfig = { ...config };
  if (area === 'sync' && SETTINGS_KEY in changes) next.settings = settingsFrom(changes[SETTINGS_KEY]?.newValue);
  if (area === 'local' && LEARNED_NAT64_KEY in changes) next.learned = learnedPrefixesFrom(changes[LEARNED_NAT64_KEY]?.newValue);
  if (area === 'local' && COLOR_SCHEME_KEY in changes) next.pageScheme = schemeFrom(changes[COLOR_SCHEME_KEY]?.newValue);
  const same = next.settings === config.settings && next.learned === config.learned && next.pageScheme === config.pageScheme;
  return same ? undefined : next;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.sync.set({ [SETTINGS_KEY]: settings });
}

export async function saveLearnedPrefixes(prefixes: readonly string[]): Promise<void> {
  await browser.storage.local.set({ [LEARNED_NAT64_KEY]: [...prefixes] });
}

/** Adds to the learned prefixes already stored (another event may have added some meanwhile). */
export async function addLearnedPrefixes(prefixes: Iterable<string>): Promise<void> {
  const stored = learnedPrefixesFrom((await browser.storage.local.get(LEARNED_NAT64_KEY))[LEARNED_NAT64_KEY]);
  const merged = [...new Set([...stored, ...prefixes])];
  if (merged.length !== stored.length) await saveLearnedPrefixes(merged);
}

/** Pages tell the background the browser's colour scheme, which its icon follows when automatic. */
export async function reportColorScheme(scheme: ColorScheme, known: ColorScheme | undefined): Promise<void> {
  if (scheme !== known) await browser.storage.local.set({ [COLOR_SCHEME_KEY]: scheme });
}
