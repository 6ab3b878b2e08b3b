/** The tracker under the event orders and fields Firefox produces (see test/e2e/firefox for the real thing). */
import { describe, expect, it } from 'vitest';
import { createAddressMemory } from '../../src/core/address/addressMemory';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { decodeRememberedAddress } from '../../src/core/session/sessionCodec';
import { buildSnapshot, onlyRemembered } from '../../src/core/view/snapshot';
import { drainChanges, onCommitted, onRedirect, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response, tick } from './trackerEvents';
import { removedKeys } from './trackerHelpers';

const mainFrame = (url: string, tabId = 1): RequestEvent => request(url, { tabId, type: 'main_frame' });
const commitAt = (t: Tracker, url: string, documentId: string, tabId = 1): void => onCommitted(t, { tabId, frameId: 0, url, documentId, time: tick() });

function summary(t: Tracker, tabId = 1) {
  const tab = t.tabs.get(tabId);
  const view = tab?.current;
  return {
    views: tab?.previous === undefined ? 1 : 2,
    mainDomain: view?.mainDomain,
    committed: view?.committed,
    domains: Object.fromEntries([...(view?.domains.values() ?? [])].map((r) => [r.domain, [r.requests, r.responses, r.primary]])),
  };
}

describe('Firefox delivers a commit before its main-frame request', () => {
  // Each scenario: the browser's own order of events, and the order they reach the extension.
  it.each<[string, (t: Tracker) => void]>([
    [
      'in Chrome’s order (request, response, commit, subresource)',
      (t) => {
        const nav = mainFrame('https://b.example/');
        onRequestStarted(t, nav);
        onResponseStarted(t, response(nav, '192.0.2.2'));
        commitAt(t, 'https://b.example/', 'docB');
        load(t, 'https://cdn.example/x', '2001:db8::1', { documentId: 'docB' });
      },
    ],
    [
      'in Firefox’s order (commit, then the earlier request and its response, then subresources)',
      (t) => {
        const nav = mainFrame('https://b.example/');
        const answer = response(nav, '192.0.2.2');
        commitAt(t, 'https://b.example/', 'docB');
        onRequestStarted(t, nav);
        onResponseStarted(t, answer);
        onRequestEnded(t, nav, false);
        load(t, 'https://cdn.example/x', '2001:db8::1', { documentId: 'docB' });
      },
    ],
  ])('gives one page view %s', (_order, events) => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    events(t);
    expect(summary(t)).toEqual({
      views: 1,
      mainDomain: 'b.example',
      committed: true,
      domains: { 'b.example': [1, 1, '192.0.2.2'], 'cdn.example': [1, 1, '2001:db8::1'] },
    });
  });

  it('keeps the redirect hops of that late request in the committed view', () => {
    const t = newTracker();
    const hop = mainFrame('https://start.example/');
    const hopAnswer = { ...response(hop, '192.0.2.3'), redirectUrl: 'https://final.example/' };
    const final = { ...hop, url: 'https://final.example/', time: tick() };
    commitAt(t, 'https://final.example/', 'docF');
    onRequestStarted(t, hop);
    onRedirect(t, hopAnswer);
    onRequestStarted(t, final);
    onResponseStarted(t, response(final, '2001:db8::f'));
    expect(summary(t)).toEqual({
      views: 1,
      mainDomain: 'final.example',
      committed: true,
      domains: { 'start.example': [1, 1, '192.0.2.3'], 'final.example': [1, 1, '2001:db8::f'] },
    });
  });

  it('keeps a redirect in one view when its commit comes between the first request and the hop', () => {
    // The order Firefox ESR 153 delivered in the headless audit: request, commit of the final URL, then
    // the redirect, the hop (same request id, started before the commit) and the page's image.
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const start = mainFrame('https://start.example/');
    const redirectAt = tick();
    const hopAt = tick();
    onRequestStarted(t, start);
    commitAt(t, 'https://final.example/', 'docF');
    onRedirect(t, { ...response(start, '192.0.2.3', { time: redirectAt }), redirectUrl: 'https://final.example/' });
    const hop = { ...start, url: 'https://final.example/', time: hopAt };
    onRequestStarted(t, hop);
    onResponseStarted(t, response(hop, '2001:db8::f'));
    onRequestEnded(t, hop, false);
    load(t, 'https://final.example/image.png', '2001:db8::f');
    expect(summary(t)).toEqual({
      views: 1,
      mainDomain: 'final.example',
      committed: true,
      domains: { 'start.example': [1, 1, '192.0.2.3'], 'final.example': [2, 2, '2001:db8::f'] },
    });
  });

  it('a main-frame request that starts after the commit is a new navigation', () => {
    const t = newTracker();
    commitAt(t, 'https://a.example/', 'docA');
    onRequestStarted(t, mainFrame('https://b.example/'));
    expect(summary(t)).toMatchObject({ views: 2, mainDomain: 'b.example', committed: false });
  });
});

