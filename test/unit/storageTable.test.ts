/** The storage module's key table and typed store, against the in-memory backend. */
import { describe, expect, it } from 'vitest';
import { foldVisit, type SiteRecord } from '../../src/core/history/siteRecord';
import { deviceSettingsOf, syncedSettingsOf } from '../../src/core/settings/deviceSettings';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';
import { AREA_NAMES, KEYS, changeOf, createStore, familyChanged, type KeyFamily, type SingleKey, type StorageChanges } from '../../src/platform/storage';
import { createMemoryStorage } from '../support/memoryStorage';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const counts = (v6: number, v4: number, unknown = 0) => ({ v6, v4, unknown });

const SITE_RECORD: SiteRecord = foldVisit(undefined, {
  site: 'example.com',
  time: T0,
  mainFamily: 6,
  domains: counts(2, 1),
  requests: counts(10, 5),
  bytes: counts(1000, 500),
  ipv4OnlyThirdParties: ['tracker.example.net'],
  thirdPartiesWithIPv6: [],
});

const defaults = { ...DEFAULT_SETTINGS, nat64Prefixes: [] };
// The synced settings hold no device setting; the device settings nothing else.
const syncedDefaults = syncedSettingsOf(defaults);
const deviceDefaults = deviceSettingsOf(defaults);

/** Values of every JSON kind, and shapes close to the real ones: no reader may throw on any. */
const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  '',
  'text',
  '{"tabId":',
  true,
  [],
  [[]],
  [null],
  [[1, 'x']],
  {},
  { site: 7 },
  { enabled: 'yes', maxSites: -3 },
  { iconStyle: null, nat64Prefixes: 'all' },
  { 'example.com': 'yesterday' },
  { addresses: null },
  [[[[[[[[]]]]]]]],
];

interface SingleCase {
  entry: SingleKey<unknown>;
  good: unknown;
  /** Damaged stored values and what a read must give for each. */
  damaged: Array<[stored: unknown, read: unknown]>;
}

const SINGLE_CASES: Record<string, SingleCase> = {
  settings: {
    entry: KEYS.settings,
    good: { ...syncedDefaults, iconStyle: 'dark', nat64Prefixes: ['2001:db8:64::/96'], lookupProvider: 'ipinfo.io' },
    damaged: [
      [null, syncedDefaults],
      [42, syncedDefaults],
      ['dark', syncedDefaults],
      [[], syncedDefaults],
      [{ iconStyle: 'neon', showConnectedHighlight: 'yes', nat64Prefixes: ['nonsense', 7] }, syncedDefaults],
      // One good field among bad ones is kept.
      [{ iconStyle: 'dark', lookupProvider: 5 }, { ...syncedDefaults, iconStyle: 'dark' }],
      // A device setting still in a synced value (before the move, or from an older IPvLens) is not read.
      [{ iconStyle: 'dark', dnsIpv6Check: true, dohResolver: 'google' }, { ...syncedDefaults, iconStyle: 'dark' }],
    ],
  },
  deviceSettings: {
    entry: KEYS.deviceSettings,
    good: { dnsIpv6Check: true, dohResolver: 'custom', dohCustomUrl: 'https://dns.example/dns-query' },
    damaged: [
      [null, deviceDefaults],
      ['on', deviceDefaults],
      [{ dnsIpv6Check: 'yes', dohResolver: 'nowhere', dohCustomUrl: 'http://plain.example/' }, deviceDefaults],
      [{ dnsIpv6Check: true, iconStyle: 'dark' }, { ...deviceDefaults, dnsIpv6Check: true }],
    ],
  },
  learnedNat64: {
    entry: KEYS.learnedNat64,
    good: ['2001:db8:64::/96'],
    damaged: [
      ['2001:db8:64::/96', []],
      [{}, []],
      [[1, null, 'bad', '2001:db8:64::/96'], ['2001:db8:64::/96']],
    ],
  },
  colorScheme: {
    entry: KEYS.colorScheme,
    good: 'dark',
    damaged: [
      ['blue', undefined],
      [1, undefined],
      [{}, undefined],
    ],
  },
  historySettings: {
    entry: KEYS.historySettings,
    good: { enabled: true, maxSites: 100 },
    damaged: [
      [null, { enabled: false, maxSites: 5000 }],
      ['on', { enabled: false, maxSites: 5000 }],
      [{ enabled: 'yes', maxSites: 5 }, { enabled: false, maxSites: 5000 }],
      [{ enabled: true, maxSites: 1e9 }, { enabled: true, maxSites: 5000 }],
    ],
  },
  historyIndex: {
    entry: KEYS.historyIndex,
    good: new Map([
      ['example.com', T0],
      ['other.org', T0 + 1],
    ]),
    damaged: [
      [[], new Map()],
      ['example.com', new Map()],
      [null, new Map()],
      [{ 'example.com': 'yesterday', 'other.org': 5 }, new Map([['other.org', 5]])],
    ],
  },
  historyWriteFailure: {
    entry: KEYS.historyWriteFailure,
    good: { time: T0, visits: 3, error: 'Error: QUOTA_BYTES quota exceeded' },
    damaged: [
      [null, undefined],
      ['full', undefined],
      [{ time: T0, visits: -1, error: 'x' }, undefined],
      [{ time: T0, visits: 2 }, undefined],
    ],
  },
  nativeIpv6: {
    entry: KEYS.nativeIpv6,
    good: '[1000,[60000,60500]]',
    damaged: [
      [null, undefined],
      [[1000], undefined],
    ],
  },
  tabPrivacy: {
    entry: KEYS.tabPrivacy,
    good: new Map([
      [1, false],
      [2, true],
    ]),
    damaged: [
      [{}, new Map()],
      ['private', new Map()],
      [[null, [1, 'no'], ['2', true], [3, true]], new Map([[3, true]])],
    ],
  },
};

