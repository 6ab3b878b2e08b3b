import { describe, expect, it } from 'vitest';
import { FLAG_NAMES, Flag, type DomainRecord, type FlagName, type PageView, type TabState } from '../../src/core/tab/model';
import {
  drainChanges,
  onCommitted,
  onRedirect,
  onRequestEnded,
  onRequestStarted,
  onResponseStarted,
  onTabRemoved,
  onTabReplaced,
  setPartialViewUrl,
  type ChangeLog,
  type CommitEvent,
  type RedirectEvent,
  type RequestEvent,
  type Tracker,
} from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response, tick } from './trackerEvents';

// ---------------------------------------------------------------------------------------------
// Factories

function mainFrame(url: string, over: Partial<RequestEvent> = {}): RequestEvent {
  return request(url, { type: 'main_frame', ...over });
}

function redirect(req: RequestEvent, redirectUrl: string, ip?: string): RedirectEvent {
  return { ...response(req, ip), redirectUrl };
}

function commit(tabId: number, url: string, documentId?: string, frameId = 0): CommitEvent {
  const event: CommitEvent = { tabId, frameId, url, time: tick() };
  if (documentId !== undefined) event.documentId = documentId;
  return event;
}


// ---------------------------------------------------------------------------------------------
// Accessors

function tab(t: Tracker, tabId = 1): TabState {
  const state = t.tabs.get(tabId);
  if (state === undefined) throw new Error(`no state for tab ${tabId}`);
  return state;
}

function record(view: PageView | undefined, domain: string): DomainRecord {
  const found = view?.domains.get(domain);
  if (found === undefined) throw new Error(`no record for ${domain}`);
  return found;
}

function domainsOf(view: PageView | undefined): string[] {
  return [...(view?.domains.keys() ?? [])].sort();
}

function flagsOf(rec: DomainRecord): FlagName[] {
  return FLAG_NAMES.filter((name) => (rec.flags & Flag[name]) !== 0);
}

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

function isEmpty(changes: ChangeLog): boolean {
  return changes.metas.size === 0 && changes.domains.size === 0 && changes.removed.size === 0 && changes.touched.size === 0;
}

// ---------------------------------------------------------------------------------------------

describe('top-level navigation', () => {
  it('starts a pending view from a main_frame request and commits it on the frame-0 commit', () => {
    const t = newTracker();
    const nav = mainFrame('https://www.example.com:443/page?q=1#top');
    onRequestStarted(t, nav);

    const view = tab(t).current;
    expect(view).toMatchObject({
      id: 'v1',
      url: 'https://www.example.com:443/page?q=1#top',
      origin: 'https://www.example.com',
      mainDomain: 'www.example.com',
      mainRequestId: nav.requestId,
      committed: false,
      partial: false,
      startedAt: nav.time,
    });
    expect(view.documentId).toBeUndefined();
    expect(tab(t).previous).toBeUndefined();
    expect(tab(t).tabId).toBe(1);
    expect(domainsOf(view)).toEqual(['www.example.com']);

    // A subframe commit is not the page's.
    onCommitted(t, commit(1, 'https://frame.example/', 'docFrame', 3));
    expect(view.committed).toBe(false);
    expect(tab(t).current).toBe(view);

    onCommitted(t, commit(1, 'https://www.example.com/page?q=1#top', 'docA'));
    expect(tab(t).current).toBe(view);
    expect(view.committed).toBe(true);
    expect(view.documentId).toBe('docA');
    expect(view.url).toBe('https://www.example.com/page?q=1#top');
    expect(view.mainDomain).toBe('www.example.com');
  });

  it('keeps the old page aside until the new one commits, then drops its domains', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/app.js', '2001:db8::1', { documentId: 'docA' });
    const old = tab(t).current;
    drainChanges(t);

    const nav = mainFrame('https://b.example/');
    onRequestStarted(t, nav);
    const pending = tab(t).current;
    expect(pending).not.toBe(old);
    expect(pending.id).toBe('v2');
    expect(tab(t).previous).toBe(old);
    expect(domainsOf(pending)).toEqual(['b.example']);
    expect(domainsOf(old)).toEqual(['a.example', 'cdn.example']);
    expect(old.familyTally).toEqual({ 4: 1, 6: 1 });
    expect(pending.familyTally).toEqual({ 4: 0, 6: 0 });

    onCommitted(t, commit(1, 'https://b.example/', 'docB'));
    expect(tab(t).current).toBe(pending);
    expect(tab(t).previous).toBeUndefined();
    expect(domainsOf(tab(t).current)).toEqual(['b.example']);

    const changes = drainChanges(t);
    expect(sorted(changes.removed)).toEqual(['d:1:v1:a.example', 'd:1:v1:cdn.example', 'l:1:v1']);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v2:b.example']);
    expect([...changes.metas]).toEqual([1]);
  });

  it('a second navigation before commit replaces the pending view and keeps the committed one', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const committed = tab(t).current;
    onRequestStarted(t, mainFrame('https://b.example/'));
    drainChanges(t);
    onRequestStarted(t, mainFrame('https://c.example/'));

    expect(tab(t).previous).toBe(committed);
    expect(tab(t).current.mainDomain).toBe('c.example');
    expect(tab(t).current.id).toBe('v3');
    expect(domainsOf(tab(t).current)).toEqual(['c.example']);
    const changes = drainChanges(t);
    expect(sorted(changes.removed)).toEqual(['d:1:v2:b.example', 'l:1:v2']);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v3:c.example']);
  });

  it('ignores requests and commits of URLs that do not go over the network', () => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('data:text/html,hi'));
    onRequestStarted(t, request('chrome-extension://abc/x.js'));
    onResponseStarted(t, response(request('blob:https://a.example/1'), '192.0.2.1'));
    onCommitted(t, commit(-1, 'https://a.example/'));
    onCommitted(t, commit(1, 'https://a.example/', 'doc', 2));
    expect(t.tabs.size).toBe(0);
    expect(isEmpty(drainChanges(t))).toBe(true);
  });
});

