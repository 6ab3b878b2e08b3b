// The tracker: its change log, what each event marks for writing.
import { describe, expect, it } from 'vitest';
import { drainChanges, onRedirect, onRequestStarted } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';
import { mainFrame, redirect, tab, record, sorted, isEmpty } from './trackerHelpers';

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
