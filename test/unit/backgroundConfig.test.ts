// background/config.ts through the storage seam: the browser's store replaced by one over memory.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as BackgroundConfig from '../../src/background/config';
import { KEYS } from '../../src/platform/storage';
import type { MemoryStorage } from '../support/memoryStorage';

const world = vi.hoisted(() => ({ memory: undefined as MemoryStorage | undefined }));

vi.mock('../../src/platform/storage/browser', async () => {
  const { createStore } = await import('../../src/platform/storage/store');
  const { createMemoryStorage } = await import('../support/memoryStorage');
  world.memory = createMemoryStorage();
  return { browserStore: createStore(world.memory) };
});

/** A worker's fresh start: the module's copy of the config as a new worker has it, over new storage. */
async function freshWorker(): Promise<{ config: typeof BackgroundConfig; memory: MemoryStorage }> {
  vi.resetModules();
  const config = await import('../../src/background/config');
  if (world.memory === undefined) throw new Error('the storage mock did not run');
  return { config, memory: world.memory };
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
    expect(memory.calls.filter((call) => call.op === 'get').map((call) => call.area).sort()).toEqual(['local', 'sync']);
  });

  it('a read storage refuses leaves the defaults and says why; the next load reads again', async () => {
    const { config, memory } = await freshWorker();
    memory.seed('sync', { [KEYS.settings.key]: { iconStyle: 'light' } });
    const errors: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    memory.rejectNext({ op: 'get' }, new Error('refused'));

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