describe('main-frame redirects', () => {
  interface Expected {
    requests: number;
    responses: number;
    inflight: number;
    flags: FlagName[];
  }
  it.each<[string, string[], string, Record<string, Expected>]>([
    [
      'cross-host',
      ['https://a.example/', 'https://b.example/landing'],
      'b.example',
      {
        'a.example': { requests: 1, responses: 1, inflight: 0, flags: ['tls'] },
        'b.example': { requests: 1, responses: 0, inflight: 1, flags: ['tls'] },
      },
    ],
    [
      'same host, http to https',
      ['http://example.com/', 'https://example.com/'],
      'example.com',
      { 'example.com': { requests: 2, responses: 1, inflight: 1, flags: ['plainHttp', 'tls'] } },
    ],
    [
      'three hops',
      ['http://short.example/x', 'https://short.example/x', 'https://long.example/article'],
      'long.example',
      {
        'short.example': { requests: 2, responses: 2, inflight: 0, flags: ['plainHttp', 'tls'] },
        'long.example': { requests: 1, responses: 0, inflight: 1, flags: ['tls'] },
      },
    ],
  ])('%s: the main domain moves to the target and earlier hops stay listed', (_name, hops, finalDomain, expected) => {
    const t = newTracker();
    navigate(t, 1, 'https://start.example/', '192.0.2.9', 'doc0');
    const old = tab(t).current;

    const first = mainFrame(hops[0] ?? '');
    onRequestStarted(t, first);
    const view = tab(t).current;
    for (let i = 1; i < hops.length; i++) {
      const from = hops[i - 1] ?? '';
      const to = hops[i] ?? '';
      onRedirect(t, redirect({ ...first, url: from }, to, '2001:db8::80'));
      // Already on the redirect itself the page is the target.
      expect(view.url).toBe(to);
      onRequestStarted(t, { ...first, url: to, time: tick() });
      // Same request id: still the same navigation, no new view.
      expect(tab(t).current).toBe(view);
      expect(tab(t).previous).toBe(old);
    }
    const finalUrl = hops[hops.length - 1] ?? '';
    expect(view.url).toBe(finalUrl);
    expect(view.mainDomain).toBe(finalDomain);
    expect(view.origin).toBe(finalUrl.slice(0, finalUrl.indexOf('/', 8)));
    expect(view.mainRequestId).toBe(first.requestId);
    expect(domainsOf(view)).toEqual(Object.keys(expected).sort());
    for (const [domain, want] of Object.entries(expected)) {
      const rec = record(view, domain);
      expect({ requests: rec.requests, responses: rec.responses, inflight: rec.inflight.length, flags: flagsOf(rec) }).toEqual(want);
    }

    onCommitted(t, commit(1, finalUrl, 'docFinal'));
    expect(tab(t).current).toBe(view);
    expect(view.committed).toBe(true);
    expect(view.mainDomain).toBe(finalDomain);
    expect(tab(t).previous).toBeUndefined();
    // The earlier hops are part of the page that was loaded.
    expect(domainsOf(tab(t).current)).toEqual(Object.keys(expected).sort());
  });

  it('a redirect of a subresource does not move the main domain', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const img = request('https://img.example/logo', { type: 'image', documentId: 'docA' });
    onRequestStarted(t, img);
    onRedirect(t, redirect(img, 'https://img2.example/logo', '192.0.2.7'));
    onRequestStarted(t, { ...img, url: 'https://img2.example/logo', time: tick() });
    const view = tab(t).current;
    expect(view.mainDomain).toBe('a.example');
    expect(view.url).toBe('https://a.example/');
    expect(record(view, 'img.example')).toMatchObject({ requests: 1, responses: 1, inflight: [], primary: '192.0.2.7' });
    expect(record(view, 'img2.example')).toMatchObject({ requests: 1, responses: 0, inflight: [img.requestId] });
  });

  it('a redirect of an already committed main-frame request does not rewrite the page', () => {
    const t = newTracker();
    const nav = navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    onRedirect(t, redirect(nav, 'https://elsewhere.example/', '192.0.2.1'));
    expect(tab(t).current.mainDomain).toBe('a.example');
    expect(tab(t).current.url).toBe('https://a.example/');
  });
});

describe('speculative main-frame requests (with documentId)', () => {
  it('do not reset the tab and are flagged prefetch', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const view = tab(t).current;
    drainChanges(t);

    const spec = mainFrame('https://next.example/', { documentId: 'docPrerender' });
    onRequestStarted(t, spec);
    onResponseStarted(t, response(spec, '2001:db8::5'));
    onRequestEnded(t, spec, false);

    expect(tab(t).current).toBe(view);
    expect(tab(t).previous).toBeUndefined();
    expect(view.mainDomain).toBe('a.example');
    expect(view.committed).toBe(true);
    expect(flagsOf(record(view, 'next.example'))).toEqual(['prefetch', 'tls']);
    // The real navigation is not prefetch.
    expect(flagsOf(record(view, 'a.example'))).toEqual(['tls']);
    const changes = drainChanges(t);
    expect(changes.removed.size).toBe(0);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v1:next.example']);
  });

  it('a failed speculative request does not touch the page either', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    onRequestStarted(t, mainFrame('https://b.example/'));
    const pending = tab(t).current;
    const spec = mainFrame('https://next.example/', { documentId: 'docPrerender' });
    onRequestStarted(t, spec);
    onRequestEnded(t, spec, true);
    expect(tab(t).current).toBe(pending);
    expect(tab(t).previous?.mainDomain).toBe('a.example');
    expect(record(pending, 'next.example')).toMatchObject({ errors: 1, inflight: [] });
  });
});

