/**
 * A private tab's addresses never reach the memory shared with normal tabs (Firefox's cache hits),
 * nor storage: the core is told a tab is private either on the event itself (Firefox's
 * `incognito`) or by the background (`noteTabPrivacy`, from the tabs API: Chrome). Every negative
 * case has its normal-tab positive control in the same table.
 */
import { describe, expect, it } from 'vitest';
import { createAddressMemory } from '../../src/core/address/addressMemory';
import { storageWrites } from '../../src/core/session/persisted';
import { drainChanges, noteTabPrivacy, onRequestStarted, onResponseStarted, onTabRemoved, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response } from './trackerEvents';

const FIRST = 1;
const LATER = 2;
const LATER_PRIVATE = 3;

type Route = 'event' | 'tabs';
/** How the core learns that a tab is private: Firefox's event field, or the background's note. */
const ROUTES: Route[] = ['event', 'tabs'];

function firefoxTracker(): Tracker {
  const t = newTracker();
  t.memory = createAddressMemory();
  return t;
}

/** Opens a tab of the given kind, told to the core the given way, and loads its page and a script host. */
function visit(t: Tracker, tabId: number, isPrivate: boolean, route: Route, host: string, ip: string): void {
  if (route === 'tabs') noteTabPrivacy(t, tabId, isPrivate);
  const incognito = route === 'event' ? { incognito: isPrivate } : {};
  const nav = request(`https://${host}/`, { tabId, type: 'main_frame', ...incognito });
  onRequestStarted(t, nav);
  onResponseStarted(t, response(nav, ip));
  load(t, `https://cdn.${host}/app.js`, ip, { tabId, ...incognito });
}

/** A cache hit Firefox reports with no address, in a tab of the given kind. */
function cacheHit(t: Tracker, tabId: number, isPrivate: boolean, route: Route, url: string): string | undefined {
  const incognito = route === 'event' ? { incognito: isPrivate } : {};
  if (route === 'tabs') noteTabPrivacy(t, tabId, isPrivate);
  load(t, url, undefined, { tabId, ...incognito }, { fromCache: true });
  return t.tabs.get(tabId)?.current.domains.get(new URL(url).hostname)?.primary;
}

/** Storage as the writes leave it, turn after turn. */
function applyWrites(t: Tracker, stored: Map<string, string>): void {
  const { set, remove } = storageWrites(t, drainChanges(t));
  for (const key of remove) stored.delete(key);
  for (const [key, value] of Object.entries(set)) stored.set(key, value);
}