interface FamilyCase {
  family: KeyFamily<unknown, unknown>;
  id: unknown;
  key: string;
  good: unknown;
  damagedValues: unknown[];
  /** Keys of the family's prefix that name nothing. */
  badKeys: string[];
}

const FAMILY_CASES: Record<string, FamilyCase> = {
  historySite: {
    family: KEYS.historySite,
    id: 'example.com',
    key: 'h:site:example.com',
    good: SITE_RECORD,
    damagedValues: [null, 'example.com', { site: 'example.com' }, { ...SITE_RECORD, requests: counts(-1, 0) }],
    badKeys: ['h:site:'],
  },
  tabState: {
    family: KEYS.tabState,
    id: 5,
    key: 't:5',
    good: '{"tabId":5}',
    damagedValues: [null, 5, { tabId: 5 }],
    badKeys: ['t:', 't:abc', 't:1.5'],
  },
  domainState: {
    family: KEYS.domainState,
    id: { tabId: 1, viewId: 'v1', domain: 'a.test' },
    key: 'd:1:v1:a.test',
    good: '{"domain":"a.test"}',
    damagedValues: [null, { domain: 'a.test' }],
    badKeys: ['d:1', 'd:1:v1', 'd:x:v1:a.test'],
  },
  liveState: {
    family: KEYS.liveState,
    id: { tabId: 1, viewId: 'v1' },
    key: 'l:1:v1',
    good: '{"ring":[]}',
    damagedValues: [[], 0],
    badKeys: ['l:1', 'l:x:v1', 'l:1:'],
  },
  rememberedAddress: {
    family: KEYS.rememberedAddress,
    id: 'a.test',
    key: 'a:a.test',
    good: '{"address":"192.0.2.1"}',
    damagedValues: [{ address: '192.0.2.1' }, false],
    badKeys: ['a:'],
  },
};

describe('the key table', () => {
  it('has a case below for every entry', () => {
    expect(Object.keys({ ...SINGLE_CASES, ...FAMILY_CASES }).sort()).toEqual(Object.keys(KEYS).sort());
  });

  it('gives every stored key to at most one entry of its area', () => {
    const entries = Object.values(KEYS);
    for (const a of entries) {
      for (const b of entries) {
        if (a === b || a.area !== b.area) continue;
        const claims = (entry: typeof a, key: string): boolean => (entry.kind === 'single' ? entry.key === key : key.startsWith(entry.prefix));
        const sample = a.kind === 'single' ? a.key : `${a.prefix}x`;
        expect(claims(b, sample), `${sample} is claimed by two entries`).toBe(false);
      }
    }
    // Positive control: the check sees a key its own entry claims.
    expect(KEYS.historySite.idOf('h:site:x')).toBe('x');
  });

  it.each(Object.entries(KEYS))('%s: no reader throws on odd values', (_name, entry) => {
    for (const value of ODD_VALUES) expect(() => entry.parse(value)).not.toThrow();
  });
});

