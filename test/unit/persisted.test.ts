import { describe, expect, it } from 'vitest';
import { newDomainRecord, type DomainRecord, type TabState } from '../../src/core/model';
import { restoreTracker, storageWrites, storedTabOf, type StoredTab } from '../../src/core/persisted';
import { decodeDomainRecord, decodeStoredTab } from '../../src/core/sessionCodec';
import {
  drainChanges,
  newChangeLog,
  onCommitted,
  onRedirect,
  onRequestEnded,
  onRequestStarted,
  onTabRemoved,
  onTabReplaced,
  setPartialViewUrl,
  type RequestEvent,
  type Tracker,
} from '../../src/core/tracker';
import { load, navigate, newTracker, request, response, tick } from './trackerEvents';

// ---------------------------------------------------------------------------------------------
// Factories


function startNavigation(t: Tracker, tabId: number, url: string): RequestEvent {
  const req = request(url, { tabId, type: 'main_frame' });
  onRequestStarted(t, req);
  return req;
}


/** What storage.session holds: JSON, as the browser stores it. */
type Storage = Map<string, unknown>;

function persist(t: Tracker, storage: Storage): void {
  const { set, remove } = storageWrites(t, drainChanges(t));
  for (const [key, value] of Object.entries(set)) storage.set(key, JSON.parse(JSON.stringify(value)));
  for (const key of remove) storage.delete(key);
}

function restoreFrom(storage: Storage): { restored: Tracker; orphans: string[] } {
  const restored = newTracker('w');
  const orphans = restoreTracker(restored, JSON.parse(JSON.stringify(Object.fromEntries(storage))) as Record<string, unknown>);
  return { restored, orphans };
}

/** The keys the live state should occupy in storage: one per tab, one per domain of each view. */
function liveKeys(t: Tracker): string[] {
  const keys: string[] = [];
  for (const tab of t.tabs.values()) {
    keys.push(`t:${tab.tabId}`);
    for (const view of [tab.current, tab.previous]) {
      if (view === undefined) continue;
      for (const domain of view.domains.keys()) keys.push(`d:${tab.tabId}:${view.id}:${domain}`);
      keys.push(`l:${tab.tabId}:${view.id}`);
    }
  }
  return keys.sort();
}

function validRecord(domain: string, over: Partial<DomainRecord> = {}): DomainRecord {
  return { ...newDomainRecord(domain, 1), ...over };
}

function validTab(tabId: number, currentId: string, previousId?: string): StoredTab {
  const stored: StoredTab = { tabId, current: { id: currentId, committed: true, partial: false, startedAt: 1, mainDomain: 'a.example' } };
  if (previousId !== undefined) stored.previous = { id: previousId, committed: true, partial: false, startedAt: 0 };
  return stored;
}

// ---------------------------------------------------------------------------------------------

