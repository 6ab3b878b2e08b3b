// The tracker: its change log, what each event marks for writing.
import { describe, expect, it } from 'vitest';
import { drainChanges, onRedirect, onRequestStarted } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';
import { mainFrame, redirect, tab, record, sorted, isEmpty, domainKeys, domainWrite, removedKeys } from './trackerHelpers';

describe('change log', () => {
  it('drainChanges hands over the log and leaves an empty one', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '2001:db8::1', { documentId: 'docA' });
    const changes = drainChanges(t);
    expect([...changes.metas]).toEqual([1]);
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v1:a.example', 'd:1:v1:cdn.example']);
    expect(removedKeys(changes).length).toBe(0);
    expect([...changes.touched]).toEqual([1]);
    // The values are the live records.
    expect(domainWrite(changes, 'd:1:v1:cdn.example')).toBe(record(tab(t).current, 'cdn.example'));

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
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v1:cdn.example']);
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
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v1:a.example']);
  });

  it('names what changed by tab, view and domain, not by storage key', () => {
    const t = newTracker();
    navigate(t, 1, 'https://a.example/', '192.0.2.1', 'docA');
    load(t, 'https://cdn.example/x', '2001:db8::1', { documentId: 'docA' });
    const first = tab(t).current;
    navigate(t, 1, 'https://b.example/', '192.0.2.2', 'docB');
    const changes = drainChanges(t);
    expect(changes.domains.get(record(tab(t).current, 'b.example'))).toEqual({ tabId: 1, viewId: 'v2' });
    expect(changes.lives.get(tab(t).current)).toBe(1);
    // The first view went with the navigation: its domains and live state are to be removed.
    expect(changes.domains.has(record(first, 'cdn.example'))).toBe(false);
    expect(changes.removed).toEqual(
      expect.arrayContaining([
        { kind: 'domain', tabId: 1, viewId: 'v1', domain: 'a.example' },
        { kind: 'domain', tabId: 1, viewId: 'v1', domain: 'cdn.example' },
        { kind: 'live', tabId: 1, viewId: 'v1' },
      ]),
    );
  });
});
