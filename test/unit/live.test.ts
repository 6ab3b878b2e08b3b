import { describe, expect, it } from 'vitest';
import {
  FLAP_WINDOW_MS,
  MAX_SWITCHES,
  RECENT_BUCKET_MS,
  TIMELINE_BUCKET_MS,
  countOnTimeline,
  countRecent,
  liveStateFrom,
  newLiveState,
  newRecentRing,
  noteNetworkAnswer,
  requestsInLastMinute,
  timelineWindow,
  type LiveState,
  type NetworkAnswer,
} from '../../src/core/live/live';

const T0 = 1_795_440_000_000; // a multiple of a minute
const v6a: NetworkAnswer = { address: '2001:db8::5', family: 6 };
const v6b: NetworkAnswer = { address: '2001:db8::6', family: 6 };
const v4a: NetworkAnswer = { address: '192.0.2.8', family: 4 };
const v4b: NetworkAnswer = { address: '192.0.2.9', family: 4 };

describe('requestsInLastMinute', () => {
  it.each<[string, number[], number, number]>([
    ['nothing counted', [], T0, 0],
    ['a request just now', [T0], T0, 1],
    ['at the start of a bucket the minute reaches back 55 s', [T0 - 55_001, T0 - 55_000], T0, 1],
    ['a request 60 s ago has left', [T0 - 60_000], T0 + 4_999, 0],
    ['at the end of a bucket, its start still counts', [T0 - 55_000], T0 + 4_999, 1],
    ['a quiet hour empties it', [T0, T0 + 1_000], T0 + 3_600_000, 0],
  ])('%s', (_name, times, now, expected) => {
    const recent = newRecentRing();
    for (const time of times) countRecent(recent, time);
    expect(requestsInLastMinute(recent, now)).toBe(expected);
  });

  it('is exact to the bucket: buckets straddling the minute', () => {
    const recent = newRecentRing();
    for (let t = T0; t < T0 + 120_000; t += 1_000) countRecent(recent, t);
    // At T0+120 s the last 12 buckets of 5 s hold one request per second: 60.
    expect(requestsInLastMinute(recent, T0 + 119_999)).toBe(60);
    expect(RECENT_BUCKET_MS * 12).toBe(60_000);
  });
});

describe('timeline and timelineWindow', () => {
  it('bucket boundaries: 10 s buckets, the last one holding now', () => {
    const live = newLiveState();
    countOnTimeline(live, T0 - 1, 'v6'); // the bucket before
    countOnTimeline(live, T0, 'v6'); // first moment of a bucket
    countOnTimeline(live, T0 + 9_999, 'v4'); // its last moment
    countOnTimeline(live, T0 + 10_000, 'failed');
    const window = timelineWindow(live.timeline, T0 + 10_000, 3);
    expect(window.start).toBe(T0 - TIMELINE_BUCKET_MS);
    expect(window.bucketMs).toBe(TIMELINE_BUCKET_MS);
    expect(window.series).toEqual({ v6: [1, 1, 0], v4: [0, 1, 0], unknown: [0, 0, 0], failed: [0, 0, 1] });
  });

  it('groups buckets into bars aligned to the clock', () => {
    const live = newLiveState();
    for (let t = T0; t < T0 + 120_000; t += 10_000) countOnTimeline(live, t, 'v6'); // 12 buckets, one each
    // Bars of a minute: the bar holding now (T0+115 s) spans T0+60 s…T0+120 s.
    const window = timelineWindow(live.timeline, T0 + 115_000, 3, 6);
    expect(window.start).toBe(T0 - 60_000);
    expect(window.bucketMs).toBe(60_000);
    expect(window.series.v6).toEqual([0, 6, 6]);
  });

  it('forgets what is older than an hour, and keeps its size', () => {
    const live = newLiveState();
    const size = JSON.stringify(live).length;
    countOnTimeline(live, T0, 'v4');
    for (let t = T0 + 10_000; t < T0 + 6 * 3_600_000; t += 1_000) countOnTimeline(live, t, t % 2 === 0 ? 'v6' : 'unknown');
    const hour = timelineWindow(live.timeline, T0 + 6 * 3_600_000, 60, 6);
    expect(hour.series.v4).toEqual(new Array(60).fill(0));
    expect(JSON.stringify(live).length).toBeLessThan(size * 3);
  });

  it('the window slides with the clock when nothing is counted', () => {
    const live = newLiveState();
    countOnTimeline(live, T0, 'v6');
    expect(timelineWindow(live.timeline, T0, 60).series.v6[59]).toBe(1);
    expect(timelineWindow(live.timeline, T0 + 20_000, 60).series.v6[57]).toBe(1);
    expect(timelineWindow(live.timeline, T0 + 600_000, 60).series.v6).toEqual(new Array(60).fill(0));
  });
});

