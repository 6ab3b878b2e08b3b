/**
 * The settings that make IPvLens send something (the DNS check, its resolver) stay in
 * storage.local: the move of values a synced copy still holds, and reads, writes and change events
 * of the stored config, over the in-memory storage.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_SETTINGS_KEY, planDeviceSettingsMove, type DeviceSettings } from '../../src/core/settings/deviceSettings';
import { DEFAULT_SETTINGS, SETTINGS_KEY } from '../../src/core/settings/settings';
import { createStore, type Store } from '../../src/platform/storage';
import type * as StoredConfigModule from '../../src/platform/storedConfig';
import { createMemoryStorage, type MemoryStorage } from '../support/memoryStorage';

const world = vi.hoisted(() => ({ store: undefined as Store | undefined }));

// The browser's store, replaced by one over memory that each test sets afresh.
vi.mock('../../src/platform/storage/browser', () => ({
  browserStore: new Proxy({}, { get: (_target, name): unknown => (world.store === undefined ? undefined : (Reflect.get(world.store, name) as unknown)) }),
}));

/** The stored config's module over fresh, empty storage. */
async function fresh(): Promise<{ stored: typeof StoredConfigModule; memory: MemoryStorage }> {
  const memory = createMemoryStorage();
  world.store = createStore(memory);
  return { stored: await import('../../src/platform/storedConfig'), memory };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const DEVICE_DEFAULTS: DeviceSettings = { dnsIpv6Check: false, dohResolver: 'cloudflare', dohCustomUrl: '' };
const ON_GOOGLE: DeviceSettings = { dnsIpv6Check: true, dohResolver: 'google', dohCustomUrl: '' };
const ON_CUSTOM: DeviceSettings = { dnsIpv6Check: true, dohResolver: 'custom', dohCustomUrl: 'https://dns.example/dns-query' };
/** A synced value as an older IPvLens wrote it, with a field of a newer one it must keep. */
const OLD_SYNCED = { iconStyle: 'dark', lookupProvider: 'ipinfo.io', futureField: 7, ...ON_GOOGLE };
const SYNCED_ONLY = { iconStyle: 'dark', lookupProvider: 'ipinfo.io', futureField: 7 };

describe('planDeviceSettingsMove', () => {
  it.each<[string, unknown, unknown, ReturnType<typeof planDeviceSettingsMove>]>([
    ['sync only: copied to this device, taken out of sync', OLD_SYNCED, undefined, { local: ON_GOOGLE, sync: SYNCED_ONLY }],
    ['both: this device keeps its own, sync loses them', OLD_SYNCED, ON_CUSTOM, { sync: SYNCED_ONLY }],
    ['a damaged local value still counts as this device’s own', OLD_SYNCED, 'garbage', { sync: SYNCED_ONLY }],
    ['one device field in sync is enough to move', { iconStyle: 'light', dnsIpv6Check: true }, undefined, { local: { ...DEVICE_DEFAULTS, dnsIpv6Check: true }, sync: { iconStyle: 'light' } }],
    ['a damaged synced field moves as its default', { dnsIpv6Check: 'yes', dohResolver: 'nowhere' }, undefined, { local: DEVICE_DEFAULTS, sync: {} }],
    ['local only: nothing to do', SYNCED_ONLY, ON_CUSTOM, undefined],
    ['nothing stored: nothing to do', undefined, undefined, undefined],
    ['a synced value that is not an object: nothing to do', ['dnsIpv6Check'], undefined, undefined],
  ])('%s', (_name, synced, local, expected) => {
    expect(planDeviceSettingsMove(synced, local)).toStrictEqual(expected);
  });
});

describe('moving device settings off storage.sync', () => {
  it.each<[string, Record<string, unknown> | undefined, unknown, 'none' | 'moved' | 'removed', unknown, DeviceSettings | undefined]>([
    ['sync only', OLD_SYNCED, undefined, 'moved', SYNCED_ONLY, ON_GOOGLE],
    ['local only', SYNCED_ONLY, ON_CUSTOM, 'none', SYNCED_ONLY, ON_CUSTOM],
    ['both: local wins', OLD_SYNCED, ON_CUSTOM, 'removed', SYNCED_ONLY, ON_CUSTOM],
    ['neither', undefined, undefined, 'none', undefined, undefined],
  ])('%s; a second run changes nothing', async (_name, synced, local, did, syncAfter, localAfter) => {
    const { stored, memory } = await fresh();
    if (synced !== undefined) memory.seed('sync', { [SETTINGS_KEY]: synced });
    if (local !== undefined) memory.seed('local', { [DEVICE_SETTINGS_KEY]: local });
    expect(await stored.moveDeviceSettingsOffSync()).toBe(did);
    expect(memory.contents('sync')[SETTINGS_KEY]).toStrictEqual(syncAfter);
    expect(memory.contents('local')[DEVICE_SETTINGS_KEY]).toStrictEqual(localAfter);
    const writes = memory.calls.filter((call) => call.op === 'set').length;
    expect(await stored.moveDeviceSettingsOffSync()).toBe('none');
    expect(memory.calls.filter((call) => call.op === 'set').length).toBe(writes);
    expect(memory.contents('sync')[SETTINGS_KEY]).toStrictEqual(syncAfter);
    expect(memory.contents('local')[DEVICE_SETTINGS_KEY]).toStrictEqual(localAfter);
    // What the config reads afterwards is what was synced, or this device's own.
    expect((await stored.readStoredConfig()).settings).toMatchObject(localAfter ?? DEVICE_DEFAULTS);
  });

  it('a refused local write leaves the synced values where they are; the next start moves them', async () => {
    const { stored, memory } = await fresh();
    memory.seed('sync', { [SETTINGS_KEY]: OLD_SYNCED });
    memory.rejectNext({ area: 'local', op: 'set' }, new Error('QUOTA_BYTES quota exceeded'));
    await expect(stored.moveDeviceSettingsOffSync()).rejects.toThrow(/QUOTA_BYTES/);
    expect(memory.contents('sync')[SETTINGS_KEY]).toStrictEqual(OLD_SYNCED);
    expect(memory.contents('local')).toStrictEqual({});
    expect(memory.calls.filter((call) => call.area === 'sync' && call.op === 'set')).toEqual([]);
    // Positive control: the next start, not refused, moves them.
    expect(await stored.moveDeviceSettingsOffSync()).toBe('moved');
    expect(memory.contents('local')[DEVICE_SETTINGS_KEY]).toStrictEqual(ON_GOOGLE);
    expect(memory.contents('sync')[SETTINGS_KEY]).toStrictEqual(SYNCED_ONLY);
  });

  it('a refused sync write keeps the local copy; the next start only takes them out of sync', async () => {
    const { stored, memory } = await fresh();
    memory.seed('sync', { [SETTINGS_KEY]: OLD_SYNCED });
    memory.rejectNext({ area: 'sync', op: 'set' });
    await expect(stored.moveDeviceSettingsOffSync()).rejects.toThrow();
    expect(memory.contents('local')[DEVICE_SETTINGS_KEY]).toStrictEqual(ON_GOOGLE);
    expect(memory.contents('sync')[SETTINGS_KEY]).toStrictEqual(OLD_SYNCED);
    expect(await stored.moveDeviceSettingsOffSync()).toBe('removed');
    expect(memory.contents('sync')[SETTINGS_KEY]).toStrictEqual(SYNCED_ONLY);
    expect(memory.contents('local')[DEVICE_SETTINGS_KEY]).toStrictEqual(ON_GOOGLE);
  });
});

describe('reads, writes and changes of the stored config', () => {
  it('saving writes the DNS check and its resolver to storage.local and nothing of them to storage.sync', async () => {
    const { stored, memory } = await fresh();
    await stored.saveSettings({ ...DEFAULT_SETTINGS, iconStyle: 'dark', ...ON_CUSTOM });
    const synced = memory.contents('sync')[SETTINGS_KEY] as Record<string, unknown>;
    expect(synced.iconStyle).toBe('dark');
    expect(Object.keys(synced).filter((field) => field in ON_CUSTOM)).toEqual([]);
    expect(memory.contents('local')[DEVICE_SETTINGS_KEY]).toStrictEqual(ON_CUSTOM);
    expect((await stored.readStoredConfig()).settings).toStrictEqual({ ...DEFAULT_SETTINGS, iconStyle: 'dark', ...ON_CUSTOM });
  });

  it('a read takes the DNS check from storage.local, never from a synced copy', async () => {
    const { stored, memory } = await fresh();
    memory.seed('sync', { [SETTINGS_KEY]: OLD_SYNCED });
    expect((await stored.readStoredConfig()).settings).toMatchObject({ iconStyle: 'dark', ...DEVICE_DEFAULTS });
    // Positive control: the same values in storage.local are read.
    memory.seed('local', { [DEVICE_SETTINGS_KEY]: ON_GOOGLE });
    expect((await stored.readStoredConfig()).settings).toMatchObject({ iconStyle: 'dark', ...ON_GOOGLE });
  });

  it.each<[string, Record<string, { newValue: unknown }>, 'local' | 'sync', Partial<typeof DEFAULT_SETTINGS> | undefined]>([
    ['the device settings changed in storage.local', { [DEVICE_SETTINGS_KEY]: { newValue: ON_GOOGLE } }, 'local', { ...ON_GOOGLE, iconStyle: 'light' }],
    ['the synced settings changed in storage.sync', { [SETTINGS_KEY]: { newValue: { iconStyle: 'dark' } } }, 'sync', { ...ON_CUSTOM, iconStyle: 'dark' }],
    ['a synced copy of the device settings is not heard', { [SETTINGS_KEY]: { newValue: { iconStyle: 'light', ...ON_GOOGLE } } }, 'sync', { ...ON_CUSTOM, iconStyle: 'light' }],
    ['the device key in another area: no change', { [DEVICE_SETTINGS_KEY]: { newValue: ON_GOOGLE } }, 'sync', undefined],
  ])('%s', async (_name, changes, area, expected) => {
    const { stored } = await fresh();
    const config = { ...stored.DEFAULT_CONFIG, settings: { ...DEFAULT_SETTINGS, iconStyle: 'light' as const, ...ON_CUSTOM } };
    const next = stored.changedConfig(config, changes, area);
    if (expected === undefined) expect(next).toBeUndefined();
    else expect(next?.settings).toMatchObject(expected);
  });
});
