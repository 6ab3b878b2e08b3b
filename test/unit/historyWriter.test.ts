/** The site history's writer against the in-memory storage: folds, failures, stops and order. */
import { describe, expect, it } from 'vitest';
import { createHistoryWriter, type HistoryWriter } from '../../src/background/history';
import { foldVisit, type SiteRecord } from '../../src/core/history/siteRecord';
import { drainChanges, onTabRemoved } from '../../src/core/tab/tracker';
import { KEYS, createStore } from '../../src/platform/storage';
import { CHROME_QUOTA_BYTES, createMemoryStorage, hasSettled, itemBytes, type CallMatch, type MemoryStorage } from '../support/memoryStorage';
import { lazySuffixList } from '../../src/core/history/publicSuffixList';
import { packagedSuffixListText, readPackagedSuffixList } from '../support/packagedSuffixList';
import { load, navigate, newTracker } from './trackerEvents';

const PRIVATE_TAB = 66;

/** The page view a closed tab leaves: its site's page over IPv6, and third parties over IPv4. */
function finishedView(site: string, { tabId = 1, ipv4ThirdParties = [] as string[] } = {}) {
  const t = newTracker();
  navigate(t, tabId, `https://www.${site}/`, '2001:db8::1', `doc-${site}`);
  for (const host of ipv4ThirdParties) load(t, `https://${host}/x.js`, '192.0.2.7', { tabId });
  onTabRemoved(t, tabId);
  return drainChanges(t).finished;
}

function writerOn(storage: MemoryStorage): { writer: HistoryWriter; lines: string[] } {
  const lines: string[] = [];
  const writer = createHistoryWriter(createStore(storage), (tabId) => Promise.resolve(tabId !== PRIVATE_TAB), readPackagedSuffixList, (message, error) => lines.push(`${message}: ${String(error)}`));
  return { writer, lines };
}

function historyOn(maxSites = 5000): MemoryStorage {
  const storage = createMemoryStorage();
  storage.seed('local', { [KEYS.historySettings.key]: { enabled: true, maxSites } });
  return storage;
}

const records = (storage: MemoryStorage): Map<string, SiteRecord> =>
  new Map(Object.entries(storage.contents('local')).flatMap(([key, value]) => (KEYS.historySite.idOf(key) === undefined ? [] : [[KEYS.historySite.idOf(key) ?? '', value as SiteRecord]])));
const recordSites = (storage: MemoryStorage): string[] => [...records(storage).keys()].sort();
const indexSites = (storage: MemoryStorage): string[] => Object.keys(storage.contents('local')[KEYS.historyIndex.key] ?? {}).sort();

describe('history writer: folding visits', () => {
  it('folds a finished view into its site’s record and the index', async () => {
    const storage = historyOn();
    const { writer, lines } = writerOn(storage);
    await writer.recordFinishedViews(finishedView('example.com'));
    await writer.recordFinishedViews(finishedView('example.com'));
    expect(records(storage).get('example.com')).toMatchObject({ site: 'example.com', visits: 2, lastMainFamily: 6 });
    expect(indexSites(storage)).toEqual(['example.com']);
    expect(lines).toEqual([]);
  });

  it('records no private tab, and nothing while history is off', async () => {
    const storage = historyOn();
    const { writer } = writerOn(storage);
    await writer.recordFinishedViews([...finishedView('private.example', { tabId: PRIVATE_TAB }), ...finishedView('normal.example')]);
    expect(recordSites(storage)).toEqual(['normal.example']);

    const off = createMemoryStorage();
    const offWriter = writerOn(off).writer;
    await offWriter.recordFinishedViews(finishedView('normal.example'));
    expect(off.calls.filter((call) => call.op === 'set')).toEqual([]);
  });

  it('a write refused for quota is reported, the index read afresh, and the next visit kept', async () => {
    const storage = historyOn();
    const { writer, lines } = writerOn(storage);
    await writer.recordFinishedViews(finishedView('first.example'));
    // Leave 1,500 bytes: room for a small record, not for one listing 50 long third-party names.
    const room = 1500;
    storage.seed('local', { filler: 'x'.repeat(CHROME_QUOTA_BYTES - storage.bytesUsed('local') - itemBytes('filler', '') - room) });
    const thirdParties = Array.from({ length: 50 }, (_, n) => `tracker-${n}.a-rather-long-third-party-name-for-this.example`);

    await writer.recordFinishedViews(finishedView('big.example', { ipv4ThirdParties: thirdParties }));
    expect(lines).toEqual([expect.stringMatching(/could not record a visit.*QUOTA_BYTES/)]);
    expect(recordSites(storage)).toEqual(['first.example']);
    expect(indexSites(storage)).toEqual(['first.example']);

    const indexReads = (): number => storage.calls.filter((call) => call.op === 'get' && call.keys?.includes(KEYS.historyIndex.key)).length;
    const readsBefore = indexReads();
    await writer.recordFinishedViews(finishedView('next.example'));
    expect(indexReads()).toBe(readsBefore + 1);
    expect(recordSites(storage)).toEqual(['first.example', 'next.example']);
    // The refused site is not in the index (a cached index would still name it).
    expect(indexSites(storage)).toEqual(['first.example', 'next.example']);
    expect(lines).toHaveLength(1);
  });
});