describe('storageWrites → restoreTracker round trip', () => {
  const steps: Array<[string, (t: Tracker) => void]> = [
    [
      'a committed page with IPv4, IPv6, mapped, NAT64 and cached domains',
      (t) => {
        navigate(t, 1, 'https://a.example/', '2001:db8::1', 'docA');
        load(t, 'https://cdn.example/1', '192.0.2.1', { documentId: 'docA' }, { statusLine: 'HTTP/2.0 200' });
        load(t, 'https://cdn.example/2', '2001:db8::2', { documentId: 'docA' }, { fromCache: true });
        load(t, 'https://mapped.example/', '::ffff:7f00:2', { documentId: 'docA' });
        load(t, 'https://nat.example/', '64:ff9b::c000:221', { documentId: 'docA' });
        load(t, 'http://plain.example/', undefined, { documentId: 'docA' });
        onRequestStarted(t, request('wss://live.example/socket', { type: 'websocket', documentId: 'docA' }));
      },
    ],
    [
      'a partial tab and a browser page',
      (t) => {
        load(t, 'https://feed.example/poll', '2001:db8::7', { tabId: 2 });
        setPartialViewUrl(t, 2, 'https://reader.example/');
        onCommitted(t, { tabId: 3, frameId: 0, url: 'chrome://newtab/', documentId: 'docN', time: tick() });
      },
    ],
    [
      'a pending navigation with a redirect and a late request of the old page',
      (t) => {
        const nav = startNavigation(t, 1, 'http://b.example/');
        onRedirect(t, { ...response(nav, '192.0.2.9'), redirectUrl: 'https://www.b.example/' });
        onRequestStarted(t, { ...nav, url: 'https://www.b.example/', time: tick() });
        load(t, 'https://beacon.example/', '192.0.2.10', { type: 'ping', documentId: 'docA' });
      },
    ],
    [
      'a worker request shared by two tabs',
      (t) => {
        navigate(t, 4, 'https://reader.example/other', '2001:db8::8', 'docR');
        load(t, 'https://api.example/', '2001:db8::9', { tabId: -1, initiator: 'https://reader.example' });
      },
    ],
    [
      'the pending navigation commits',
      (t) => onCommitted(t, { tabId: 1, frameId: 0, url: 'https://www.b.example/', documentId: 'docB', time: tick() }),
    ],
    [
      'a failed navigation falls back',
      (t) => {
        const nav = startNavigation(t, 4, 'https://dl.example/file');
        onRequestEnded(t, nav, true);
      },
    ],
    ['a tab is replaced', (t) => onTabReplaced(t, 14, 4)],
    ['a tab is closed', (t) => onTabRemoved(t, 3)],
    [
      'a back/forward-cache commit',
      (t) => onCommitted(t, { tabId: 1, frameId: 0, url: 'https://a.example/', documentId: 'docA', time: tick() }),
    ],
  ];

  it('gives equal state after every batch, with storage holding exactly the live keys', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    for (const [name, step] of steps) {
      step(t);
      persist(t, storage);
      const { restored, orphans } = restoreFrom(storage);
      expect(orphans, name).toEqual([]);
      expect([...storage.keys()].sort(), name).toEqual(liveKeys(t));
      expect(sorted(restored.tabs.keys()), name).toEqual(sorted(t.tabs.keys()));
      for (const [tabId, tab] of t.tabs) {
        const back = restored.tabs.get(tabId);
        expect(back, `${name}: tab ${tabId}`).toEqual(tab);
        expect(back?.current.familyTally, `${name}: tab ${tabId} tally`).toEqual(tab.current.familyTally);
        expect(back?.previous?.familyTally, `${name}: tab ${tabId} previous tally`).toEqual(tab.previous?.familyTally);
      }
    }
  });

  it('restores the previous view of a pending navigation with its own domains', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/', '2001:db8::1', { documentId: 'docA' });
    startNavigation(t, 1, 'https://b.example/');
    persist(t, storage);

    const { restored, orphans } = restoreFrom(storage);
    expect(orphans).toEqual([]);
    const tab = restored.tabs.get(1);
    expect(tab?.previous?.id).toBe('v1');
    expect([...(tab?.previous?.domains.keys() ?? [])].sort()).toEqual(['a.example', 'cdn.example']);
    expect(tab?.previous?.familyTally).toEqual({ 4: 1, 6: 1 });
    expect(tab?.previous?.documentId).toBe('docA');
    expect(tab?.current.id).toBe('v2');
    expect([...(tab?.current.domains.keys() ?? [])]).toEqual(['b.example']);
    expect(tab?.current.committed).toBe(false);

    // The restored tracker carries on: the commit drops the old view's keys from storage.
    onCommitted(restored, { tabId: 1, frameId: 0, url: 'https://b.example/', documentId: 'docB', time: tick() });
    load(restored, 'https://img.example/', '192.0.2.5', { documentId: 'docB' });
    persist(restored, storage);
    expect([...storage.keys()].sort()).toEqual(['d:1:v2:b.example', 'd:1:v2:img.example', 'l:1:v2', 't:1']);
    expect(liveKeys(restored)).toEqual([...storage.keys()].sort());
  });

  it('a late request of the old document still reaches the restored previous view', () => {
    const t = newTracker();
    const storage: Storage = new Map();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    startNavigation(t, 1, 'https://b.example/');
    persist(t, storage);
    const { restored } = restoreFrom(storage);
    load(restored, 'https://beacon.example/', '192.0.2.9', { documentId: 'docA' });
    expect(restored.tabs.get(1)?.previous?.domains.has('beacon.example')).toBe(true);
    expect(restored.tabs.get(1)?.current.domains.has('beacon.example')).toBe(false);
  });
});

describe('storageWrites', () => {
  it('writes a tab as its view metas, without domains or tallies, as compact JSON text', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    startNavigation(t, 1, 'https://b.example/');
    const { set, remove } = storageWrites(t, drainChanges(t));
    expect(remove).toEqual([]);
    expect(Object.keys(set).sort()).toEqual(['d:1:v1:a.example', 'd:1:v2:b.example', 'l:1:v1', 'l:1:v2', 't:1']);
    for (const value of Object.values(set)) expect(Array.isArray(JSON.parse(value)), value).toBe(true);
    const stored = decodeStoredTab(set['t:1'], 1);
    expect(stored?.tabId).toBe(1);
    expect(stored?.current).toMatchObject({ id: 'v2', mainDomain: 'b.example', committed: false });
    expect(stored?.previous).toMatchObject({ id: 'v1', mainDomain: 'a.example', committed: true, documentId: 'docA' });
    for (const meta of [stored?.current, stored?.previous]) {
      expect(meta).not.toHaveProperty('domains');
      expect(meta).not.toHaveProperty('familyTally');
      expect(meta).not.toHaveProperty('live');
    }
    const previous = t.tabs.get(1)?.previous;
    expect(decodeDomainRecord(set['d:1:v1:a.example'], 'a.example', previous?.startedAt ?? NaN)).toEqual(previous?.domains.get('a.example'));
  });

  it('storedTabOf leaves previous out when there is none', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const tab = t.tabs.get(1) as TabState;
    expect(storedTabOf(tab)).not.toHaveProperty('previous');
  });

  it('a key both removed and written in one batch is written, not removed', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    drainChanges(t);
    onTabRemoved(t, 1);
    navigate(t, 1, 'https://again.example/', '192.0.2.2', 'docB');
    const { set, remove } = storageWrites(t, drainChanges(t));
    expect(Object.keys(set).sort()).toEqual(['d:1:v2:again.example', 'l:1:v2', 't:1']);
    expect(remove.sort()).toEqual(['d:1:v1:a.example', 'l:1:v1']);
  });

  it('after back-and-forth replacement writes the live tab and removes the other', () => {
    const t = newTracker();
    navigate(t, 5, 'https://a.example/', '192.0.2.1', 'docA');
    drainChanges(t);
    onTabReplaced(t, 9, 5);
    onTabReplaced(t, 5, 9);
    const { set, remove } = storageWrites(t, drainChanges(t));
    expect(Object.keys(set).sort()).toEqual(['d:5:v1:a.example', 'l:5:v1', 't:5']);
    expect([...remove].sort()).toEqual(['d:9:v1:a.example', 'l:9:v1', 't:9']);
  });

  it('skips the meta of a tab that no longer exists', () => {
    const t = newTracker();
    const changes = newChangeLog();
    changes.metas.add(77);
    expect(storageWrites(t, changes)).toEqual({ set: {}, remove: [] });
  });
});

