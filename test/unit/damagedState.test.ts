/**
 * Damaged storage never hangs or crashes a restore: every count, index and length read back is
 * range-checked, and what is out of range is dropped with the tab's other data kept.
 */
import { describe, expect, it } from 'vitest';
import { encodeRequestChunk, requestPartKey } from '../../src/core/requests/requestCodec';
import { logEntries, storedParts } from '../../src/core/requests/requestLog';
import { MAX_APPEND_SPAN, requestPartsStored } from '../../src/core/requests/requestStore';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { storedSiteRecord } from '../../src/core/history/historyFile';
import { drainChanges, onRequestStarted, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request } from './trackerEvents';

type Storage = Map<string, unknown>;

function persist(t: Tracker, storage: Storage): void {
  const { set, remove } = storageWrites(t, drainChanges(t));
  for (const key of remove) storage.delete(key);
  for (const [key, value] of Object.entries(set)) storage.set(key, value);
  if (requestPartsStored(t, Object.entries(set))) persist(t, storage);
}

/** A tab with a page over two domains and 40 requests (two chunks), stored; its view id. */
function storedTab(): { storage: Storage; viewId: string; domains: string[]; requests: number } {
  const t = newTracker('v');
  navigate(t, 1, 'https://page.example/', '2001:db8::1', 'doc');
  for (let i = 0; i < 39; i++) load(t, `https://cdn.example/${i}`, '192.0.2.1', { documentId: 'doc' });
  const storage: Storage = new Map();
  persist(t, storage);
  const view = t.tabs.get(1)?.current;
  if (view === undefined) throw new Error('no view');
  return { storage, viewId: view.id, domains: [...view.domains.keys()].sort(), requests: 40 };
}

function restore(storage: Storage): { t: Tracker; orphans: string[] } {
  const t = newTracker('w');
  const orphans = restoreTracker(t, Object.fromEntries(storage), new Set([1]));
  return { t, orphans };
}

describe('a damaged append key of the request log', () => {
  it('a slot count of 1e9 restores in under a second, the parts read stay bounded, and the rest of the tab is kept', () => {
    const { storage, viewId, domains, requests } = storedTab();
    // On the chunk the next request goes to: its next write compacts it, and the acknowledgement
    // of that write frees the appends it covers — a billion of them, counted from the damaged slot.
    const damaged = requestPartKey(1, viewId, 1, 1e9);
    storage.set(damaged, encodeRequestChunk([], 0));
    const started = performance.now();
    const { t, orphans } = restore(storage);
    onRequestStarted(t, request('https://cdn.example/after', { documentId: 'doc' }));
    const writes = storageWrites(t, drainChanges(t));
    requestPartsStored(t, Object.entries(writes.set));
    const removals = t.changes.removed.length;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(orphans).toContain(damaged);
    expect(removals).toBeLessThanOrEqual(MAX_APPEND_SPAN);
    const view = t.tabs.get(1)?.current;
    expect([...(view?.domains.keys() ?? [])].sort()).toEqual(domains);
    const log = view === undefined ? undefined : t.requestLogs.get(view);
    expect(log === undefined ? 0 : logEntries(log).length).toBe(requests + 1);
    for (const chunk of [0, 1]) expect(log === undefined ? Infinity : storedParts(log, chunk).length).toBeLessThanOrEqual(MAX_APPEND_SPAN + 1);
    expect(Object.keys(writes.set).length + writes.remove.length).toBeLessThan(10);
  });

  it('an append within range is restored (positive control)', () => {
    const { storage, viewId } = storedTab();
    const kept = requestPartKey(1, viewId, 1, 3);
    const entry = { seq: 40, requestId: 'late', start: 5, method: 'GET', url: 'https://cdn.example/late', type: 'script', flags: 0 };
    storage.set(kept, encodeRequestChunk([entry], 0));
    const { t, orphans } = restore(storage);
    expect(orphans).not.toContain(kept);
    const view = t.tabs.get(1)?.current;
    const log = view === undefined ? undefined : t.requestLogs.get(view);
    expect(log === undefined ? [] : logEntries(log).map((e) => e.requestId)).toContain('late');
  });
});

