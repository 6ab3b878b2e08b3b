// The tracker: response recording (requests of no tab, addresses, counting, flags, HTTP versions, memory).
import { describe, expect, it } from 'vitest';
import type { FlagName } from '../../src/core/tab/model';
import { drainChanges, onRedirect, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response, tick } from './trackerEvents';
import { mainFrame, redirect, tab, record, domainsOf, flagsOf, sorted, isEmpty, domainKeys } from './trackerHelpers';

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
    expect(sorted(domainKeys(changes))).toEqual(['d:1:v1:api.example', 'd:2:v2:api.example']);
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
