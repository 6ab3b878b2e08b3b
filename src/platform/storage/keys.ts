/**
 * Every key IPvLens keeps in browser storage, in one table: its area, its exact key or prefix, how
 * a stored value is read back (forgiving: damaged or older values give undefined or are repaired by
 * the core's readers, never a throw) and what a read gives when there is nothing usable.
 */
import { HISTORY_INDEX_KEY, historyIndexFrom, isSiteStorageKey, siteStorageKey, storedIndex } from '../../core/history/historyStore';
import { storedSiteRecord } from '../../core/history/historyFile';
import { DEFAULT_HISTORY_SETTINGS, HISTORY_SETTINGS_KEY, historySettingsFrom, type HistorySettings } from '../../core/history/settings';
import type { SiteRecord } from '../../core/history/siteRecord';
import { HISTORY_WRITE_FAILURE_KEY, historyWriteFailureFrom, type HistoryWriteFailure } from '../../core/history/writeFailure';
import { DEVICE_SETTINGS_KEY, deviceSettingsFrom, syncedSettingsFrom, type DeviceSettings, type SyncedSettings } from '../../core/settings/deviceSettings';
import { COLOR_SCHEME_KEY, LEARNED_NAT64_KEY, SETTINGS_KEY, learnedPrefixesFrom, type ColorScheme } from '../../core/settings/settings';
import {
  ADDRESS_KEY_PREFIX,
  NATIVE_IPV6_KEY,
  DOMAIN_KEY_PREFIX,
  LIVE_KEY_PREFIX,
  TAB_KEY_PREFIX,
  addressKey,
  domainKey,
  liveKey,
  parseDomainKey,
  parseLiveKey,
  parseTabKey,
  tabKey,
} from '../../core/session/storageKeys';
import type { AreaName } from './backend';

export interface KeyRef {
  area: AreaName;
  key: string;
}

/** A value ready to write: built by a table entry, so its key and encoding are the entry's. */
export interface StoredItem extends KeyRef {
  value: unknown;
}

interface Codec<T> {
  readonly area: AreaName;
  /** The value in whatever storage holds, or undefined when it is not one. Never throws. */
  parse(stored: unknown): T | undefined;
  /** The value as it is written. */
  toStored(value: T): unknown;
}

/** One key. */
export interface SingleKey<T> extends Codec<T> {
  readonly kind: 'single';
  readonly key: string;
  /** What a read gives when the key is absent or unreadable (a fresh value each call). */
  fallback(): T;
  item(value: T): StoredItem;
}

/** Keys sharing a prefix, one per id (a site, a tab, a page view's domain). Absent means absent: no default. */
export interface KeyFamily<T, Id> extends Codec<T> {
  readonly kind: 'family';
  readonly prefix: string;
  keyOf(id: Id): string;
  /** The id a stored key names; undefined for a key of the prefix that names nothing valid. */
  idOf(key: string): Id | undefined;
  ref(id: Id): KeyRef;
  item(id: Id, value: T): StoredItem;
}

const asIs = <T>(value: T): unknown => value;

function single<T>(spec: { area: AreaName; key: string; parse: (stored: unknown) => T | undefined; fallback: () => T; toStored?: (value: T) => unknown }): SingleKey<T> {
  const toStored = spec.toStored ?? asIs;
  return { ...spec, kind: 'single', toStored, item: (value) => ({ area: spec.area, key: spec.key, value: toStored(value) }) };
}

function family<T, Id>(spec: {
  area: AreaName;
  prefix: string;
  keyOf: (id: Id) => string;
  idOf: (key: string) => Id | undefined;
  parse: (stored: unknown) => T | undefined;
  toStored?: (value: T) => unknown;
}): KeyFamily<T, Id> {
  const toStored = spec.toStored ?? asIs;
  return {
    ...spec,
    kind: 'family',
    toStored,
    idOf: (key) => (key.startsWith(spec.prefix) ? spec.idOf(key) : undefined),
    ref: (id) => ({ area: spec.area, key: spec.keyOf(id) }),
    item: (id, value) => ({ area: spec.area, key: spec.keyOf(id), value: toStored(value) }),
  };
}

const schemeFrom = (value: unknown): ColorScheme | undefined => (value === 'dark' || value === 'light' ? value : undefined);

/** Tab id → whether the tab is in a private window; pairs of the wrong shape are left out. */
export function tabPrivacyFrom(stored: unknown): Map<number, boolean> | undefined {
  if (!Array.isArray(stored)) return undefined;
  const pairs = stored.filter((entry: unknown): entry is [number, boolean] => Array.isArray(entry) && Number.isInteger(entry[0]) && typeof entry[1] === 'boolean');
  return new Map(pairs);
}