describe('history writer: the Public Suffix List, read only when a visit is recorded', () => {
  /** A writer over the list as the worker reads it, counting the reads of the packaged file. */
  function countingWriter(storage: MemoryStorage, texts: string[] = []) {
    const lines: string[] = [];
    let reads = 0;
    const suffixList = lazySuffixList(() => Promise.resolve(texts[reads++] ?? packagedSuffixListText));
    const writer = createHistoryWriter(createStore(storage), () => Promise.resolve(true), suffixList, (message, error) => lines.push(`${message}: ${String(error)}`));
    return { writer, lines, reads: () => reads };
  }

  it('never while history is off (nor at start, nor for an import); once while it is on', async () => {
    const off = createMemoryStorage();
    const offWriter = countingWriter(off);
    expect(offWriter.reads()).toBe(0);
    await offWriter.writer.recordFinishedViews(finishedView('a.example'));
    await offWriter.writer.recordFinishedViews(finishedView('b.example'));
    expect(offWriter.reads()).toBe(0);
    expect(recordSites(off)).toEqual([]);

    const on = historyOn();
    const onWriter = countingWriter(on);
    const imported = await onWriter.writer.importHistory({ records: [foldVisit(undefined, { ...visitFields, site: 'imported.example', time: Date.UTC(2026, 0, 1) })] });
    expect(imported).toMatchObject({ ok: true, added: 1 });
    expect(onWriter.reads()).toBe(0);
    // Positive control: the same views, history on.
    await onWriter.writer.recordFinishedViews(finishedView('a.example'));
    await onWriter.writer.recordFinishedViews(finishedView('b.example'));
    expect(onWriter.reads()).toBe(1);
    expect(recordSites(on)).toEqual(['a.example', 'b.example', 'imported.example']);
  });

  it('a damaged list refuses the visit with the reason and keeps the history; the next read records again', async () => {
    const storage = historyOn();
    const { writer, lines, reads } = countingWriter(storage, [packagedSuffixListText.slice(0, packagedSuffixListText.indexOf('\n', 20_000) + 1)]);
    storage.seed('local', { [KEYS.historyIndex.key]: { 'kept.example': 1 } });
    const before = storage.contents('local');

    await writer.recordFinishedViews(finishedView('new.example'));
    expect(lines).toEqual([expect.stringMatching(/could not record a visit: SuffixListError: the Public Suffix List file is cut short/)]);
    expect(storage.contents('local')).toEqual(before);
    const note = storage.contents('session')[KEYS.historyWriteFailure.key] as { visits: number; error: string };
    expect(note.visits).toBe(1);
    expect(note.error).toContain('Public Suffix List file is cut short');

    await writer.recordFinishedViews(finishedView('next.example'));
    expect(reads()).toBe(2);
    expect(recordSites(storage)).toEqual(['next.example']);
    expect(storage.contents('session')[KEYS.historyWriteFailure.key]).toBeUndefined();
  });
});

describe('history writer: a worker stopped at any call of a fold', () => {
  const OLD = Array.from({ length: 10 }, (_, n) => `old${n}.example`);

  it.each<[string, CallMatch | undefined]>([
    ['reading the settings', { op: 'get', keyPrefix: KEYS.historySettings.key }],
    ['reading the index', { op: 'get', keyPrefix: KEYS.historyIndex.key }],
    ['reading the site’s record', { op: 'get', keyPrefix: KEYS.historySite.prefix }],
    ['removing the evicted record', { op: 'remove' }],
    ['writing the record and the index', { op: 'set' }],
    ['nowhere (control: the fold completes)', undefined],
  ])('stopped at %s: the next worker reads the history without error and records its visit', async (_name, killPoint) => {
    const seeded = historyOn(10);
    const seeder = writerOn(seeded).writer;
    for (const site of OLD) await seeder.recordFinishedViews(finishedView(site));
    expect(recordSites(seeded)).toEqual([...OLD].sort());

    // A worker whose first event is a fold that evicts the oldest site to make room.
    const worker = seeded.restart();
    const { writer } = writerOn(worker);
    if (killPoint !== undefined) worker.killAt(killPoint);
    const fold = writer.recordFinishedViews(finishedView('new.example'));
    if (killPoint === undefined) await fold;
    else await expect.poll(() => worker.killed).toBe(true);

    const next = worker.restart();
    const read = await createStore(next).getFamily(KEYS.historySite);
    expect(read.unreadable).toEqual([]);
    // Every record is indexed: none can escape eviction.
    expect(indexSites(next)).toEqual(expect.arrayContaining(recordSites(next)));

    const { writer: nextWriter, lines } = writerOn(next);
    await nextWriter.recordFinishedViews(finishedView('later.example'));
    expect(lines).toEqual([]);
    const kept = killPoint === undefined ? [...OLD.slice(2), 'new.example', 'later.example'] : [...OLD.slice(1), 'later.example'];
    expect(recordSites(next)).toEqual(kept.sort());
    expect(indexSites(next)).toEqual(kept.sort());
  });
});