describe('failed main-frame navigation', () => {
  it.each<[string, (t: Tracker, nav: RequestEvent) => void]>([
    ['fails at once', (t, nav) => onRequestEnded(t, nav, true)],
    [
      'fails after a redirect',
      (t, nav) => {
        onRedirect(t, redirect(nav, 'https://dl2.example/file.zip', '192.0.2.3'));
        const hop = { ...nav, url: 'https://dl2.example/file.zip', time: tick() };
        onRequestStarted(t, hop);
        onRequestEnded(t, hop, true);
      },
    ],
    [
      'fails after its response (a download)',
      (t, nav) => {
        onResponseStarted(t, response(nav, '192.0.2.3'));
        onRequestEnded(t, nav, true);
      },
    ],
  ])('before commit restores the previous view: %s', (_name, fail) => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x.js', '192.0.2.2', { documentId: 'docA' });
    const old = tab(t).current;
    drainChanges(t);

    const nav = mainFrame('https://dl.example/file.zip');
    onRequestStarted(t, nav);
    const pending = tab(t).current;
    fail(t, nav);

    expect(tab(t).current).toBe(old);
    expect(tab(t).previous).toBeUndefined();
    expect(old.committed).toBe(true);
    expect(old.mainDomain).toBe('a.example');
    expect(domainsOf(old)).toEqual(['a.example', 'cdn.example']);

    const changes = drainChanges(t);
    expect(changes.metas.has(1)).toBe(true);
    // Every key of the abandoned view is to be removed, none written; the old page's keys stay.
    expect(pending.id).toBe('v2');
    expect(pending.domains.size).toBeGreaterThan(0);
    expect(sorted(changes.removed)).toEqual([...domainsOf(pending).map((d) => `d:1:v2:${d}`), 'l:1:v2']);
    expect([...changes.domains.keys()].filter((k) => k.startsWith('d:1:v2:'))).toEqual([]);
  });

  it.each<[string, (t: Tracker, nav: RequestEvent) => void]>([
    [
      'a failed subresource',
      (t) => {
        const sub = request('https://b.example/y');
        onRequestStarted(t, sub);
        onRequestEnded(t, sub, true);
      },
    ],
    ['a failed main_frame request with another id', (t) => onRequestEnded(t, mainFrame('https://b.example/'), true)],
    ['the navigation ending successfully', (t, nav) => onRequestEnded(t, nav, false)],
  ])('is not triggered by %s', (_name, act) => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const old = tab(t).current;
    const nav = mainFrame('https://b.example/');
    onRequestStarted(t, nav);
    const pending = tab(t).current;
    act(t, nav);
    expect(tab(t).current).toBe(pending);
    expect(tab(t).previous).toBe(old);
  });

  it('after commit only counts an error', () => {
    const t = newTracker();
    const nav = navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const view = tab(t).current;
    onRequestEnded(t, nav, true);
    expect(tab(t).current).toBe(view);
    expect(record(view, 'a.example').errors).toBe(1);
  });

  it('with no earlier page leaves the pending view, with the error counted', () => {
    const t = newTracker();
    const nav = mainFrame('https://dl.example/file.zip');
    onRequestStarted(t, nav);
    const view = tab(t).current;
    onRequestEnded(t, nav, true);
    expect(tab(t).current).toBe(view);
    expect(record(view, 'dl.example')).toMatchObject({ errors: 1, inflight: [], requests: 1 });
  });
});

describe('late requests of the old document', () => {
  it('go to the previous view while the navigation is pending', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const old = tab(t).current;
    onRequestStarted(t, mainFrame('https://b.example/'));
    const pending = tab(t).current;
    drainChanges(t);

    load(t, 'https://beacon.example/ping', '192.0.2.50', { type: 'ping', documentId: 'docA' });
    expect(record(old, 'beacon.example')).toMatchObject({ requests: 1, responses: 1, inflight: [], primary: '192.0.2.50' });
    expect(pending.domains.has('beacon.example')).toBe(false);
    expect(old.familyTally).toEqual({ 4: 2, 6: 0 });
    expect(sorted(drainChanges(t).domains.keys())).toEqual(['d:1:v1:beacon.example']);

    // Another document's request, or one without a documentId, belongs to the new page.
    load(t, 'https://other.example/x', '192.0.2.51', { documentId: 'docOther' });
    load(t, 'https://nodoc.example/x', '192.0.2.52');
    expect(domainsOf(pending)).toEqual(['b.example', 'nodoc.example', 'other.example']);
    expect(domainsOf(old)).toEqual(['a.example', 'beacon.example']);
  });
});

