// The tracker: commits with no request seen, tabs closed, replaced, or first seen mid-page.
import { describe, expect, it } from 'vitest';
import { drainChanges, onCommitted, onRequestEnded, onRequestStarted, onResponseStarted, onTabRemoved, onTabReplaced, setPartialViewUrl, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response } from './trackerEvents';
import { mainFrame, commit, tab, record, sorted, isEmpty, domainKeys, liveKeys, removedKeys } from './trackerHelpers';

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
    expect(sorted(removedKeys(changes))).toEqual(['d:1:v2:b.example', 'd:1:v2:cdn.example', 'l:1:v2']);
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
    expect(sorted(removedKeys(changes))).toEqual(['d:1:v1:a.example', 'd:1:v1:cdn.example', 'd:1:v2:b.example', 'l:1:v1', 'l:1:v2', 't:1']);
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
    expect(sorted(removedKeys(changes))).toEqual(['d:3:v1:a.example', 'l:3:v1', 't:3']);
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
    expect(sorted(removedKeys(changes))).toEqual(['d:5:v1:a.example', 'd:5:v1:cdn.example', 'd:5:v2:b.example', 'l:5:v1', 'l:5:v2', 't:5']);
    expect(sorted(domainKeys(changes))).toEqual(['d:9:v1:a.example', 'd:9:v1:cdn.example', 'd:9:v2:b.example']);
    expect(sorted(liveKeys(changes))).toEqual(['l:9:v1', 'l:9:v2']);
    expect([...changes.metas]).toEqual([9]);
    expect(sorted([...changes.touched].map(String))).toEqual(['5', '9']);

    // Later events of the new id continue the moved navigation.
    onCommitted(t, commit(9, 'https://b.example/', 'docB'));
    expect(tab(t, 9).current).toBe(current);
    expect(current.committed).toBe(true);
    expect(tab(t, 9).previous).toBeUndefined();
    expect(sorted(removedKeys(drainChanges(t)))).toEqual(['d:9:v1:a.example', 'd:9:v1:cdn.example', 'l:9:v1']);
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
    expect(sorted(removedKeys(changes))).toEqual(['d:5:v1:a.example', 'l:5:v1', 't:5']);
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
    expect(sorted(domainKeys(changes))).toEqual(['d:5:v1:a.example']);
    expect([...changes.metas]).toEqual([5]);
    // Domain keys written again leave the removal set; the tab key is settled by storageWrites
    // (a key both written and removed is written), see persisted.test.ts.
    expect(sorted(removedKeys(changes)).filter((k) => k.startsWith('d:'))).toEqual(['d:9:v1:a.example']);
    expect(removedKeys(changes).includes('t:9')).toBe(true);
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