describe('single keys: a good value round-trips, a damaged one reads as the default', () => {
  it.each(Object.entries(SINGLE_CASES))('%s', async (_name, { entry, good, damaged }) => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    expect(await store.get(entry)).toEqual(entry.fallback());

    await store.set(entry.item(good));
    expect(await store.get(entry)).toEqual(good);
    // The fake keeps values as JSON, as the browser does: a Map written as is would read back as {}.
    expect(backend.contents(entry.area)[entry.key]).toEqual(entry.toStored(good));

    for (const [stored, read] of damaged) {
      backend.seed(entry.area, { [entry.key]: stored });
      expect(await store.get(entry)).toEqual(read);
    }
  });

  it('a default is a fresh value: changing one read does not change the next', async () => {
    const store = createStore(createMemoryStorage());
    const first = await store.get(KEYS.historyIndex);
    first.set('example.com', T0);
    expect((await store.get(KEYS.historyIndex)).size).toBe(0);
    expect(first.size).toBe(1);
  });
});

describe('key families: members read back by id, damaged values and keys reported, never thrown', () => {
  it.each(Object.entries(FAMILY_CASES))('%s', async (_name, { family, id, key, good, damagedValues, badKeys }) => {
    expect(family.keyOf(id)).toBe(key);
    expect(family.idOf(key)).toEqual(id);
    for (const bad of badKeys) expect(family.idOf(bad)).toBeUndefined();

    const backend = createMemoryStorage();
    const store = createStore(backend);
    await store.set(family.item(id, good));
    expect(await store.getFamily(family, [id])).toEqual({ members: [{ key, id, value: good }], unreadable: [] });

    const damaged = damagedValues.map((value, n) => [`${key}~${n}`, value] as const);
    const damagedKeys = damaged.map(([damagedKey]) => damagedKey);
    backend.seed(family.area, Object.fromEntries(damaged));
    backend.seed(family.area, Object.fromEntries(badKeys.map((bad) => [bad, good])));
    // A key of another entry in the same area is not the family's.
    backend.seed(family.area, { unrelated: good });
    const all = await store.getFamily(family);
    expect(all.members).toEqual([{ key, id, value: good }]);
    expect(all.unreadable.sort()).toEqual([...badKeys, ...damagedKeys].sort());
  });
});