describe('requests of no tab (service workers)', () => {
  function fourTabs(): Tracker {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'd1');
    navigate(t, 2, 'https://a.example:443/other?x', '192.0.2.1', 'd2');
    navigate(t, 3, 'https://b.example/', '192.0.2.2', 'd3');
    navigate(t, 4, 'http://a.example/', '192.0.2.1', 'd4');
    drainChanges(t);
    return t;
  }

  it('are attributed to every tab whose page has the initiator origin', () => {
    const t = fourTabs();
    const sw = request('https://api.example/data', { tabId: -1, type: 'xmlhttprequest', initiator: 'https://a.example', frameId: -1 });
    onRequestStarted(t, sw);
    expect(record(tab(t, 1).current, 'api.example').inflight).toEqual([sw.requestId]);
    onResponseStarted(t, response(sw, '2001:db8::a'));
    onRequestEnded(t, sw, false);

    for (const tabId of [1, 2]) {
      const rec = record(tab(t, tabId).current, 'api.example');
      expect(rec).toMatchObject({ requests: 1, responses: 1, errors: 0, inflight: [], primary: '2001:db8::a' });
      expect(flagsOf(rec)).toEqual(['serviceWorker', 'tls']);
      expect(tab(t, tabId).current.familyTally).toEqual({ 4: 1, 6: 1 });
    }
    expect(tab(t, 3).current.domains.has('api.example')).toBe(false);
    expect(tab(t, 4).current.domains.has('api.example')).toBe(false);
    expect(t.tabs.has(-1)).toBe(false);
    expect(t.tabs.size).toBe(4);

    const changes = drainChanges(t);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v1:api.example', 'd:2:v2:api.example']);
    expect(sorted([...changes.touched].map(String))).toEqual(['1', '2']);
  });

  it.each<[string, string | undefined]>([
    ['an origin no tab shows', 'https://nowhere.example'],
    ['another port', 'https://a.example:8443'],
    ['another scheme', 'wss://a.example'],
    ['an opaque origin', 'null'],
    ['no initiator', undefined],
  ])('are attributed to no tab for %s', (_name, initiator) => {
    const t = fourTabs();
    const over: Partial<RequestEvent> = { tabId: -1, frameId: -1 };
    if (initiator !== undefined) over.initiator = initiator;
    const sw = request('https://api.example/data', over);
    onRequestStarted(t, sw);
    onResponseStarted(t, response(sw, '2001:db8::a'));
    onRequestEnded(t, sw, true);
    for (const state of t.tabs.values()) expect(state.current.domains.has('api.example')).toBe(false);
    expect(t.tabs.size).toBe(4);
    expect(isEmpty(drainChanges(t))).toBe(true);
  });
});

describe('addresses of a domain', () => {
  type Seen = [ip: string | undefined, fromCache: boolean];
  it.each<[string, Seen[], string | undefined, Record<string, [responses: number, cached: number]>]>([
    ['one address, repeated', [['192.0.2.1', false], ['192.0.2.1', false], ['192.0.2.1', false]], '192.0.2.1', { '192.0.2.1': [3, 0] }],
    [
      'the newest non-cached address is primary',
      [['192.0.2.1', false], ['2001:db8::1', false], ['192.0.2.2', false]],
      '192.0.2.2',
      { '192.0.2.1': [1, 0], '2001:db8::1': [1, 0], '192.0.2.2': [1, 0] },
    ],
    ['back to an earlier address', [['192.0.2.1', false], ['2001:db8::1', false], ['192.0.2.1', false]], '192.0.2.1', { '192.0.2.1': [2, 0], '2001:db8::1': [1, 0] }],
    ['a cached response never replaces the primary', [['2001:db8::1', false], ['192.0.2.1', true]], '2001:db8::1', { '2001:db8::1': [1, 0], '192.0.2.1': [1, 1] }],
    ['cached responses from the primary are counted', [['192.0.2.1', false], ['192.0.2.1', true]], '192.0.2.1', { '192.0.2.1': [2, 1] }],
    ['the only address known is primary even when cached', [['192.0.2.1', true]], '192.0.2.1', { '192.0.2.1': [1, 1] }],
    ['two cached: the first stays primary', [['192.0.2.1', true], ['2001:db8::1', true]], '192.0.2.1', { '192.0.2.1': [1, 1], '2001:db8::1': [1, 1] }],
    ['a live response replaces a cached primary', [['192.0.2.1', true], ['2001:db8::1', false]], '2001:db8::1', { '192.0.2.1': [1, 1], '2001:db8::1': [1, 0] }],
    ['no address reported', [[undefined, false], ['', false], [undefined, true]], undefined, {}],
    ['a response without an address keeps the primary', [['192.0.2.1', false], [undefined, false]], '192.0.2.1', { '192.0.2.1': [1, 0] }],
    ['all spellings of a mapped address are one', [['::ffff:7f00:2', false], ['::ffff:127.0.0.2', false], ['::FFFF:7F00:0002', false]], '::ffff:7f00:2', { '::ffff:7f00:2': [3, 0] }],
    ['IPv6 text is canonicalised', [['2001:DB8:0:0:0:0:0:1', false], ['2001:db8::1', false]], '2001:db8::1', { '2001:db8::1': [2, 0] }],
    ['an address that does not parse is kept as reported', [['not-an-ip', false]], 'not-an-ip', { 'not-an-ip': [1, 0] }],
  ])('%s', (_name, seen, primary, addresses) => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.100', 'docA');
    for (const [ip, fromCache] of seen) load(t, 'https://cdn.example/x', ip, {}, { fromCache });
    const rec = record(tab(t).current, 'cdn.example');
    expect(rec.primary).toBe(primary);
    const counts = Object.fromEntries(Object.entries(rec.addresses).map(([k, s]) => [k, [s.responses, s.cached]]));
    expect(counts).toEqual(addresses);
    expect(rec.responses).toBe(seen.length);
    expect(rec.requests).toBe(seen.length);
    expect(flagsOf(rec).includes('cache')).toBe(seen.some(([, c]) => c));
  });

  it.each<[string, string, 4 | 6 | undefined]>([
    ['192.0.2.1', '192.0.2.1', 4],
    ['::ffff:192.0.2.1', '::ffff:c000:201', 4],
    ['::ffff:7f00:2', '::ffff:7f00:2', 4],
    ['64:ff9b::c000:221', '64:ff9b::c000:221', 4],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221', 4],
    ['2001:db8::1', '2001:db8::1', 6],
    ['::1', '::1', 6],
    ['fe80::1%eth0', 'fe80::1%eth0', 6],
    // Text that is not an address: kept as given, its family unknown (a colon says nothing).
    ['garbage:text', 'garbage:text', undefined],
    ['300.1.1.1', '300.1.1.1', undefined],
    ['::ffff:1.2.3.256', '::ffff:1.2.3.256', undefined],
  ])('%s is stored as %s, family %s', (ip, key, family) => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    const req = load(t, 'https://cdn.example/x', ip);
    const view = tab(t).current;
    const rec = record(view, 'cdn.example');
    expect(Object.keys(rec.addresses)).toEqual([key]);
    expect(rec.addresses[key]).toMatchObject({ responses: 1, cached: 0 });
    expect(rec.addresses[key]?.family).toBe(family);
    expect(rec.addresses[key]?.firstSeen).toBeGreaterThan(req.time);
    expect(rec.primary).toBe(key);
    expect(view.familyTally).toEqual(family === 4 ? { 4: 1, 6: 0 } : family === 6 ? { 4: 0, 6: 1 } : { 4: 0, 6: 0 });
  });

  it('keeps the family tally in step with each domain’s primary address', () => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    const view = tab(t).current;
    expect(view.familyTally).toEqual({ 4: 0, 6: 0 });
    load(t, 'https://cdn.example/1', '2001:db8::1');
    expect(view.familyTally).toEqual({ 4: 0, 6: 1 });
    load(t, 'https://cdn.example/2', '192.0.2.1');
    expect(view.familyTally).toEqual({ 4: 1, 6: 0 });
    load(t, 'https://cdn.example/3', '2001:db8::1', {}, { fromCache: true });
    expect(view.familyTally).toEqual({ 4: 1, 6: 0 });
    load(t, 'https://cdn.example/4', '::ffff:192.0.2.9');
    expect(view.familyTally).toEqual({ 4: 1, 6: 0 });
    load(t, 'https://other.example/', '2001:db8::2');
    expect(view.familyTally).toEqual({ 4: 1, 6: 1 });
    load(t, 'https://nat.example/', '64:ff9b::1.2.3.4');
    expect(view.familyTally).toEqual({ 4: 2, 6: 1 });
    load(t, 'https://unknown.example/', undefined);
    expect(view.familyTally).toEqual({ 4: 2, 6: 1 });
    expect(view.domains.size).toBe(5);
  });
});

