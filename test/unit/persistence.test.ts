import { describe, expect, it, vi } from 'vitest';
import { createPersistence, type Persistence } from '../../src/background/persistence';
import type { PageView } from '../../src/core/tab/model';
import { tabSummary } from '../../src/core/view/snapshot';
import { onRequestStarted, onTabRemoved, type Tracker } from '../../src/core/tab/tracker';
import { MemorySessionStore, nextTurn } from './memorySessionStore';
import { load, navigate, newTracker, request } from './trackerEvents';

type Finished = ReadonlyArray<{ tabId: number; view: PageView }>;

/** A site history whose hand-offs the test finishes when it wants. */
function deferredHistory() {
  const handed: Finished[] = [];
  const finishers: Array<() => void> = [];
  const recordFinished = vi.fn((finished: Finished) => {
    handed.push(finished);
    return new Promise<void>((resolve) => finishers.push(resolve));
  });
  return { recordFinished, handed, finishAll: () => finishers.splice(0).forEach((finish) => finish()) };
}

function persisted(tracker: Tracker, store: MemorySessionStore, recordFinished: (finished: Finished) => Promise<void> = () => Promise.resolve()): Persistence {
  return createPersistence(tracker, { store, recordFinished, shownChanged: () => undefined });
}

/** Tab 1 on a.example (3 domains) and tab 2 on b.example (2 domains), written to the store. */
async function twoTabs(store: MemorySessionStore): Promise<Tracker> {
  const tracker = newTracker('v');
  const { writer } = persisted(tracker, store);
  navigate(tracker, 1, 'https://a.example/', '2001:db8::1', 'docA');
  load(tracker, 'https://cdn.example/1', '192.0.2.1', { documentId: 'docA' });
  load(tracker, 'https://img.example/1', '2001:db8::2', { documentId: 'docA' });
  navigate(tracker, 2, 'https://b.example/', '192.0.2.3', 'docB');
  load(tracker, 'https://api.b.example/1', '192.0.2.4', { tabId: 2, documentId: 'docB' });
  writer.changed();
  await nextTurn();
  return tracker;
}

const domainsOf = (view: PageView | undefined): Array<[string, number]> => [...(view?.domains.values() ?? [])].map((r): [string, number] => [r.domain, r.requests]).sort();
const keysOf = (store: MemorySessionStore, tabId: number): string[] => [...store.data.keys()].filter((key) => key.startsWith(`t:${tabId}`) || key.startsWith(`d:${tabId}:`) || key.startsWith(`l:${tabId}:`)).sort();

describe('restore: orphans judged against the open tabs', () => {
  it('rebuilds an open tab whose tab key is missing from its domain and live keys', async () => {
    const store = new MemorySessionStore();
    const before = await twoTabs(store);
    const viewId = before.tabs.get(1)?.current.id;
    store.data.delete('t:1');
    const domainKeys = keysOf(store, 1);

    const restored = newTracker('w');
    const { writer, restore } = persisted(restored, store);
    restore(store.snapshot(), new Map([[1, 'https://a.example/'], [2, 'https://b.example/']]));
    await nextTurn();
    const tab = restored.tabs.get(1);
    expect(tab?.current).toMatchObject({ id: viewId, url: 'https://a.example/', mainDomain: 'a.example', committed: true, partial: true });
    expect(domainsOf(tab?.current)).toEqual(domainsOf(before.tabs.get(1)?.current));
    // Nothing of it was deleted, and its tab key is written again.
    expect(keysOf(store, 1)).toEqual(['t:1', ...domainKeys].sort());
    expect(writer.pendingKeys()).toEqual([]);
    // Tab 2 came back from its own keys as it was (not partial).
    expect(restored.tabs.get(2)?.current).toMatchObject({ url: 'https://b.example/', partial: false });
  });

  it('takes the keys of a tab that is not open, and has no tab key, for orphans', async () => {
    const store = new MemorySessionStore();
    await twoTabs(store);
    store.data.delete('t:1');
    expect(keysOf(store, 1).length).toBeGreaterThan(0);
    const restored = newTracker('w');
    persisted(restored, store).restore(store.snapshot(), new Map([[2, 'https://b.example/']]));
    await nextTurn();
    expect(restored.tabs.has(1)).toBe(false);
    expect(keysOf(store, 1)).toEqual([]);
    expect(keysOf(store, 2).length).toBe(4);
  });

  it('makes the newest view current and the one before it previous', async () => {
    const store = new MemorySessionStore();
    const tracker = newTracker('v');
    const { writer } = persisted(tracker, store);
    navigate(tracker, 1, 'https://a.example/', '2001:db8::1', 'docA');
    load(tracker, 'https://cdn.example/1', '192.0.2.1', { documentId: 'docA' });
    // A navigation in progress: a new (uncommitted) current view, the page kept as previous.
    onRequestStarted(tracker, request('https://next.example/', { tabId: 1, type: 'main_frame' }));
    writer.changed();
    await nextTurn();
    const { current, previous } = tracker.tabs.get(1) ?? {};
    expect(previous).toBeDefined();
    store.data.delete('t:1');

    const restored = newTracker('w');
    persisted(restored, store).restore(store.snapshot(), new Map([[1, undefined]]));
    expect(restored.tabs.get(1)?.current.id).toBe(current?.id);
    expect(restored.tabs.get(1)?.previous?.id).toBe(previous?.id);
    expect(domainsOf(restored.tabs.get(1)?.previous)).toEqual(domainsOf(previous));
  });

  it('without the open tabs (the browser could not tell), closes nothing and rebuilds nothing', async () => {
    const store = new MemorySessionStore();
    await twoTabs(store);
    store.data.delete('t:1');
    const restored = newTracker('w');
    const history = deferredHistory();
    persisted(restored, store, history.recordFinished).restore(store.snapshot(), undefined);
    await nextTurn();
    expect([...restored.tabs.keys()]).toEqual([2]);
    expect(history.recordFinished).not.toHaveBeenCalled();
  });
});