describe('restoreTracker with bad or stale entries', () => {
  it('returns orphans and skips them without throwing', () => {
    const text = (value: unknown): string => JSON.stringify(value);
    const entries: Record<string, unknown> = {
      // Domain keys first: restoring must not depend on key order.
      'd:1:v1:a.example': text(validRecord('a.example', { primary: '2001:db8::1', addresses: { '2001:db8::1': { family: 6, responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: 1, lastSeen: 1 } } })),
      'd:1:v0:prev.example': text(validRecord('prev.example', { primary: '192.0.2.1', addresses: { '192.0.2.1': { family: 4, responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: 1, lastSeen: 1 } } })),
      'd:1:vGone:old.example': text(validRecord('old.example')),
      'd:2:v1:no-tab.example': text(validRecord('no-tab.example')),
      'd:1:v1:missing-fields.example': text({ domain: 'missing-fields.example' }),
      'd:1:v1:no-inflight.example': text({ ...validRecord('no-inflight.example'), inflight: undefined }),
      'd:1:v1:null-addresses.example': text({ ...validRecord('null-addresses.example'), addresses: null }),
      'd:1:v1:null.example': text(null),
      'd:1:v1:number.example': text(42),
      't:1': text(validTab(1, 'v1', 'v0')),
      't:3': text({ tabId: 3 }),
      't:4': text('not a tab'),
      't:5': text(null),
      't:6': text({ tabId: 6, current: { id: 'v1', committed: 'yes', startedAt: 1 } }),
      't:7': text({ ...validTab(7, 'v1'), previous: { id: 7 } }),
      'd:3:v1:of-bad-tab.example': text(validRecord('of-bad-tab.example')),
      'd:1:v1:bad-json.example': '{"domain": ',
      't:8': 'not json',
      // Stored as an object, not JSON text: not an entry IPvLens wrote.
      'd:1:v1:object.example': validRecord('object.example'),
      // Not ours: left alone, and not reported.
      settings: { theme: 'dark' },
    };
    const t = newTracker();
    let orphans: string[] = [];
    expect(() => (orphans = restoreTracker(t, entries))).not.toThrow();
    expect(orphans.sort()).toEqual(
      [
        'd:1:vGone:old.example',
        'd:2:v1:no-tab.example',
        'd:1:v1:missing-fields.example',
        'd:1:v1:no-inflight.example',
        'd:1:v1:null-addresses.example',
        'd:1:v1:null.example',
        'd:1:v1:number.example',
        't:3',
        't:4',
        't:5',
        't:6',
        't:7',
        'd:3:v1:of-bad-tab.example',
        'd:1:v1:bad-json.example',
        't:8',
        'd:1:v1:object.example',
      ].sort(),
    );
    expect([...t.tabs.keys()]).toEqual([1]);
    const tab = t.tabs.get(1);
    expect([...(tab?.current.domains.keys() ?? [])]).toEqual(['a.example']);
    expect(tab?.current.familyTally).toEqual({ 4: 0, 6: 1 });
    expect([...(tab?.previous?.domains.keys() ?? [])]).toEqual(['prev.example']);
    expect(tab?.previous?.familyTally).toEqual({ 4: 1, 6: 0 });
  });

  it.each<[string, Record<string, unknown>]>([
    ['empty storage', {}],
    ['only foreign keys', { foo: 1, bar: null }],
  ])('%s restores nothing and reports nothing', (_name, entries) => {
    const t = newTracker();
    expect(restoreTracker(t, entries)).toEqual([]);
    expect(t.tabs.size).toBe(0);
  });

  it.each(['d:x:v1:a.example', 'd:1', 'd:'])('reports the malformed domain key %s as an orphan', (key) => {
    const t = newTracker();
    expect(restoreTracker(t, { [key]: JSON.stringify(newDomainRecord('a.example', 1)) })).toEqual([key]);
    expect(t.tabs.size).toBe(0);
  });
});

function sorted<T extends number | string>(values: Iterable<T>): T[] {
  return [...values].sort();
}