describe('counting', () => {
  it('counts requests, responses and errors and keeps only requests in flight', () => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    const view = tab(t).current;
    const [r1, r2, r3] = [request('https://cdn.example/1'), request('https://cdn.example/2'), request('https://cdn.example/3')];
    if (r1 === undefined || r2 === undefined || r3 === undefined) throw new Error('setup');
    for (const r of [r1, r2, r3]) onRequestStarted(t, r);
    const rec = record(view, 'cdn.example');
    expect(rec).toMatchObject({ requests: 3, responses: 0, errors: 0, inflight: [r1.requestId, r2.requestId, r3.requestId] });
    expect(rec.firstSeen).toBe(r1.time);

    onResponseStarted(t, response(r1, '192.0.2.1'));
    onResponseStarted(t, response(r2, '192.0.2.1'));
    onRequestEnded(t, r1, false);
    expect(rec.inflight).toEqual([r2.requestId, r3.requestId]);
    onRequestEnded(t, r3, true);
    expect(rec.inflight).toEqual([r2.requestId]);
    // Ending a request that is not in flight changes nothing else.
    onRequestEnded(t, request('https://cdn.example/never-started'), false);
    expect(rec.inflight).toEqual([r2.requestId]);
    const last = { ...r2, time: tick() };
    onRequestEnded(t, last, false);
    expect(rec).toMatchObject({ requests: 3, responses: 2, errors: 1, inflight: [] });
    expect(rec.firstSeen).toBe(r1.time);
    expect(rec.lastSeen).toBeGreaterThan(r1.time);
  });

  it('a response with no start seen still counts as a request', () => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    onResponseStarted(t, response(request('https://cdn.example/x'), '192.0.2.1'));
    onResponseStarted(t, response(request('https://cdn.example/y'), '192.0.2.1'));
    expect(record(tab(t).current, 'cdn.example')).toMatchObject({ requests: 2, responses: 2, inflight: [] });
  });

  it('a request id restarted on the same host (a redirect hop) is in flight once', () => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    const req = request('http://cdn.example/x');
    onRequestStarted(t, req);
    onRequestStarted(t, { ...req, url: 'https://cdn.example/x' });
    expect(record(tab(t).current, 'cdn.example')).toMatchObject({ requests: 2, inflight: [req.requestId] });
  });

  it('a redirect is a response of the old host and ends its request', () => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    const req = request('https://old.example/x');
    onRequestStarted(t, req);
    onRedirect(t, redirect(req, 'https://new.example/x', '2001:db8::9'));
    const view = tab(t).current;
    expect(record(view, 'old.example')).toMatchObject({ requests: 1, responses: 1, errors: 0, inflight: [], primary: '2001:db8::9' });
    expect(view.domains.has('new.example')).toBe(false);
    onRequestStarted(t, { ...req, url: 'https://new.example/x', time: tick() });
    expect(record(view, 'new.example')).toMatchObject({ requests: 1, responses: 0, inflight: [req.requestId] });
  });

  it('an end for an unknown tab or host creates nothing', () => {
    const t = newTracker();
    onRequestEnded(t, request('https://a.example/', { tabId: 42 }), true);
    expect(t.tabs.size).toBe(0);
    onRequestStarted(t, mainFrame('https://a.example/'));
    drainChanges(t);
    onRequestEnded(t, request('https://unrelated.example/'), true);
    expect(domainsOf(tab(t).current)).toEqual(['a.example']);
    expect(isEmpty(drainChanges(t))).toBe(true);
  });
});