describe.each(ROUTES)('told on the %s', (route) => {
  it.each<[string, boolean, string | undefined]>([
    ['a normal tab’s address is lent to a later normal tab’s cache hit (control)', false, '192.0.2.7'],
    ['a private tab’s address is never lent to a later normal tab’s cache hit', true, undefined],
  ])('%s', (_name, firstIsPrivate, expected) => {
    const t = firefoxTracker();
    visit(t, FIRST, firstIsPrivate, route, 'secret.example', '192.0.2.7');
    expect(cacheHit(t, LATER, false, route, 'https://cdn.secret.example/app.js')).toBe(expected);
  });

  it.each<[string, boolean, string[]]>([
    ['a normal tab’s domains are written as a: entries (control)', false, ['a:cdn.secret.example', 'a:secret.example']],
    ['a private tab’s domains never are', true, []],
  ])('%s', (_name, isPrivate, expected) => {
    const t = firefoxTracker();
    visit(t, FIRST, isPrivate, route, 'secret.example', '192.0.2.7');
    const { set } = storageWrites(t, drainChanges(t));
    expect(Object.keys(set).filter((key) => key.startsWith('a:')).sort()).toEqual(expected);
    expect([...t.memory!.entries.keys()].sort()).toEqual(expected.map((key) => key.slice(2)));
  });

  it.each<[string, boolean, string[]]>([
    ['a closed normal tab leaves its domains in the shared memory’s keys (control)', false, ['a:cdn.secret.example', 'a:secret.example']],
    ['a closed private tab leaves no key at all', true, []],
  ])('%s', (_name, isPrivate, expected) => {
    const t = firefoxTracker();
    const stored = new Map<string, string>();
    visit(t, FIRST, isPrivate, route, 'secret.example', '192.0.2.7');
    applyWrites(t, stored);
    expect([...stored.keys()].some((key) => key.includes('secret.example'))).toBe(true);
    onTabRemoved(t, FIRST);
    applyWrites(t, stored);
    expect([...stored.keys()].filter((key) => key.includes('secret.example')).sort()).toEqual(expected);
  });

  it('a private tab keeps its own addresses for its own cache hits, until it closes', () => {
    const t = firefoxTracker();
    visit(t, FIRST, true, route, 'secret.example', '192.0.2.7');
    expect(cacheHit(t, FIRST, true, route, 'https://cdn.secret.example/again.js')).toBe('192.0.2.7');
    // Another private tab has its own memory: nothing of the first one's.
    expect(cacheHit(t, LATER_PRIVATE, true, route, 'https://cdn.secret.example/app.js')).toBeUndefined();
    onTabRemoved(t, FIRST);
    expect(t.privateMemories.has(FIRST)).toBe(false);
    expect(t.privateTabs.has(FIRST)).toBe(false);
  });

  it('a normal tab’s remembered address is not lent to a private tab (nor touched by its cache hit)', () => {
    const t = firefoxTracker();
    visit(t, FIRST, false, route, 'open.example', '192.0.2.9');
    drainChanges(t);
    const usedAt = t.memory!.entries.get('cdn.open.example')?.usedAt;
    expect(cacheHit(t, LATER_PRIVATE, true, route, 'https://cdn.open.example/app.js')).toBeUndefined();
    expect(t.memory!.entries.get('cdn.open.example')?.usedAt).toBe(usedAt);
    expect([...drainChanges(t).addresses]).toEqual([]);
  });

  it.each<[string, boolean, string[]]>([
    ['a normal tab teaches a NAT64 prefix (control)', false, ['2001:db8:64::/96']],
    ['a private tab teaches none', true, []],
  ])('%s', (_name, isPrivate, expected) => {
    const t = firefoxTracker();
    visit(t, FIRST, isPrivate, route, 'secret.example', '192.0.2.7');
    drainChanges(t);
    const incognito = route === 'event' ? { incognito: isPrivate } : {};
    load(t, 'https://ipv4only.arpa/x', '2001:db8:64::c000:aa', { tabId: FIRST, ...incognito });
    expect([...drainChanges(t).learnedPrefixes.keys()]).toEqual(expected);
  });
});

describe('a service worker’s request (no tab) never reaches a normal tab from a private window', () => {
  it.each<[string, boolean | undefined, boolean, number[]]>([
    ['Firefox: a normal worker’s request reaches the normal tab only', false, true, [FIRST]],
    ['Firefox: a private worker’s request reaches the private tab only', true, true, [LATER_PRIVATE]],
    ['Chrome (kind unknown), no private tab on the origin: the normal tab (control)', undefined, false, [FIRST]],
    ['Chrome (kind unknown), a private tab on the origin too: the private tab only', undefined, true, [LATER_PRIVATE]],
  ])('%s', (_name, incognito, privateTabOpen, expected) => {
    const t = firefoxTracker();
    navigate(t, FIRST, 'https://same.example/', '192.0.2.1', 'docN');
    noteTabPrivacy(t, FIRST, false);
    if (privateTabOpen) {
      noteTabPrivacy(t, LATER_PRIVATE, true);
      const nav = request('https://same.example/', { tabId: LATER_PRIVATE, type: 'main_frame' });
      onRequestStarted(t, nav);
      onResponseStarted(t, response(nav, '192.0.2.1'));
    }
    load(t, 'https://worker.example/sw', '192.0.2.5', { tabId: -1, initiator: 'https://same.example', ...(incognito === undefined ? {} : { incognito }) });
    const reached = [FIRST, LATER_PRIVATE].filter((tabId) => t.tabs.get(tabId)?.current.domains.has('worker.example'));
    expect(reached).toEqual(expected);
  });
});