describe('noteNetworkAnswer: switches', () => {
  const note = (live: LiveState, previous: NetworkAnswer | undefined, next: NetworkAnswer, isNew: boolean, time: number) =>
    noteNetworkAnswer(live, 'live6.example.net', previous, next, isNew, time);

  it.each<[string, NetworkAnswer | undefined, NetworkAnswer, boolean, boolean]>([
    ['the first answer', undefined, v6a, true, false],
    ['the same address again', v6a, v6a, false, false],
    ['IPv6 → IPv4', v6a, v4a, true, true],
    ['IPv4 → IPv6 to an address seen before', v4a, v6a, false, true],
    ['a new address in the same family', v6a, v6b, true, true],
    ['round-robin back to a known address', v6b, v6a, false, false],
    ['a new IPv4 address', v4a, v4b, true, true],
  ])('%s: listed %s', (_name, previous, next, isNew, listed) => {
    const live = newLiveState();
    expect(note(live, previous, next, isNew, T0)).toBe(listed);
    expect(live.switches).toHaveLength(listed ? 1 : 0);
  });

  it('records from, to, both families and the time', () => {
    const live = newLiveState();
    note(live, v6a, v4a, true, T0);
    expect(live.switches).toEqual([
      { domain: 'live6.example.net', from: v6a.address, to: v4a.address, fromFamily: 6, toFamily: 4, time: T0, count: 1, lastTime: T0, now: v4a.address, nowFamily: 4 },
    ]);
  });

  it('folds back-and-forth within a minute into one entry with a count', () => {
    const live = newLiveState();
    note(live, v6a, v4a, true, T0);
    note(live, v4a, v6a, false, T0 + 10_000);
    note(live, v6a, v4b, true, T0 + 20_000);
    expect(live.switches).toHaveLength(1);
    expect(live.switches[0]).toMatchObject({ from: v6a.address, to: v4a.address, count: 3, lastTime: T0 + 20_000, now: v4b.address, nowFamily: 4 });
  });

  it('a switch more than a minute after the last one is a new entry', () => {
    const live = newLiveState();
    note(live, v6a, v4a, true, T0);
    note(live, v4a, v6a, false, T0 + FLAP_WINDOW_MS + 1);
    expect(live.switches.map((s) => [s.fromFamily, s.toFamily, s.count])).toEqual([
      [6, 4, 1],
      [4, 6, 1],
    ]);
  });

  it('other domains do not fold into each other', () => {
    const live = newLiveState();
    noteNetworkAnswer(live, 'a.example', v6a, v4a, true, T0);
    noteNetworkAnswer(live, 'b.example', v4a, v6a, true, T0 + 1);
    expect(live.switches.map((s) => s.domain)).toEqual(['a.example', 'b.example']);
  });

  it(`keeps the newest ${MAX_SWITCHES}`, () => {
    const live = newLiveState();
    for (let i = 0; i < MAX_SWITCHES + 20; i++) noteNetworkAnswer(live, `d${i}.example`, v6a, v4a, true, T0 + i);
    expect(live.switches).toHaveLength(MAX_SWITCHES);
    expect(live.switches[0]?.domain).toBe('d20.example');
    expect(live.switches.at(-1)?.domain).toBe(`d${MAX_SWITCHES + 19}.example`);
  });
});

describe('liveStateFrom', () => {
  it('gives back what was stored', () => {
    const live = newLiveState();
    countOnTimeline(live, T0, 'v6');
    noteNetworkAnswer(live, 'a.example', v6a, v4a, true, T0);
    expect(liveStateFrom(JSON.parse(JSON.stringify(live)))).toEqual(live);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['no timeline', { switches: [] }],
    ['a timeline of another size', { timeline: { head: 1, counts: [[0]] }, switches: [] }],
    ['no switch list', { timeline: newLiveState().timeline }],
  ])('refuses %s', (_name, value) => {
    expect(liveStateFrom(value)).toBeUndefined();
  });

  it('drops malformed switches and keeps the rest', () => {
    const live = newLiveState();
    noteNetworkAnswer(live, 'a.example', v6a, v4a, true, T0);
    const stored = { ...live, switches: [{ domain: 'broken' }, ...live.switches, { ...live.switches[0], fromFamily: 5 }] };
    expect(liveStateFrom(stored)?.switches).toEqual(live.switches);
  });
});