describe('flags', () => {
  it.each<[string, Partial<RequestEvent>, FlagName[]]>([
    ['https://cdn.example/x.js', { type: 'script' }, ['tls']],
    ['http://cdn.example/x.png', { type: 'image' }, ['plainHttp']],
    ['wss://cdn.example/socket', { type: 'websocket' }, ['websocket', 'tls']],
    ['ws://cdn.example/socket', { type: 'websocket' }, ['websocket', 'plainHttp']],
    ['https://cdn.example/next', { type: 'prefetch' }, ['prefetch', 'tls']],
    ['https://cdn.example/next', { type: 'main_frame', documentId: 'docSpec' }, ['prefetch', 'tls']],
    ['https://cdn.example/sw', { tabId: -1, initiator: 'https://a.example' }, ['serviceWorker', 'tls']],
    ['http://cdn.example/sw', { tabId: -1, initiator: 'https://a.example', type: 'prefetch' }, ['prefetch', 'serviceWorker', 'plainHttp']],
  ])('%s %j → %j', (url, over, expected) => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    onRequestStarted(t, request(url, over));
    expect(flagsOf(record(tab(t).current, 'cdn.example'))).toEqual(expected);
  });

  it('accumulate over requests, and a cached response adds cache', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'http://cdn.example/a', '192.0.2.2');
    const rec = record(tab(t).current, 'cdn.example');
    expect(flagsOf(rec)).toEqual(['plainHttp']);
    load(t, 'https://cdn.example/b', '192.0.2.2', {}, { fromCache: true });
    expect(flagsOf(rec)).toEqual(['cache', 'plainHttp', 'tls']);
    load(t, 'https://cdn.example/c', '192.0.2.2');
    expect(flagsOf(rec)).toEqual(['cache', 'plainHttp', 'tls']);
  });
});

describe('HTTP versions from the status line', () => {
  it.each<[string, Array<string | undefined>, string[] | undefined]>([
    ['not given', [undefined, undefined], undefined],
    ['HTTP/2.0', ['HTTP/2.0 200'], ['HTTP/2']],
    ['HTTP/2', ['HTTP/2 200'], ['HTTP/2']],
    ['HTTP/3.0', ['HTTP/3.0 200'], ['HTTP/3']],
    ['HTTP/1.1', ['HTTP/1.1 200 OK'], ['HTTP/1.1']],
    ['HTTP/1.0', ['HTTP/1.0 304 Not Modified'], ['HTTP/1.0']],
    ['lower case', ['http/1.1 200 OK'], ['HTTP/1.1']],
    ['unparseable', ['200 OK', ''], undefined],
    ['several, each once, in order seen', ['HTTP/1.1 200 OK', 'HTTP/2.0 200', 'HTTP/2 204', undefined, 'HTTP/1.1 404'], ['HTTP/1.1', 'HTTP/2']],
  ])('%s', (_name, statusLines, expected) => {
    const t = newTracker();
    onRequestStarted(t, mainFrame('https://a.example/'));
    for (const statusLine of statusLines) {
      const req = request('https://cdn.example/x');
      onRequestStarted(t, req);
      onResponseStarted(t, response(req, '192.0.2.1', statusLine === undefined ? {} : { statusLine }));
    }
    expect(record(tab(t).current, 'cdn.example').httpVersions).toEqual(expected);
  });
});

describe('commits with no request seen', () => {
  it.each<[string, string | undefined]>([
    ['chrome://newtab/', undefined],
    ['file:///home/me/page.html', undefined],
    ['https://cached.example/page', 'cached.example'],
  ])('on a new tab, %s starts an empty committed view', (url, mainDomain) => {
    const t = newTracker();
    onCommitted(t, commit(7, url, 'docN'));
    const state = tab(t, 7);
    expect(state.previous).toBeUndefined();
    expect(state.current).toMatchObject({ url, mainDomain, committed: true, partial: false, documentId: 'docN' });
    expect(state.current.domains.size).toBe(0);
    expect(state.current.mainRequestId).toBeUndefined();
    const changes = drainChanges(t);
    expect(changes.metas.has(7)).toBe(true);
    expect(changes.touched.has(7)).toBe(true);
  });

  it('a back/forward-cache commit replaces the committed page and drops its keys', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    navigate(t, 1, 'https://b.example/', '2001:db8::1', 'docB');
    load(t, 'https://cdn.example/x', '2001:db8::2', { documentId: 'docB' });
    const before = tab(t).current;
    drainChanges(t);

    onCommitted(t, commit(1, 'https://a.example/', 'docA'));
    const view = tab(t).current;
    expect(view).not.toBe(before);
    expect(view).toMatchObject({ url: 'https://a.example/', origin: 'https://a.example', mainDomain: 'a.example', committed: true, documentId: 'docA' });
    expect(view.domains.size).toBe(0);
    expect(tab(t).previous).toBeUndefined();

    const changes = drainChanges(t);
    expect(sorted(changes.removed)).toEqual(['d:1:v2:b.example', 'd:1:v2:cdn.example', 'l:1:v2']);
    expect(changes.domains.size).toBe(0);
    expect(changes.metas.has(1)).toBe(true);
  });

  it('successive commits without requests keep only the newest view', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    // A partial view (committed, no request) then a commit with no request.
    onCommitted(t, commit(1, 'chrome://settings/', 'docS'));
    onCommitted(t, commit(1, 'https://a.example/', 'docA'));
    expect(tab(t).previous).toBeUndefined();
    expect(tab(t).current.url).toBe('https://a.example/');
    expect(t.tabs.size).toBe(1);
  });
});