/** One stored value made damaged: the key, its value, and whether the decoders should refuse it. */
type Damage = [name: string, damage: (storage: Storage, viewId: string) => string];

const BAD_NUMBERS: Array<[string, unknown]> = [
  ['negative', -1],
  ['NaN (stored as null)', null],
  ['fractional', 1.5],
  ['huge (past a double)', '1e400'],
  ['wrong type', 'x'],
];

/** The stored JSON array of a key, with one position replaced (`raw` text for what JSON cannot say). */
function withField(storage: Storage, key: string, path: number[], value: unknown): void {
  const parsed = JSON.parse(String(storage.get(key))) as unknown[];
  let target = parsed;
  for (const index of path.slice(0, -1)) target = target[index] as unknown[];
  const last = path[path.length - 1] ?? 0;
  target[last] = value === '1e400' ? '__HUGE__' : value;
  storage.set(key, JSON.stringify(parsed).replace('"__HUGE__"', '1e400'));
}

const domainKeyOf = (viewId: string): string => `d:1:${viewId}:cdn.example`;

const DAMAGES: Damage[] = BAD_NUMBERS.flatMap(([what, bad]): Damage[] => [
  [`domain record: request count ${what}`, (s, v) => (withField(s, domainKeyOf(v), [0], bad), domainKeyOf(v))],
  [`domain record: an address's response count ${what}`, (s, v) => (withField(s, domainKeyOf(v), [6, 0, 2], bad), domainKeyOf(v))],
  [`domain record: primary address index ${what}`, (s, v) => (withField(s, domainKeyOf(v), [7], bad === 'x' ? 7 : bad), domainKeyOf(v))],
  [`live state: timeline head ${what}`, (s, v) => (withField(s, `l:1:${v}`, [0, 0], bad), `l:1:${v}`)],
  [`request chunk: an entry's seq ${what}`, (s, v) => (withField(s, requestPartKey(1, v, 1), [0, 0], bad), '')],
]);

describe('damaged values are dropped, the tab kept', () => {
  it.each(DAMAGES)('%s', (_name, damage) => {
    const { storage, viewId, domains } = storedTab();
    const before = restore(new Map(storage));
    const dropped = damage(storage, viewId);
    const { t, orphans } = restore(storage);
    const view = t.tabs.get(1)?.current;
    expect(view?.id).toBe(viewId);
    if (dropped !== '') {
      expect(orphans).toContain(dropped);
      expect(before.orphans).not.toContain(dropped);
    }
    const kept = domains.filter((domain) => !dropped.endsWith(`:${domain}`));
    for (const domain of kept) expect(view?.domains.has(domain), domain).toBe(true);
    // A damaged request entry costs that entry only.
    const log = view === undefined ? undefined : t.requestLogs.get(view);
    expect(log === undefined ? 0 : logEntries(log).length).toBeGreaterThanOrEqual(39);
  });
});

describe('a stored history record', () => {
  const good = { site: 'example.com', firstVisit: 1, lastVisit: 2, visits: 3, lastMainFamily: 6, domains: { v6: 1, v4: 0, unknown: 0 }, requests: { v6: 1, v4: 0, unknown: 0 }, bytes: { v6: 1, v4: 0, unknown: 0 }, ipv4OnlyThirdParties: [] };
  it('is read when in range (positive control)', () => {
    expect(storedSiteRecord(good)).toEqual(good);
  });
  it.each<[string, Record<string, unknown>]>([
    ['negative visits', { visits: -1 }],
    ['fractional visits', { visits: 1.5 }],
    ['huge visits', { visits: 1e12 }],
    ['visits of the wrong type', { visits: '3' }],
    ['a negative count', { requests: { v6: -1, v4: 0, unknown: 0 } }],
    ['a count past what an import takes', { bytes: { v6: 1e16, v4: 0, unknown: 0 } }],
  ])('is dropped with %s', (_name, change) => {
    expect(storedSiteRecord({ ...good, ...change })).toBeUndefined();
  });
  it('keeps only the third parties a record may hold', () => {
    const many = Array.from({ length: 500 }, (_, i) => `t${i}.example`);
    expect(storedSiteRecord({ ...good, ipv4OnlyThirdParties: many })?.ipv4OnlyThirdParties).toEqual(many.slice(0, 50));
  });
});