describe('history writer: changes apply one after another', () => {
  it('a deletion and an import asked for during a fold’s write wait for it, then apply in order', async () => {
    const storage = historyOn();
    const { writer } = writerOn(storage);
    await writer.recordFinishedViews(finishedView('a.example'));
    const imported = foldVisit(undefined, { ...visitFields, site: 'x.example', time: Date.UTC(2026, 0, 1) });

    const gate = storage.hold({ area: 'local', op: 'set' });
    const fold = writer.recordFinishedViews(finishedView('a.example'));
    await gate.arrived();
    const callsAtHold = storage.calls.length;
    const deletion = writer.deleteHistory({ sites: ['a.example'] });
    const importing = writer.importHistory({ records: [imported] });
    expect(await hasSettled(deletion)).toBe(false);
    // Nothing else touches storage while the fold's write is in flight.
    expect(storage.calls.slice(callsAtHold)).toEqual([]);

    gate.release();
    await fold;
    expect(await deletion).toEqual({ ok: true, removed: 1 });
    expect(await importing).toEqual({ ok: true, added: 1, replaced: 0, unchanged: 0, evicted: 0 });
    expect(storage.calls.slice(callsAtHold).map((call) => call.op)).toEqual(['set', 'remove', 'set']);
    // The fold's write landed before the deletion: the site stays deleted.
    expect(recordSites(storage)).toEqual(['x.example']);
    expect(indexSites(storage)).toEqual(['x.example']);
  });

  it('a refused import is answered with the reason and leaves the index to be read afresh', async () => {
    const storage = historyOn();
    const { writer } = writerOn(storage);
    await writer.recordFinishedViews(finishedView('a.example'));
    storage.rejectNext({ area: 'local', op: 'set' }, new Error('QUOTA_BYTES quota exceeded'));
    const imported = foldVisit(undefined, { ...visitFields, site: 'x.example', time: Date.UTC(2026, 0, 1) });
    expect(await writer.importHistory({ records: [imported] })).toEqual({ ok: false, error: 'Error: QUOTA_BYTES quota exceeded' });
    await writer.recordFinishedViews(finishedView('b.example'));
    expect(recordSites(storage)).toEqual(['a.example', 'b.example']);
    expect(indexSites(storage)).toEqual(['a.example', 'b.example']);
  });

  it('deleting everything removes unindexed and unreadable site keys too', async () => {
    const storage = historyOn();
    const { writer } = writerOn(storage);
    await writer.recordFinishedViews(finishedView('a.example'));
    storage.seed('local', { 'h:site:stray.example': { site: 'stray.example' }, 'h:site:': 1 });
    expect(await writer.deleteHistory({ all: true })).toEqual({ ok: true, removed: 1 });
    expect(Object.keys(storage.contents('local'))).toEqual([KEYS.historySettings.key]);
  });

  it('a lower site limit applies at once; a failure to apply it is reported and the next change applies it', async () => {
    const storage = historyOn(20);
    const store = createStore(storage);
    const { writer, lines } = writerOn(storage);
    store.onChanged((changes, area) => writer.applySettingsChange(changes, area), ['local']);
    const sites = Array.from({ length: 12 }, (_, n) => `s${n}.example`);
    for (const site of sites) await writer.recordFinishedViews(finishedView(site));

    storage.rejectNext({ area: 'local', op: 'remove' }, new Error('storage unavailable'));
    await store.set(KEYS.historySettings.item({ enabled: true, maxSites: 11 }));
    await expect.poll(() => lines).toEqual([expect.stringMatching(/could not apply the new history limit.*storage unavailable/)]);
    expect(recordSites(storage)).toEqual([...sites].sort());

    // The failed eviction's cached index is not kept: this one evicts both oldest sites.
    await store.set(KEYS.historySettings.item({ enabled: true, maxSites: 10 }));
    await expect.poll(() => recordSites(storage)).toEqual(sites.slice(2).sort());
    expect(indexSites(storage)).toEqual(sites.slice(2).sort());
  });
});

const visitFields = {
  mainFamily: 6 as const,
  domains: { v6: 1, v4: 0, unknown: 0 },
  requests: { v6: 3, v4: 0, unknown: 0 },
  bytes: { v6: 100, v4: 0, unknown: 0 },
  ipv4OnlyThirdParties: [],
  thirdPartiesWithIPv6: [],
};