describe('tab removal', () => {
  it('drops the state and logs every key of the tab for removal', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '192.0.2.2', { documentId: 'docA' });
    onRequestStarted(t, mainFrame('https://b.example/'));
    navigate(t, 2, 'https://other.example/', '192.0.2.3', 'docO');
    drainChanges(t);

    onTabRemoved(t, 1);
    expect(t.tabs.has(1)).toBe(false);
    expect(t.tabs.has(2)).toBe(true);
    const changes = drainChanges(t);
    expect(sorted(changes.removed)).toEqual(['d:1:v1:a.example', 'd:1:v1:cdn.example', 'd:1:v2:b.example', 'l:1:v1', 'l:1:v2', 't:1']);
    expect(changes.domains.size).toBe(0);
    expect(changes.metas.size).toBe(0);
    expect([...changes.touched]).toEqual([1]);
  });

  it('cancels writes of the same batch', () => {
    const t = newTracker();
    navigate(t, 3, 'https://a.example/', '192.0.2.1', 'docA');
    onTabRemoved(t, 3);
    const changes = drainChanges(t);
    expect(changes.domains.size).toBe(0);
    expect(changes.metas.size).toBe(0);
    expect(sorted(changes.removed)).toEqual(['d:3:v1:a.example', 'l:3:v1', 't:3']);
  });

  it('of an unknown tab changes nothing', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    drainChanges(t);
    onTabRemoved(t, 99);
    expect(isEmpty(drainChanges(t))).toBe(true);
    expect(t.tabs.size).toBe(1);
  });

  it('late ends of its requests do not bring the tab back', () => {
    const t = newTracker();
    const nav = navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    onTabRemoved(t, 1);
    onRequestEnded(t, nav, true);
    expect(t.tabs.has(1)).toBe(false);
  });
});

describe('tab replacement', () => {
  it('moves the state to the new id, with every key rewritten under it', () => {
    const t = newTracker();
    navigate(t, 5, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '2001:db8::1', { tabId: 5, documentId: 'docA' });
    onRequestStarted(t, mainFrame('https://b.example/', { tabId: 5 }));
    const { current, previous } = tab(t, 5);
    drainChanges(t);

    onTabReplaced(t, 9, 5);
    expect(t.tabs.has(5)).toBe(false);
    const moved = tab(t, 9);
    expect(moved.tabId).toBe(9);
    expect(moved.current).toBe(current);
    expect(moved.previous).toBe(previous);

    const changes = drainChanges(t);
    expect(sorted(changes.removed)).toEqual(['d:5:v1:a.example', 'd:5:v1:cdn.example', 'd:5:v2:b.example', 'l:5:v1', 'l:5:v2', 't:5']);
    expect(sorted(changes.domains.keys())).toEqual(['d:9:v1:a.example', 'd:9:v1:cdn.example', 'd:9:v2:b.example']);
    expect(sorted(changes.lives.keys())).toEqual(['l:9:v1', 'l:9:v2']);
    expect([...changes.metas]).toEqual([9]);
    expect(sorted([...changes.touched].map(String))).toEqual(['5', '9']);

    // Later events of the new id continue the moved navigation.
    onCommitted(t, commit(9, 'https://b.example/', 'docB'));
    expect(tab(t, 9).current).toBe(current);
    expect(current.committed).toBe(true);
    expect(tab(t, 9).previous).toBeUndefined();
    expect(sorted(drainChanges(t).removed)).toEqual(['d:9:v1:a.example', 'd:9:v1:cdn.example', 'l:9:v1']);
  });

  it('keeps the new id’s own state when it has one', () => {
    const t = newTracker();
    navigate(t, 5, 'https://a.example/', '192.0.2.1', 'docA');
    navigate(t, 9, 'https://prerendered.example/', '192.0.2.2', 'docP');
    const own = tab(t, 9).current;
    drainChanges(t);
    onTabReplaced(t, 9, 5);
    expect(t.tabs.has(5)).toBe(false);
    expect(tab(t, 9).current).toBe(own);
    const changes = drainChanges(t);
    expect(sorted(changes.removed)).toEqual(['d:5:v1:a.example', 'l:5:v1', 't:5']);
    expect(changes.domains.size).toBe(0);
  });

  it('of an unknown tab moves nothing', () => {
    const t = newTracker();
    onTabReplaced(t, 9, 5);
    expect(t.tabs.size).toBe(0);
    expect(isEmpty(drainChanges(t))).toBe(true);
  });

  it('back and forth within a batch leaves no removal of a live key', () => {
    const t = newTracker();
    navigate(t, 5, 'https://a.example/', '192.0.2.1', 'docA');
    drainChanges(t);
    onTabReplaced(t, 9, 5);
    onTabReplaced(t, 5, 9);
    const changes = drainChanges(t);
    expect(sorted(changes.domains.keys())).toEqual(['d:5:v1:a.example']);
    expect([...changes.metas]).toEqual([5]);
    // Domain keys written again leave the removal set; the tab key is settled by storageWrites
    // (a key both written and removed is written), see persisted.test.ts.
    expect(sorted(changes.removed).filter((k) => k.startsWith('d:'))).toEqual(['d:9:v1:a.example']);
    expect(changes.removed.has('t:9')).toBe(true);
  });
});

