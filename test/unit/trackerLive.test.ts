/** The tracker's live data from browser events: bytes, recent requests, timeline and switches. */
import { describe, expect, it } from 'vitest';
import { requestsInLastMinute, timelineWindow } from '../../src/core/live/live';
import type { DomainRecord } from '../../src/core/tab/model';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { drainChanges, onRequestEnded, onRequestStarted, onResponseStarted, type ResponseEvent, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request, response } from './trackerEvents';
import { liveKeys, liveWrite } from './trackerHelpers';

const SEG = 'https://live6.example.net/seg';

function domain(t: Tracker, name: string, tabId = 1): DomainRecord {
  const record = t.tabs.get(tabId)?.current.domains.get(name);
  if (record === undefined) throw new Error(`no ${name}`);
  return record;
}

function liveOf(t: Tracker, tabId = 1) {
  const live = t.tabs.get(tabId)?.current.live;
  if (live === undefined) throw new Error('no view');
  return live;
}

/** One segment answered from `ip`, with a body size or none (undefined), cached or not. */
function segment(t: Tracker, ip: string | undefined, extra: Partial<ResponseEvent> = {}): void {
  load(t, SEG, ip, { documentId: 'doc' }, extra);
}

describe('bytes per response', () => {
  it.each<[string, Array<[string | undefined, Partial<ResponseEvent>]>, { bytes: number; unsized: number }, Record<string, [number, number]>]>([
    ['sizes add up', [['2001:db8::5', { bodyBytes: 1000 }], ['2001:db8::5', { bodyBytes: 500 }]], { bytes: 1500, unsized: 0 }, { '2001:db8::5': [1500, 0] }],
    ['a response with no size is counted apart, never guessed', [['2001:db8::5', { bodyBytes: 1000 }], ['2001:db8::5', {}]], { bytes: 1000, unsized: 1 }, { '2001:db8::5': [1000, 1] }],
    ['an empty body is a known size', [['192.0.2.8', { bodyBytes: 0 }]], { bytes: 0, unsized: 0 }, { '192.0.2.8': [0, 0] }],
    ['cached responses are neither bytes nor unsized', [['2001:db8::5', { bodyBytes: 700, fromCache: true }], ['2001:db8::5', { fromCache: true }]], { bytes: 0, unsized: 0 }, { '2001:db8::5': [0, 0] }],
    ['no address reported: counted on the domain only', [[undefined, { bodyBytes: 300 }], [undefined, {}]], { bytes: 300, unsized: 1 }, {}],
    ['each address its own', [['2001:db8::5', { bodyBytes: 10 }], ['192.0.2.8', { bodyBytes: 20 }], ['192.0.2.8', {}]], { bytes: 30, unsized: 1 }, { '2001:db8::5': [10, 0], '192.0.2.8': [20, 1] }],
  ])('%s', (_name, answers, totals, perAddress) => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    for (const [ip, extra] of answers) segment(t, ip, extra);
    const record = domain(t, 'live6.example.net');
    expect({ bytes: record.bytes, unsized: record.unsized }).toEqual(totals);
    expect(Object.fromEntries(Object.entries(record.addresses).map(([key, stat]) => [key, [stat.bytes, stat.unsized]]))).toEqual(perAddress);
  });
});

describe('requests in the last minute', () => {
  it('counts request starts (redirect hops too), not responses', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    const pending = request(SEG, { documentId: 'doc' });
    onRequestStarted(t, pending);
    segment(t, '2001:db8::5');
    const record = domain(t, 'live6.example.net');
    expect(requestsInLastMinute(record.recent, pending.time)).toBe(2);
    expect(requestsInLastMinute(record.recent, pending.time + 61_000)).toBe(0);
  });
});

describe('timeline', () => {
  it('counts each response under the family of the address that answered, and failures apart', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    segment(t, '2001:db8::5');
    segment(t, '64:ff9b::c000:208'); // NAT64: an IPv4 server
    segment(t, undefined, { fromCache: true });
    const failing = request(SEG, { documentId: 'doc' });
    onRequestStarted(t, failing);
    onRequestEnded(t, failing, true);
    const window = timelineWindow(liveOf(t).timeline, failing.time, 1);
    expect(window.series).toEqual({ v6: [2], v4: [1], unknown: [1], failed: [1] });
  });

  it('logs the live key in each batch that counts something', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    drainChanges(t);
    segment(t, '2001:db8::5');
    const changes = drainChanges(t);
    const viewId = t.tabs.get(1)?.current.id ?? '';
    expect(liveKeys(changes)).toEqual([`l:1:${viewId}`]);
    expect(liveWrite(changes, `l:1:${viewId}`)).toBe(liveOf(t));
  });
});