/** The rest of a key after its prefix, if any. */
const restOf = (prefix: string) => (key: string): string | undefined => (key.length > prefix.length ? key.slice(prefix.length) : undefined);

/**
 * Session state is encoded and decoded by core/session/persisted.ts (JSON text today): here a value only
 * has to be what it writes, and the key has to name a tab, a view or a domain.
 */
const storedText = (stored: unknown): string | undefined => (typeof stored === 'string' ? stored : undefined);

const SITE_PREFIX = siteStorageKey('');

export const KEYS = {
  /** The user's settings but those that send something; synced, so they follow the user to their other browsers. */
  settings: single<SyncedSettings>({ area: 'sync', key: SETTINGS_KEY, parse: syncedSettingsFrom, fallback: () => syncedSettingsFrom(undefined) }),
  /** The settings that make IPvLens send something (the DNS check, its resolver): this device only. */
  deviceSettings: single<DeviceSettings>({ area: 'local', key: DEVICE_SETTINGS_KEY, parse: deviceSettingsFrom, fallback: () => deviceSettingsFrom(undefined) }),
  /** NAT64 prefixes learned on this machine (canonical text). */
  learnedNat64: single<string[]>({ area: 'local', key: LEARNED_NAT64_KEY, parse: learnedPrefixesFrom, fallback: () => [] }),
  /** The colour scheme an extension page last saw (a worker cannot see it). */
  colorScheme: single<ColorScheme | undefined>({ area: 'local', key: COLOR_SCHEME_KEY, parse: schemeFrom, fallback: () => undefined }),
  /** Site history on/off and its limit: per machine, never synced. */
  historySettings: single<HistorySettings>({ area: 'local', key: HISTORY_SETTINGS_KEY, parse: historySettingsFrom, fallback: () => ({ ...DEFAULT_HISTORY_SETTINGS }) }),
  /** Site → last visit (epoch ms), what eviction needs without reading every record. */
  historyIndex: single<Map<string, number>>({ area: 'local', key: HISTORY_INDEX_KEY, parse: historyIndexFrom, toStored: storedIndex, fallback: () => new Map() }),
  /** One record per site of the history. */
  historySite: family<SiteRecord, string>({ area: 'local', prefix: SITE_PREFIX, keyOf: siteStorageKey, idOf: (key) => (isSiteStorageKey(key) ? restOf(SITE_PREFIX)(key) : undefined), parse: storedSiteRecord }),
  /** A site-history write the browser refused, for the options and history pages to tell of. */
  historyWriteFailure: single<HistoryWriteFailure | undefined>({ area: 'session', key: HISTORY_WRITE_FAILURE_KEY, parse: historyWriteFailureFrom, fallback: () => undefined }),
  /** Which tabs are private, kept for the worker woken by a tab's closing (it can no longer ask). */
  tabPrivacy: single<Map<number, boolean>>({ area: 'session', key: 'tabPrivacy', parse: tabPrivacyFrom, toStored: (map) => [...map], fallback: () => new Map() }),
  /** A tab's current and previous page view (their metadata). */
  tabState: family<string, number>({ area: 'session', prefix: TAB_KEY_PREFIX, keyOf: tabKey, idOf: parseTabKey, parse: storedText }),
  /** One domain of one page view. */
  domainState: family<string, { tabId: number; viewId: string; domain: string }>({
    area: 'session',
    prefix: DOMAIN_KEY_PREFIX,
    keyOf: ({ tabId, viewId, domain }) => domainKey(tabId, viewId, domain),
    idOf: parseDomainKey,
    parse: storedText,
  }),
  /** A page view's timeline and switches. */
  liveState: family<string, { tabId: number; viewId: string }>({ area: 'session', prefix: LIVE_KEY_PREFIX, keyOf: ({ tabId, viewId }) => liveKey(tabId, viewId), idOf: parseLiveKey, parse: storedText }),
  /** When normal tabs last reached IPv6 natively, per minute (core/readiness/nativeIpv6.ts): the hosts' fallback evidence. */
  nativeIpv6: single<string | undefined>({ area: 'session', key: NATIVE_IPV6_KEY, parse: storedText, fallback: () => undefined }),
  /** A domain's remembered address (browsers whose cache hits carry none). */
  rememberedAddress: family<string, string>({ area: 'session', prefix: ADDRESS_KEY_PREFIX, keyOf: addressKey, idOf: restOf(ADDRESS_KEY_PREFIX), parse: storedText }),
} as const;

export type KeyName = keyof typeof KEYS;