describe('tabs first seen mid-page', () => {
  it('get a partial view that setPartialViewUrl fills in once', () => {
    const t = newTracker();
    const req = load(t, 'https://cdn.example/x', '2001:db8::1', { tabId: 3 });
    const view = tab(t, 3).current;
    expect(view).toMatchObject({ id: 'v1', partial: true, committed: true, startedAt: req.time });
    expect(view.url).toBeUndefined();
    expect(view.mainDomain).toBeUndefined();
    expect(view.origin).toBeUndefined();
    expect(record(view, 'cdn.example')).toMatchObject({ requests: 1, responses: 1 });
    drainChanges(t);

    setPartialViewUrl(t, 3, 'https://Page.example:443/article');
    expect(view).toMatchObject({ url: 'https://Page.example:443/article', origin: 'https://page.example', mainDomain: 'page.example' });
    const changes = drainChanges(t);
    expect([...changes.metas]).toEqual([3]);

    setPartialViewUrl(t, 3, 'https://else.example/');
    expect(view.url).toBe('https://Page.example:443/article');
    expect(isEmpty(drainChanges(t))).toBe(true);

    // Now a worker of that origin is attributed to the tab.
    load(t, 'https://api.example/', '192.0.2.1', { tabId: -1, initiator: 'https://page.example' });
    expect(view.domains.has('api.example')).toBe(true);
  });

  it('a response alone also starts a partial view', () => {
    const t = newTracker();
    onResponseStarted(t, response(request('https://cdn.example/x', { tabId: 4 }), '192.0.2.1'));
    expect(tab(t, 4).current.partial).toBe(true);
    expect(tab(t, 4).current.familyTally).toEqual({ 4: 1, 6: 0 });
  });

  it.each<[string, (t: Tracker) => void]>([
    ['a navigated view', (t) => navigate(t, 3, 'https://a.example/', '192.0.2.1', 'docA')],
    ['a browser-page commit', (t) => onCommitted(t, commit(3, 'chrome://newtab/'))],
  ])('setPartialViewUrl leaves %s alone', (_name, setup) => {
    const t = newTracker();
    setup(t);
    const before = { ...tab(t, 3).current };
    drainChanges(t);
    setPartialViewUrl(t, 3, 'https://else.example/');
    expect(tab(t, 3).current).toEqual(before);
    expect(isEmpty(drainChanges(t))).toBe(true);
  });

  it('setPartialViewUrl of an unknown tab creates nothing', () => {
    const t = newTracker();
    setPartialViewUrl(t, 3, 'https://a.example/');
    expect(t.tabs.size).toBe(0);
  });

  it('a later navigation replaces the partial view as usual', () => {
    const t = newTracker();
    load(t, 'https://cdn.example/x', '192.0.2.1', { tabId: 3 });
    const partial = tab(t, 3).current;
    onRequestStarted(t, mainFrame('https://a.example/', { tabId: 3 }));
    expect(tab(t, 3).previous).toBe(partial);
    onCommitted(t, commit(3, 'https://a.example/', 'docA'));
    expect(tab(t, 3).previous).toBeUndefined();
    expect(tab(t, 3).current.partial).toBe(false);
  });
});

describe('memory', () => {
  it('10,000 requests to one domain leave one record, nothing in flight, one address', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    for (let i = 0; i < 10_000; i++) {
      const req = request('https://cdn.example/item/' + i, { documentId: 'docA' });
      onRequestStarted(t, req);
      onResponseStarted(t, response(req, i % 2 === 0 ? '2001:db8::1' : '2001:DB8:0::1', { fromCache: i % 3 === 0 }));
      onRequestEnded(t, req, i % 100 === 0);
    }
    const view = tab(t).current;
    expect(view.domains.size).toBe(2);
    const rec = record(view, 'cdn.example');
    expect(rec).toMatchObject({ requests: 10_000, responses: 10_000, errors: 100, inflight: [] });
    expect(Object.keys(rec.addresses)).toEqual(['2001:db8::1']);
    expect(rec.addresses['2001:db8::1']).toMatchObject({ responses: 10_000, cached: 3334 });
    expect(view.familyTally).toEqual({ 4: 1, 6: 1 });
    // The pending batch is bounded by the domains touched, not by the requests.
    const changes = drainChanges(t);
    expect(changes.domains.size).toBe(2);
    expect(changes.touched.size).toBe(1);
  });

  it('many concurrent requests drain to nothing in flight', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    const reqs = Array.from({ length: 500 }, (_, i) => request('https://cdn.example/' + i));
    for (const r of reqs) onRequestStarted(t, r);
    expect(record(tab(t).current, 'cdn.example').inflight).toHaveLength(500);
    for (const r of [...reqs].reverse()) onRequestEnded(t, r, false);
    expect(record(tab(t).current, 'cdn.example').inflight).toEqual([]);
  });
});

describe('change log', () => {
  it('drainChanges hands over the log and leaves an empty one', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '2001:db8::1', { documentId: 'docA' });
    const changes = drainChanges(t);
    expect([...changes.metas]).toEqual([1]);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v1:a.example', 'd:1:v1:cdn.example']);
    expect(changes.removed.size).toBe(0);
    expect([...changes.touched]).toEqual([1]);
    // The values are the live records.
    expect(changes.domains.get('d:1:v1:cdn.example')).toBe(record(tab(t).current, 'cdn.example'));

    expect(t.changes).not.toBe(changes);
    expect(isEmpty(t.changes)).toBe(true);
    expect(isEmpty(drainChanges(t))).toBe(true);
  });

  it('a response alone writes its domain but not the tab meta', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    drainChanges(t);
    load(t, 'https://cdn.example/x', '192.0.2.2', { documentId: 'docA' });
    const changes = drainChanges(t);
    expect(changes.metas.size).toBe(0);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v1:cdn.example']);
    expect([...changes.touched]).toEqual([1]);
  });

  it('a main-frame redirect writes the tab meta', () => {
    const t = newTracker();
    const nav = mainFrame('https://a.example/');
    onRequestStarted(t, nav);
    drainChanges(t);
    onRedirect(t, redirect(nav, 'https://b.example/', '192.0.2.1'));
    const changes = drainChanges(t);
    expect([...changes.metas]).toEqual([1]);
    expect(sorted(changes.domains.keys())).toEqual(['d:1:v1:a.example']);
  });
});
