/** The tracker under the event orders and fields Firefox produces (see test/e2e/firefox for the real thing). */
import { describe, expect, it } from 'vitest';
import { onCommitted, onRedirect, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type Tracker } from '../../src/core/tracker';
import { load, navigate, newTracker, request, response, tick } from './trackerEvents';

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

  it('a main-frame request that starts after the commit is a new navigation', () => {
    const t = newTracker();
    commitAt(t, 'https://a.example/', 'docA');
    onRequestStarted(t, mainFrame('https://b.example/'));
    expect(summary(t)).toMatchObject({ views: 2, mainDomain: 'b.example', committed: false });
  });
});
