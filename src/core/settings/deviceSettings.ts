/**
 * The settings that make IPvLens send something of its own — the DNS check and the resolver it
 * asks — stay on this device (storage.local): synced, turning the check on in one browser would
 * start sending host names from every browser of the profile. The rest of the settings sync. The
 * look-up services may sync: a look-up link opens only when the user follows it.
 */
import { settingsFrom, type Settings } from './settings';

export const DEVICE_SETTING_FIELDS = ['dnsIpv6Check', 'dohResolver', 'dohCustomUrl'] as const satisfies ReadonlyArray<keyof Settings>;
type DeviceField = (typeof DEVICE_SETTING_FIELDS)[number];

export type DeviceSettings = Pick<Settings, DeviceField>;
export type SyncedSettings = Omit<Settings, DeviceField>;

/** storage.local key of the device settings. */
export const DEVICE_SETTINGS_KEY = 'deviceSettings';

const isDeviceField = (field: string): boolean => (DEVICE_SETTING_FIELDS as readonly string[]).includes(field);
const asRecord = (stored: unknown): Record<string, unknown> | undefined =>
  typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : undefined;

/** A stored object without (`keep` false) or with only (`keep` true) the device fields. */
function fieldsOf(stored: unknown, keep: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(asRecord(stored) ?? {}).filter(([field]) => isDeviceField(field) === keep));
}

export function deviceSettingsOf(settings: Settings): DeviceSettings {
  return { dnsIpv6Check: settings.dnsIpv6Check, dohResolver: settings.dohResolver, dohCustomUrl: settings.dohCustomUrl };
}

export function syncedSettingsOf(settings: Settings): SyncedSettings {
  const { dnsIpv6Check: _check, dohResolver: _resolver, dohCustomUrl: _url, ...synced } = settings;
  return synced;
}

/** The device settings in a stored value, each damaged or missing field at its default. */
export function deviceSettingsFrom(stored: unknown): DeviceSettings {
  return deviceSettingsOf(settingsFrom(fieldsOf(stored, true)));
}

/** The synced settings in a stored value; device fields a synced value still holds are not read. */
export function syncedSettingsFrom(stored: unknown): SyncedSettings {
  return syncedSettingsOf(settingsFrom(fieldsOf(stored, false)));
}

/** What the move of device settings off storage.sync writes: each part only when needed. */
export interface DeviceSettingsMove {
  /** The device settings to store locally: only when this device has none yet. */
  local?: DeviceSettings;
  /** The synced value again without the device fields, every other field as it was. */
  sync: Record<string, unknown>;
}

/**
 * The move, from what the two areas hold (undefined: absent): nothing when the synced value holds
 * no device field. A device that has its own keeps them; otherwise it takes the synced ones. Run at
 * each start, so values an older IPvLens syncs in later are moved too, and a second run changes
 * nothing. The caller writes `local` first and removes from sync only once that write succeeded.
 */
export function planDeviceSettingsMove(syncStored: unknown, localStored: unknown): DeviceSettingsMove | undefined {
  const synced = asRecord(syncStored);
  if (synced === undefined || !Object.keys(synced).some(isDeviceField)) return undefined;
  const sync = fieldsOf(synced, false);
  return localStored === undefined ? { local: deviceSettingsFrom(synced), sync } : { sync };
}
