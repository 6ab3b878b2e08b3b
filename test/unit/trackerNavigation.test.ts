// The tracker: page views and navigation (commit, redirects, speculative and failed navigations, late requests of the old page).
import { describe, expect, it } from 'vitest';
import type { FlagName } from '../../src/core/tab/model';
import { drainChanges, onCommitted, onRedirect, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response, tick } from './trackerEvents';
import { mainFrame, redirect, commit, tab, record, domainsOf, flagsOf, sorted, isEmpty, domainKeys, removedKeys } from './trackerHelpers';

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
    expect(sorted(removedKeys(changes))).toEqual(['d:1:v1:a.example', 'd:1:v1:cdn.example', 'l:1:v1']);
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v2:b.example']);
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
    expect(sorted(removedKeys(changes))).toEqual(['d:1:v2:b.example', 'l:1:v2']);
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v3:c.example']);
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
    expect(removedKeys(changes).length).toBe(0);
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v1:next.example']);
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
    expect(sorted(removedKeys(changes))).toEqual([...domainsOf(pending).map((d) => `d:1:v2:${d}`), 'l:1:v2']);
    expect(domainKeys(changes).filter((k) => k.startsWith('d:1:v2:'))).toEqual([]);
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
    expect(sorted(domainKeys(drainChanges(t)))).toEqual(['d:1:v1:beacon.example']);

    // Another document's request, or one without a documentId, belongs to the new page.
    load(t, 'https://other.example/x', '192.0.2.51', { documentId: 'docOther' });
    load(t, 'https://nodoc.example/x', '192.0.2.52');
    expect(domainsOf(pending)).toEqual(['b.example', 'nodoc.example', 'other.example']);
    expect(domainsOf(old)).toEqual(['a.example', 'beacon.example']);
  });
});
