// background/config.ts through the storage seam: the browser's store replaced by one over memory.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as BackgroundConfig from '../../src/background/config';
import { KEYS, createStore, type Store } from '../../src/platform/storage';
import { createMemoryStorage, type MemoryStorage } from '../support/memoryStorage';

const world = vi.hoisted(() => ({ store: undefined as Store | undefined }));

// The browser's store, replaced by one over memory that each fresh worker gets anew.
vi.mock('../../src/platform/storage/browser', () => ({
  browserStore: new Proxy({}, { get: (_target, name): unknown => (world.store === undefined ? undefined : (Reflect.get(world.store, name) as unknown)) }),
}));

/** A worker's fresh start: the module's copy of the config as a new worker has it, over new storage. */
async function freshWorker(): Promise<{ config: typeof BackgroundConfig; memory: MemoryStorage }> {
  vi.resetModules();
  const memory = createMemoryStorage();
  world.store = createStore(memory);
  return { config: await import('../../src/background/config'), memory };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('background config', () => {
  it('holds the defaults until loaded, then what storage has', async () => {
    const { config, memory } = await freshWorker();
    memory.seed('sync', { [KEYS.settings.key]: { iconStyle: 'dark' } });
    memory.seed('local', { [KEYS.colorScheme.key]: 'dark' });
    expect(config.currentConfig().settings.iconStyle).toBe('auto');
    expect(config.currentConfig().pageScheme).toBeUndefined();

    const loaded = await config.loadConfig();

    expect(loaded.settings.iconStyle).toBe('dark');
    expect(loaded.pageScheme).toBe('dark');
    expect(config.currentConfig()).toBe(loaded);
    // One read per area for the move of device settings off sync, one per area for the config.
    expect(memory.calls.filter((call) => call.op === 'get').map((call) => call.area).sort()).toEqual(['local', 'local', 'sync', 'sync']);
  });

  it('moves a DNS check still in storage.sync to storage.local before reading it', async () => {
    const { config, memory } = await freshWorker();
    memory.seed('sync', { [KEYS.settings.key]: { iconStyle: 'dark', dnsIpv6Check: true, dohResolver: 'quad9' } });
    const loaded = await config.loadConfig();
    expect(loaded.settings).toMatchObject({ iconStyle: 'dark', dnsIpv6Check: true, dohResolver: 'quad9' });
    expect(memory.contents('sync')[KEYS.settings.key]).toStrictEqual({ iconStyle: 'dark' });
    expect(memory.contents('local')[KEYS.deviceSettings.key]).toStrictEqual({ dnsIpv6Check: true, dohResolver: 'quad9', dohCustomUrl: '' });
  });

  it('a refused move is logged and the config still loads; the move is tried again at the next load', async () => {
    const { config, memory } = await freshWorker();
    memory.seed('sync', { [KEYS.settings.key]: { iconStyle: 'dark', dnsIpv6Check: true } });
    const errors: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    memory.rejectNext({ area: 'local', op: 'set' });
    const loaded = await config.loadConfig();
    expect(String(errors[0]?.[0])).toContain('could not move the DNS check settings');
    // Not moved: read from this device only, so the check stays off here for now.
    expect(loaded.settings).toMatchObject({ iconStyle: 'dark', dnsIpv6Check: false });
    expect(memory.contents('sync')[KEYS.settings.key]).toStrictEqual({ iconStyle: 'dark', dnsIpv6Check: true });
    expect((await config.loadConfig()).settings.dnsIpv6Check).toBe(true);
    expect(memory.contents('sync')[KEYS.settings.key]).toStrictEqual({ iconStyle: 'dark' });
  });

  it('a read storage refuses leaves the defaults and says why; the next load reads again', async () => {
    const { config, memory } = await freshWorker();
    memory.seed('sync', { [KEYS.settings.key]: { iconStyle: 'light' } });
    const errors: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    memory.rejectNext({ op: 'get', keyPrefix: KEYS.learnedNat64.key }, new Error('refused'));

    const loaded = await config.loadConfig();

    expect(loaded.settings.iconStyle).toBe('auto');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.[0])).toContain('could not read settings');
    // Positive control: the same storage, read again, gives what it holds.
    expect((await config.loadConfig()).settings.iconStyle).toBe('light');
  });

  it('a storage change of a key it reads gives the config before it; other keys and areas change nothing', async () => {
    const { config } = await freshWorker();
    const before = config.currentConfig();

    expect(config.applyStorageChange({ unrelated: { newValue: 1 } }, 'sync')).toBeUndefined();
    expect(config.applyStorageChange({ [KEYS.settings.key]: { newValue: { iconStyle: 'light' } } }, 'local')).toBeUndefined();
    expect(config.currentConfig()).toBe(before);

    expect(config.applyStorageChange({ [KEYS.settings.key]: { newValue: { iconStyle: 'light' } } }, 'sync')).toBe(before);
    expect(config.currentConfig().settings.iconStyle).toBe('light');
    expect(before.settings.iconStyle).toBe('auto');
  });

  it('the DNS check is heard from storage.local, not from a synced copy', async () => {
    const { config } = await freshWorker();
    const before = config.currentConfig();
    expect(config.applyStorageChange({ [KEYS.settings.key]: { newValue: { dnsIpv6Check: true } } }, 'sync')?.settings.dnsIpv6Check).toBe(false);
    expect(config.currentConfig().settings.dnsIpv6Check).toBe(false);
    expect(config.applyStorageChange({ [KEYS.deviceSettings.key]: { newValue: { dnsIpv6Check: true } } }, 'sync')).toBeUndefined();
    expect(config.applyStorageChange({ [KEYS.deviceSettings.key]: { newValue: { dnsIpv6Check: true } } }, 'local')).not.toBe(before);
    expect(config.currentConfig().settings.dnsIpv6Check).toBe(true);
  });

  it.each<[string, 'auto' | 'light' | 'dark', 'light' | 'dark' | undefined, 'light' | 'dark']>([
    ['a chosen light style, whatever pages saw', 'light', 'dark', 'light'],
    ['a chosen dark style', 'dark', undefined, 'dark'],
    ['automatic, following what a page saw', 'auto', 'dark', 'dark'],
    ['automatic, nothing seen yet', 'auto', undefined, 'light'],
  ])('the toolbar tone: %s', async (_, iconStyle, pageScheme, tone) => {
    const { config } = await freshWorker();
    const base = config.currentConfig();
    expect(config.toolbarTone({ ...base, settings: { ...base.settings, iconStyle }, pageScheme })).toBe(tone);
  });
});
