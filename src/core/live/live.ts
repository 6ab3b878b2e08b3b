/**
 * What a long-lived tab needs on top of its totals: requests per family over time, each domain's
 * recent activity, and the moments a domain moved to another address or family. All of it is
 * fixed in size, so a tab streaming for six hours costs what one that ran ten minutes does.
 */
import type { Family } from '../address/address';
import { bucketOf, isRing, newRing, ringAdd, ringSum, ringWindow, type BucketRing } from './ring';

/** Timeline buckets: 10 s each, an hour of them. */
export const TIMELINE_BUCKET_MS = 10_000;
export const TIMELINE_SLOTS = 360;
/** The series of the timeline, in ring order: responses by family, and failures. */
export const TIMELINE_SERIES = ['v6', 'v4', 'unknown', 'failed'] as const;
export type TimelineSeries = (typeof TIMELINE_SERIES)[number];
const SERIES_INDEX: Record<TimelineSeries, number> = { v6: 0, v4: 1, unknown: 2, failed: 3 };

/** A domain's recent requests: 12 buckets of 5 s, so "the last minute" is exact to 5 s. */
export const RECENT_BUCKET_MS = 5_000;
export const RECENT_SLOTS = 12;

/** Switches kept per page view (the oldest go first). */
export const MAX_SWITCHES = 50;
/** Back-and-forth between the same two families within this time is one entry with a count. */
export const FLAP_WINDOW_MS = 60_000;

export interface SwitchEvent {
  domain: string;
  /** Canonical addresses. */
  from: string;
  to: string;
  fromFamily: Family;
  toFamily: Family;
  time: number;
  /** Switches folded into this entry (flapping between two families); 1 for a single switch. */
  count: number;
  /** Time of the latest switch folded in, and where the domain went then. */
  lastTime: number;
  now: string;
  nowFamily: Family;
}

export interface LiveState {
  timeline: BucketRing;
  /** Oldest first. */
  switches: SwitchEvent[];
}

export function newLiveState(): LiveState {
  return { timeline: newRing(TIMELINE_SERIES.length, TIMELINE_SLOTS), switches: [] };
}

export function newRecentRing(): BucketRing {
  return newRing(1, RECENT_SLOTS);
}

export function seriesOfFamily(family: Family | undefined): TimelineSeries {
  return family === 6 ? 'v6' : family === 4 ? 'v4' : 'unknown';
}

export function countOnTimeline(live: LiveState, time: number, series: TimelineSeries): void {
  ringAdd(live.timeline, bucketOf(time, TIMELINE_BUCKET_MS), SERIES_INDEX[series]);
}

export function countRecent(recent: BucketRing, time: number): void {
  ringAdd(recent, bucketOf(time, RECENT_BUCKET_MS), 0);
}

/** Requests in the minute up to `now` (to the 5 s bucket), from a domain's recent ring. */
export function requestsInLastMinute(recent: BucketRing, now: number): number {
  const last = bucketOf(now, RECENT_BUCKET_MS);
  return ringSum(recent, 0, last - RECENT_SLOTS + 1, last);
}

export interface TimelineWindow {
  /** Start of the first bucket (epoch ms). */
  start: number;
  bucketMs: number;
  /** Per series, oldest bucket first. */
  series: Record<TimelineSeries, number[]>;
}

/**
 * The timeline's last `buckets` buckets of `groupBy` × 10 s each, ending with the one holding
 * `now`: what a chart draws. Buckets the ring no longer holds count 0.
 */
export function timelineWindow(timeline: BucketRing, now: number, buckets: number, groupBy = 1): TimelineWindow {
  const last = bucketOf(now, TIMELINE_BUCKET_MS);
  // Groups are aligned to the clock, so a bar does not change its meaning as time passes.
  const lastGroupEnd = Math.floor(last / groupBy) * groupBy + groupBy - 1;
  const length = buckets * groupBy;
  const firstBucket = lastGroupEnd - length + 1;
  const series = {} as Record<TimelineSeries, number[]>;
  for (const name of TIMELINE_SERIES) {
    const fine = ringWindow(timeline, SERIES_INDEX[name], lastGroupEnd, length);
    const grouped = new Array<number>(buckets).fill(0);
    fine.forEach((count, i) => (grouped[Math.floor(i / groupBy)] = (grouped[Math.floor(i / groupBy)] ?? 0) + count));
    series[name] = grouped;
  }
  return { start: firstBucket * TIMELINE_BUCKET_MS, bucketMs: TIMELINE_BUCKET_MS * groupBy, series };
}

export interface NetworkAnswer {
  address: string;
  family: Family;
}

/**
 * A network response on `domain` came from `next` after the previous one came from `previous`
 * (cached responses never get here: cache ↔ network is not a switch). A change of family is
 * always listed; back-and-forth between the same two families within a minute is folded into
 * one entry with a count. A change within a family is listed when the address is new to the
 * domain, so round-robin among known addresses does not flood the list.
 */
export function noteNetworkAnswer(
  live: LiveState,
  domain: string,
  previous: NetworkAnswer | undefined,
  next: NetworkAnswer,
  nextIsNewAddress: boolean,
  time: number,
): boolean {
  if (previous === undefined || previous.address === next.address) return false;
  if (previous.family === next.family) {
    if (!nextIsNewAddress) return false;
  } else {
    const latest = latestSwitchOf(live, domain);
    if (
      latest !== undefined &&
      latest.fromFamily !== latest.toFamily &&
      latest.nowFamily === previous.family &&
      (latest.fromFamily === next.family || latest.toFamily === next.family) &&
      time - latest.lastTime <= FLAP_WINDOW_MS
    ) {
      latest.count++;
      latest.lastTime = time;
      latest.now = next.address;
      latest.nowFamily = next.family;
      return true;
    }
  }
  live.switches.push({
    domain,
    from: previous.address,
    to: next.address,
    fromFamily: previous.family,
    toFamily: next.family,
    time,
    count: 1,
    lastTime: time,
    now: next.address,
    nowFamily: next.family,
  });
  if (live.switches.length > MAX_SWITCHES) live.switches.splice(0, live.switches.length - MAX_SWITCHES);
  return true;
}

function latestSwitchOf(live: LiveState, domain: string): SwitchEvent | undefined {
  for (let i = live.switches.length - 1; i >= 0; i--) {
    const event = live.switches[i];
    if (event?.domain === domain) return event;
  }
  return undefined;
}

const isFamily = (value: unknown): value is Family => value === 4 || value === 6;

function isSwitchEvent(value: unknown): value is SwitchEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SwitchEvent>;
  return (
    typeof v.domain === 'string' &&
    typeof v.from === 'string' &&
    typeof v.to === 'string' &&
    typeof v.now === 'string' &&
    isFamily(v.fromFamily) &&
    isFamily(v.toFamily) &&
    isFamily(v.nowFamily) &&
    typeof v.time === 'number' &&
    typeof v.lastTime === 'number' &&
    typeof v.count === 'number'
  );
}

/** Stored data back to a live state; undefined when it does not have the shape written. */
export function liveStateFrom(value: unknown): LiveState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<LiveState>;
  if (!isRing(v.timeline, TIMELINE_SERIES.length, TIMELINE_SLOTS) || !Array.isArray(v.switches)) return undefined;
  return { timeline: v.timeline, switches: v.switches.filter(isSwitchEvent).slice(-MAX_SWITCHES) };
}

export function isRecentRing(value: unknown): value is BucketRing {
  return isRing(value, 1, RECENT_SLOTS);
}