describe('switches from events', () => {
  const switchesOf = (t: Tracker) => liveOf(t).switches.map((s) => `${s.from} → ${s.to} ×${s.count}`);

  it('IPv6 → IPv4 on a domain is listed once', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    segment(t, '2001:db8::5');
    segment(t, '2001:db8::5');
    segment(t, '192.0.2.8');
    segment(t, '192.0.2.8');
    expect(switchesOf(t)).toEqual(['2001:db8::5 → 192.0.2.8 ×1']);
    expect(liveOf(t).switches[0]).toMatchObject({ domain: 'live6.example.net', fromFamily: 6, toFamily: 4 });
  });

  it('a cached response in between is not a switch, nor is going back to the network', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    segment(t, '2001:db8::5');
    // Chrome reports the address a cached response originally came from.
    segment(t, '192.0.2.8', { fromCache: true });
    segment(t, '2001:db8::5');
    expect(switchesOf(t)).toEqual([]);
    // The cached response's address is not where the domain now "is".
    expect(domain(t, 'live6.example.net').networkAddress).toBe('2001:db8::5');
  });

  it('a first network answer after only cached ones is not a switch', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    segment(t, '192.0.2.8', { fromCache: true });
    segment(t, '2001:db8::5');
    expect(switchesOf(t)).toEqual([]);
  });

  it('several addresses on one domain: a new one is listed, rotating among known ones is not', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    for (const ip of ['2001:db8::5', '2001:db8::6', '2001:db8::5', '2001:db8::6', '2001:db8::7', '2001:db8::5']) segment(t, ip);
    expect(switchesOf(t)).toEqual(['2001:db8::5 → 2001:db8::6 ×1', '2001:db8::6 → 2001:db8::7 ×1']);
  });

  it('flapping between families is one entry with a count', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    for (const ip of ['2001:db8::5', '192.0.2.8', '2001:db8::5', '192.0.2.8']) segment(t, ip);
    expect(switchesOf(t)).toEqual(['2001:db8::5 → 192.0.2.8 ×3']);
  });

  it('does not carry over to the next page view', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    segment(t, '2001:db8::5');
    segment(t, '192.0.2.8');
    navigate(t, 1, 'https://watch.example/next', '2001:db8::1', 'doc2');
    expect(liveOf(t).switches).toEqual([]);
  });
});

describe('live data across a worker restart', () => {
  it('restores timeline, switches, bytes and recent counts, then counts on', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    segment(t, '2001:db8::5', { bodyBytes: 100 });
    segment(t, '192.0.2.8', { bodyBytes: 50 });
    const storage = new Map<string, unknown>();
    const write = (tracker: Tracker): void => {
      const { set, remove } = storageWrites(tracker, drainChanges(tracker));
      for (const [key, value] of Object.entries(set)) storage.set(key, value);
      for (const key of remove) storage.delete(key);
    };
    write(t);
    const restored = newTracker('r');
    expect(restoreTracker(restored, Object.fromEntries(storage))).toEqual([]);
    expect(restored.tabs.get(1)?.current).toEqual(t.tabs.get(1)?.current);

    // The same events to both: the restored tracker must end where the original does.
    const next = request(SEG, { documentId: 'doc' });
    const last = response(next, '2001:db8::5', { bodyBytes: 25 });
    for (const tracker of [t, restored]) {
      onRequestStarted(tracker, next);
      onResponseStarted(tracker, last);
      onRequestEnded(tracker, last, false);
    }
    expect(domain(restored, 'live6.example.net')).toEqual(domain(t, 'live6.example.net'));
    expect(domain(restored, 'live6.example.net')).toMatchObject({ requests: 3, bytes: 175 });
    expect(timelineWindow(liveOf(restored).timeline, last.time, 1).series).toEqual(timelineWindow(liveOf(t).timeline, last.time, 1).series);
    expect(liveOf(restored).switches).toEqual(liveOf(t).switches);
  });
});

describe('a malformed stored live entry', () => {
  it('is reported as an orphan and the view starts an empty timeline', () => {
    const t = newTracker();
    navigate(t, 1, 'https://watch.example/', '2001:db8::1', 'doc');
    const { set } = storageWrites(t, drainChanges(t));
    const viewId = t.tabs.get(1)?.current.id ?? '';
    const entries: Record<string, unknown> = { ...set, [`l:1:${viewId}`]: '{"timeline":5}', 'l:9:gone': set[`l:1:${viewId}`] };
    const restored = newTracker('r');
    expect(restoreTracker(restored, entries).sort()).toEqual([`l:1:${viewId}`, 'l:9:gone']);
    expect(restored.tabs.get(1)?.current.live.switches).toEqual([]);
    onResponseStarted(restored, response(request(SEG, { documentId: 'doc' }), '2001:db8::5'));
  });
});
