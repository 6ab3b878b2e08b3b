import { describe, expect, it } from 'vitest';
import { countOnTimeline, newLiveState, type SwitchEvent, type TimelineSeries } from '../../src/core/live/live';
import { isLive, LIVE_WINDOW_MS, LOAD_SETTLE_MS } from '../../src/core/live/liveness';

// A page view that started on a bucket boundary, so the cases read in whole buckets.
const START = 1_700_000_000_000;
const SWITCH: SwitchEvent = { domain: 'a.test', from: '::1', to: '127.0.0.1', fromFamily: 6, toFamily: 4, time: START + 1_000, count: 1, lastTime: START + 1_000, now: '127.0.0.1', nowFamily: 4 };

const cases: { name: string; responses: [offset: number, series: TimelineSeries][]; switches?: SwitchEvent[]; nowOffset: number; live: boolean }[] = [
  { name: 'nothing at all', responses: [], nowOffset: 5_000, live: false },
  { name: 'a load in its first seconds, looked at during it', responses: [[0, 'v6'], [3_000, 'v4']], nowOffset: 4_000, live: false },
  { name: 'a load in its first seconds, looked at a minute later', responses: [[0, 'v6'], [9_999, 'v4']], nowOffset: 70_000, live: false },
  { name: 'a response after the load settled, just now', responses: [[0, 'v6'], [LOAD_SETTLE_MS + 500, 'v6']], nowOffset: LOAD_SETTLE_MS + 1_000, live: true },
  { name: 'a failure after the load settled counts too', responses: [[LOAD_SETTLE_MS + 500, 'failed']], nowOffset: LOAD_SETTLE_MS + 1_000, live: true },
  { name: 'activity after the load, but over a minute ago', responses: [[LOAD_SETTLE_MS + 500, 'v4']], nowOffset: LOAD_SETTLE_MS + LIVE_WINDOW_MS + 10_000, live: false },
  { name: 'activity after the load, 55 s ago', responses: [[20_000, 'unknown']], nowOffset: 75_000, live: true },
  { name: 'a switch, however quiet the tab now is', responses: [[0, 'v6']], switches: [SWITCH], nowOffset: 600_000, live: true },
];

describe('isLive', () => {
  it.each(cases)('$name → $live', ({ responses, switches, nowOffset, live }) => {
    const state = newLiveState();
    for (const [offset, series] of responses) countOnTimeline(state, START + offset, series);
    expect(isLive({ startedAt: START, timeline: state.timeline, switches: switches ?? [] }, START + nowOffset)).toBe(live);
  });
});
