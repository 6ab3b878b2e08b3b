/** The private-tab map against the in-memory storage: what the site history may record. */
import { describe, expect, it } from 'vitest';
import { createPrivateTabs, type TabsApi } from '../../src/background/privateTabs';
import { KEYS, createStore } from '../../src/platform/storage';
import { createMemoryStorage } from '../support/memoryStorage';

interface Tab {
  id: number;
  incognito: boolean;
}

/** The browser's tabs: `open` are listed by query and answered by get; a closed tab is known to neither. */
function tabsOf(open: Tab[]): TabsApi {
  return {
    query: () => Promise.resolve([...open]),
    get: (tabId) => {
      const tab = open.find((candidate) => candidate.id === tabId);
      return tab === undefined ? Promise.reject(new Error(`No tab with id: ${tabId}.`)) : Promise.resolve(tab);
    },
  };
}

function logged(): { log: (message: string, error: unknown) => void; lines: string[] } {
  const lines: string[] = [];
  return { log: (message, error) => lines.push(`${message}: ${String(error)}`), lines };
}

describe('private tabs', () => {
  it('a failed load is logged and retried at the next call, which answers from what was stored', async () => {
    const storage = createMemoryStorage();
    // Tab 7 was a normal tab; it has closed, so only storage can tell about it now.
    storage.seed('session', { [KEYS.tabPrivacy.key]: [[7, false]] });
    storage.rejectNext({ area: 'session', op: 'get' }, new Error('storage unavailable'));
    const { log, lines } = logged();
    const tabs = createPrivateTabs(createStore(storage), tabsOf([{ id: 5, incognito: false }, { id: 6, incognito: true }]), log);

    // Nobody can tell about tab 7 while the load fails: it counts as private.
    expect(await tabs.isNormalTab(7)).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/could not load which tabs are private.*storage unavailable/)]);

    expect(await tabs.isNormalTab(7)).toBe(true);
    expect(await tabs.isNormalTab(5)).toBe(true);
    expect(await tabs.isNormalTab(6)).toBe(false);
    expect(lines).toHaveLength(1);
  });

  it('open tabs are answered by the browser while the load fails', async () => {
    const storage = createMemoryStorage();
    storage.rejectNext({ area: 'session', op: 'get' });
    const tabs = createPrivateTabs(createStore(storage), tabsOf([{ id: 5, incognito: false }, { id: 6, incognito: true }]), () => undefined);
    expect(await tabs.isNormalTab(5)).toBe(true);
    expect(storage.calls.filter((call) => call.op === 'get')).toHaveLength(1);
    expect(await tabs.isNormalTab(6)).toBe(false);
    // The second call loaded the map (a second read) and wrote it back.
    expect(storage.calls.filter((call) => call.op === 'get')).toHaveLength(2);
    expect(storage.contents('session')[KEYS.tabPrivacy.key]).toEqual([
      [5, false],
      [6, true],
    ]);
  });

  it('notes new tabs in storage, so the next worker answers for tabs that have closed since', async () => {
    const storage = createMemoryStorage();
    const first = createPrivateTabs(createStore(storage), tabsOf([]), () => undefined);
    first.noteTab({ id: 9, incognito: true });
    first.noteTab({ id: 10, incognito: false });
    await expect.poll(() => storage.contents('session')[KEYS.tabPrivacy.key]).toEqual([
      [9, true],
      [10, false],
    ]);

    const next = createPrivateTabs(createStore(storage.restart()), tabsOf([]), () => undefined);
    expect(await next.isNormalTab(10)).toBe(true);
    expect(await next.isNormalTab(9)).toBe(false);
    expect(await next.isNormalTab(11)).toBe(false);
  });

  it('answers from the map when it cannot be kept (quota), and says so', async () => {
    const storage = createMemoryStorage({ quotaBytes: { session: 8 } });
    const { log, lines } = logged();
    const open = [{ id: 5, incognito: false }];
    // The browser lists tab 5 once, then forgets it (it closes): only the map can answer after.
    const tabs = createPrivateTabs(createStore(storage), { query: () => Promise.resolve(open), get: () => Promise.reject(new Error('closed')) }, log);
    expect(await tabs.isNormalTab(5)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/could not keep which tabs are private.*QUOTA_BYTES/)]);
    expect(await tabs.isNormalTab(6)).toBe(false);
  });

  it('a note during a failed load is logged, and the next note loads and keeps both', async () => {
    const storage = createMemoryStorage();
    storage.rejectNext({ area: 'session', op: 'get' });
    const { log, lines } = logged();
    const open: Tab[] = [{ id: 1, incognito: true }];
    const tabs = createPrivateTabs(createStore(storage), tabsOf(open), log);
    tabs.noteTab({ id: 1, incognito: true });
    await expect.poll(() => lines.some((line) => line.includes('could not note a tab'))).toBe(true);
    expect(storage.contents('session')).toEqual({});

    open.push({ id: 2, incognito: false });
    tabs.noteTab({ id: 2, incognito: false });
    await expect.poll(() => storage.contents('session')[KEYS.tabPrivacy.key]).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});