describe('the store', () => {
  it('writes items of several areas with one write per area', async () => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    await store.set(KEYS.settings.item({ ...syncedDefaults, iconStyle: 'light' }), KEYS.historyIndex.item(new Map([['example.com', T0]])), KEYS.historySite.item('example.com', SITE_RECORD));
    expect(backend.calls.map(({ area, op, keys }) => [area, op, keys?.sort()])).toEqual([
      ['sync', 'set', ['settings']],
      ['local', 'set', ['h:index', 'h:site:example.com']],
    ]);
    expect((await store.get(KEYS.settings)).iconStyle).toBe('light');
  });

  it('reads several keys with one read per area, each as get would', async () => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    backend.seed('sync', { settings: { iconStyle: 'dark' } });
    backend.seed('local', { colorScheme: 'purple' });
    const [settings, learned, scheme] = await store.getEach(KEYS.settings, KEYS.learnedNat64, KEYS.colorScheme);
    expect(settings).toEqual({ ...syncedDefaults, iconStyle: 'dark' });
    expect(learned).toEqual([]);
    expect(scheme).toBeUndefined();
    expect(backend.calls).toEqual([
      { area: 'sync', op: 'get', keys: ['settings'] },
      { area: 'local', op: 'get', keys: ['learnedNat64', 'colorScheme'] },
    ]);
  });

  it('a write refused for quota stores none of its items', async () => {
    const backend = createMemoryStorage({ quotaBytes: { local: 200 } });
    const store = createStore(backend);
    await expect(store.set(KEYS.historyIndex.item(new Map([['example.com', T0]])), KEYS.historySite.item('example.com', SITE_RECORD))).rejects.toThrow(/QUOTA_BYTES/);
    expect(backend.contents('local')).toEqual({});
    // Control: the index alone fits.
    await store.set(KEYS.historyIndex.item(new Map([['example.com', T0]])));
    expect(Object.keys(backend.contents('local'))).toEqual(['h:index']);
  });

  it('removes by table entry and family member, each key once', async () => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    await store.set(KEYS.historyIndex.item(new Map()), KEYS.historySite.item('a.test', SITE_RECORD), KEYS.historySite.item('b.test', SITE_RECORD));
    await store.remove(KEYS.historyIndex, KEYS.historySite.ref('a.test'), KEYS.historySite.ref('a.test'));
    expect(backend.calls.at(-1)).toEqual({ area: 'local', op: 'remove', keys: ['h:index', 'h:site:a.test'] });
    expect(Object.keys(backend.contents('local'))).toEqual(['h:site:b.test']);
  });

  it('reads only the members asked for, and nothing for none', async () => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    await store.set(KEYS.historySite.item('a.test', SITE_RECORD), KEYS.historySite.item('b.test', SITE_RECORD));
    expect((await store.getFamily(KEYS.historySite, ['b.test', 'c.test'])).members.map((member) => member.id)).toEqual(['b.test']);
    expect(backend.calls.at(-1)).toEqual({ area: 'local', op: 'get', keys: ['h:site:b.test', 'h:site:c.test'] });
    const callsBefore = backend.calls.length;
    expect(await store.getFamily(KEYS.historySite, [])).toEqual({ members: [], unreadable: [] });
    expect(backend.calls.length).toBe(callsBefore);
  });

  it('tells a listener of the areas it asked for only (the worker is not sent its own session writes)', async () => {
    const store = createStore(createMemoryStorage());
    const heard: string[] = [];
    store.onChanged((changes, area) => heard.push(`${area}:${Object.keys(changes).join(',')}`), ['local', 'sync']);
    await store.area('session').set({ 't:1': '[]' });
    await store.set(KEYS.historySettings.item({ enabled: true, maxSites: 50 }));
    // The local write is heard (positive control), the session write before it never is.
    await expect.poll(() => heard).toEqual([`local:${KEYS.historySettings.key}`]);
  });

  it('reports changes: a key’s new value (its default once removed), and whether a family was touched', async () => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    const events: Array<[StorageChanges, string]> = [];
    const stop = store.onChanged((changes, area) => events.push([changes, area]), AREA_NAMES);
    await store.set(KEYS.historySettings.item({ enabled: true, maxSites: 50 }));
    await store.remove(KEYS.historySettings);
    await store.set(KEYS.historySite.item('a.test', SITE_RECORD));
    await expect.poll(() => events.length).toBe(3);
    const [[set, setArea], [removed, removedArea], [site, siteArea]] = events as [[StorageChanges, 'local'], [StorageChanges, 'local'], [StorageChanges, 'local']];
    expect(changeOf(KEYS.historySettings, set, setArea)).toEqual({ value: { enabled: true, maxSites: 50 } });
    expect(changeOf(KEYS.historySettings, removed, removedArea)).toEqual({ value: { enabled: false, maxSites: 5000 } });
    expect(changeOf(KEYS.historySettings, site, siteArea)).toBeUndefined();
    expect(changeOf(KEYS.historySettings, set, 'sync')).toBeUndefined();
    expect(familyChanged(KEYS.historySite, site, siteArea)).toBe(true);
    expect(familyChanged(KEYS.historySite, set, setArea)).toBe(false);

    stop();
    await store.set(KEYS.historySettings.item({ enabled: false, maxSites: 50 }));
    // Control for the unsubscribe: a listener still subscribed hears this write.
    const later: string[] = [];
    store.onChanged((_changes, area) => later.push(area), AREA_NAMES);
    await store.set(KEYS.historySettings.item({ enabled: true, maxSites: 60 }));
    await expect.poll(() => later).toEqual(['local']);
    expect(events.length).toBe(3);
  });

  it('gives raw access to each area for data the core encodes itself', async () => {
    const backend = createMemoryStorage();
    const store = createStore(backend);
    for (const area of AREA_NAMES) {
      await store.area(area).set({ 't:1': 'x' });
      expect(await store.area(area).get(null)).toEqual({ 't:1': 'x' });
      expect(await store.area(area).bytesInUse(null)).toBe('t:1'.length + '"x"'.length);
    }
  });
});