describe('a closed tab: its visit goes to the history before its keys', () => {
  it('at restore, a tab closed while the worker was stopped is handed over, then its keys removed', async () => {
    const store = new MemorySessionStore();
    const before = await twoTabs(store);
    const history = deferredHistory();
    const restored = newTracker('w');
    persisted(restored, store, history.recordFinished).restore(store.snapshot(), new Map([[1, 'https://a.example/']]));
    await nextTurn();
    // Tab 2 is not open: its committed view went to the history, with its domains...
    expect(history.handed).toHaveLength(1);
    expect(history.handed[0]?.map(({ tabId, view }) => [tabId, view.id, domainsOf(view)])).toEqual([[2, before.tabs.get(2)?.current.id, domainsOf(before.tabs.get(2)?.current)]]);
    expect(restored.tabs.has(2)).toBe(false);
    // ...and its keys stay until the history has taken it.
    expect(keysOf(store, 2)).toHaveLength(4);
    history.finishAll();
    await nextTurn();
    expect(keysOf(store, 2)).toEqual([]);
    // The open tab's keys are untouched.
    expect(keysOf(store, 1)).toHaveLength(5);
  });

  it('a tab closed now: its keys stay while the history writes, and go once it is done', async () => {
    const store = new MemorySessionStore();
    const tracker = newTracker('v');
    const history = deferredHistory();
    const { writer } = persisted(tracker, store, history.recordFinished);
    navigate(tracker, 5, 'https://e.example/', '2001:db8::9', 'docE');
    load(tracker, 'https://cdn.example/1', '192.0.2.1', { tabId: 5, documentId: 'docE' });
    writer.changed();
    await nextTurn();
    expect(keysOf(store, 5)).toHaveLength(4);
    onTabRemoved(tracker, 5);
    writer.changed();
    await nextTurn();
    expect(history.handed.map((finished) => finished.map(({ tabId }) => tabId))).toEqual([[5]]);
    // A stop now would leave the keys for the next start to hand over again: nothing is lost.
    expect(keysOf(store, 5)).toHaveLength(4);
    history.finishAll();
    await nextTurn();
    expect(keysOf(store, 5)).toEqual([]);
  });

  it('a page navigated away from is handed over without holding back its tab', async () => {
    const store = new MemorySessionStore();
    const tracker = newTracker('v');
    const history = deferredHistory();
    const { writer } = persisted(tracker, store, history.recordFinished);
    navigate(tracker, 1, 'https://a.example/', '2001:db8::1', 'docA');
    writer.changed();
    await nextTurn();
    navigate(tracker, 1, 'https://b.example/', '2001:db8::2', 'docB');
    writer.changed();
    await nextTurn();
    expect(history.handed).toHaveLength(1);
    // The old view's keys went with the new meta (the tab is open: nothing to hand over at restore).
    expect(keysOf(store, 1)).toEqual(['d:1:v2:b.example', 'l:1:v2', 't:1']);
  });
});

describe('storage full: the tab is marked, never silent', () => {
  it('marks the tab with its domains not kept, shows it in its report, and unmarks it once written', async () => {
    const store = new MemorySessionStore({ filler: 'x'.repeat(4000) });
    const tracker = newTracker('v');
    const shown = vi.fn();
    const timers: Array<() => void> = [];
    const { writer } = createPersistence(tracker, {
      store,
      recordFinished: () => Promise.resolve(),
      shownChanged: shown,
      after: (_ms, run) => (timers.push(run), () => undefined),
    });
    navigate(tracker, 1, 'https://a.example/', '2001:db8::1', 'docA');
    writer.changed();
    await nextTurn();
    store.quotaBytes = store.bytes() + 2000;
    navigate(tracker, 2, 'https://b.example/', '192.0.2.3', 'docB');
    for (let i = 0; i < 40; i++) load(tracker, `https://s${i}.b.example/`, '192.0.2.4', { tabId: 2, documentId: 'docB' });
    load(tracker, 'https://cdn.example/2', '192.0.2.1', { documentId: 'docA' });
    writer.changed();
    await nextTurn();

    const notKept = tracker.tabs.get(2)?.notKept ?? 0;
    const storedDomains = [...store.data.keys()].filter((key) => key.startsWith('d:2:')).length;
    expect(notKept).toBeGreaterThan(0);
    expect(notKept + storedDomains).toBe(41);
    expect(tracker.tabs.get(1)?.notKept).toBeUndefined();
    expect(store.data.has('d:1:v1:cdn.example')).toBe(true);
    expect(store.data.get('filler')).toHaveLength(4000);
    expect(shown).toHaveBeenCalled();
    expect(tracker.changes.touched.has(2)).toBe(true);
    const report = tabSummary(2, tracker.tabs.get(2)?.current, undefined, tracker.describe, Infinity, tracker.tabs.get(2)?.notKept);
    expect(report.state === 'ok' && report.snapshot.notKept).toBe(notKept);

    store.quotaBytes = undefined;
    timers.shift()?.();
    await nextTurn();
    expect(tracker.tabs.get(2)?.notKept).toBeUndefined();
    expect([...store.data.keys()].filter((key) => key.startsWith('d:2:'))).toHaveLength(41);
    const after = tabSummary(2, tracker.tabs.get(2)?.current, undefined, tracker.describe, Infinity, tracker.tabs.get(2)?.notKept);
    expect(after.state === 'ok' && after.snapshot.notKept).toBeUndefined();
  });
});