describe('Firefox reports no address for cache hits: the domain’s last one is remembered', () => {
  const firefoxTracker = (capacity?: number): Tracker => {
    const t = newTracker();
    t.memory = createAddressMemory(capacity);
    return t;
  };
  const cachedHit = (t: Tracker, url: string, documentId: string): void => {
    load(t, url, undefined, { documentId }, { fromCache: true });
  };
  const rowOf = (t: Tracker, domain: string) => {
    const snapshot = buildSnapshot(t.tabs.get(1)!.current, t.describe);
    const row = snapshot.domains.find((r) => r.domain === domain);
    return { family: row?.family, address: row?.address, remembered: row?.addresses[0] !== undefined && onlyRemembered(row.addresses[0]), flags: row?.flags, requestsByFamily: snapshot.requestsByFamily };
  };

  it.each<[string, (t: Tracker) => void, ReturnType<typeof rowOf>]>([
    [
      'a reload served from the cache keeps the address, marked as remembered',
      (t) => {
        cachedHit(t, 'https://cdn.example/app.js', 'docB');
      },
      { family: 6, address: '2001:db8::c', remembered: true, flags: ['cache', 'tls'], requestsByFamily: { v4: 1, v6: 1, unknown: 0 } },
    ],
    [
      'a network answer in the same view makes it an ordinary address again',
      (t) => {
        cachedHit(t, 'https://cdn.example/app.js', 'docB');
        load(t, 'https://cdn.example/other.js', '2001:db8::c', { documentId: 'docB' });
      },
      { family: 6, address: '2001:db8::c', remembered: false, flags: ['cache', 'tls'], requestsByFamily: { v4: 1, v6: 2, unknown: 0 } },
    ],
    [
      'a domain never answered over the network stays unknown',
      (t) => {
        cachedHit(t, 'https://never.example/x', 'docB');
      },
      { family: undefined, address: undefined, remembered: false, flags: ['cache', 'tls'], requestsByFamily: { v4: 1, v6: 0, unknown: 1 } },
    ],
  ])('%s', (_name, reload, expected) => {
    const t = firefoxTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/app.js', '2001:db8::c', { documentId: 'docA' });
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docB');
    reload(t);
    const domain = expected.address === undefined ? 'never.example' : 'cdn.example';
    expect(rowOf(t, domain)).toEqual(expected);
  });

  it('without a memory (Chrome) a cache hit with no address stays unknown, as before', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/app.js', '2001:db8::c', { documentId: 'docA' });
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docB');
    cachedHit(t, 'https://cdn.example/app.js', 'docB');
    expect(rowOf(t, 'cdn.example')).toMatchObject({ family: undefined, address: undefined, remembered: false });
    expect(drainChanges(t).addresses.size).toBe(0);
  });

  it('a cached address is not a switch, and a cache hit with an address (Chrome) is used as given', () => {
    const t = firefoxTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/1', '2001:db8::c', { documentId: 'docA' });
    load(t, 'https://cdn.example/2', '192.0.2.9', { documentId: 'docA' }, { fromCache: true });
    cachedHit(t, 'https://cdn.example/3', 'docA');
    const view = t.tabs.get(1)!.current;
    expect(view.live.switches).toEqual([]);
    expect(view.domains.get('cdn.example')?.addresses).toMatchObject({
      '2001:db8::c': { responses: 2, cached: 1, remembered: 1 },
      '192.0.2.9': { responses: 1, cached: 1 },
    });
  });

  it('logs each remembered domain for writing, and a dropped one for removal', () => {
    const t = firefoxTracker(2);
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://b.example/', '192.0.2.2', { documentId: 'docA' });
    drainChanges(t);
    load(t, 'https://c.example/', '192.0.2.3', { documentId: 'docA' });
    const changes = drainChanges(t);
    expect([...changes.addresses]).toEqual(['c.example']);
    expect(removedKeys(changes)).toEqual(['a:a.example']);
    expect([...t.memory!.entries.keys()]).toEqual(['b.example', 'c.example']);
  });

  it('survives a restart of the background through storage, bounded, with damaged entries dropped', () => {
    const t = firefoxTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '2001:db8::c', { documentId: 'docA' });
    const { set } = storageWrites(t, drainChanges(t));
    expect(decodeRememberedAddress(set['a:cdn.example'])).toMatchObject({ address: '2001:db8::c' });
    const stored: Record<string, unknown> = { ...set, 'a:bad.example': '{"address":', 'a:': JSON.stringify({ address: '192.0.2.1', usedAt: 1 }), 'a:old.example': JSON.stringify({ address: '192.0.2.7', usedAt: 0 }) };

    const restarted = firefoxTracker(2);
    const orphans = restoreTracker(restarted, stored);
    expect(orphans.sort()).toEqual(['a:', 'a:bad.example', 'a:old.example']);
    expect([...restarted.memory!.entries.keys()]).toEqual(['a.example', 'cdn.example']);
    const chrome = newTracker();
    expect(restoreTracker(chrome, { 'a:cdn.example': set['a:cdn.example'] })).toEqual(['a:cdn.example']);
  });
});

describe('HTTP versions as Firefox writes them in statusLine', () => {
  it.each([
    ['HTTP/1.1 200 OK', 'HTTP/1.1'],
    ['HTTP/2.0 200 ', 'HTTP/2'],
    ['HTTP/3.0 200 ', 'HTTP/3'],
    ['HTTP/2 200', 'HTTP/2'],
    ['HTTP/3 200', 'HTTP/3'],
  ])('%j is shown as %s', (statusLine, shown) => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '192.0.2.2', { documentId: 'docA' }, { statusLine });
    expect(t.tabs.get(1)?.current.domains.get('cdn.example')?.httpVersions).toEqual([shown]);
  });
});
