/**
 * The compact form of a page view's live state in storage.session (the timeline and the switches),
 * in the manner of sessionCodec.ts: JSON text of a positional array, times as microsecond deltas
 * from the view's time base.
 *
 *   live    [timeline, switches]; timeline as a ring (codecParts.ts)
 *   switch  [domain, from, to, fromFamily, toFamily, time, count, lastTime, now, nowFamily],
 *           time from the view's time base, lastTime from time
 *
 * The decoder never throws: a value of any other shape gives undefined.
 */
import type { Family } from '../address/address';
import { MAX_SWITCHES, TIMELINE_BUCKET_MS, TIMELINE_SERIES, TIMELINE_SLOTS, liveStateFrom, type LiveState, type SwitchEvent } from '../live/live';
import { bucketOf } from '../live/ring';
import { Malformed, baseMicros, decodeRing, decodeWith, delta, encodeRing, encodeWith, micros, readArray, readFamily, readCount, readMicros, readString, trimmed } from './codecParts';

function encodeSwitch(event: SwitchEvent, viewUs: number): unknown[] {
  const timeUs = micros(event.time);
  return [event.domain, event.from, event.to, event.fromFamily, event.toFamily, delta(timeUs, viewUs), event.count, delta(micros(event.lastTime), timeUs), event.now, event.nowFamily];
}

function readSwitchFamily(value: unknown): Family {
  const family = readFamily(value);
  if (family === undefined) throw new Malformed('switch family');
  return family;
}

function decodeSwitch(value: unknown, viewUs: number): SwitchEvent {
  const [domain, from, to, fromFamily, toFamily, time, count, lastTime, now, nowFamily] = readArray(value);
  const timeUs = readMicros(time, viewUs);
  return {
    domain: readString(domain),
    from: readString(from),
    to: readString(to),
    fromFamily: readSwitchFamily(fromFamily),
    toFamily: readSwitchFamily(toFamily),
    time: timeUs / 1000,
    count: readCount(count),
    lastTime: readMicros(lastTime, timeUs) / 1000,
    now: readString(now),
    nowFamily: readSwitchFamily(nowFamily),
  };
}

export function encodeLiveState(live: LiveState, timeBase: number): string {
  return encodeWith(live, () => {
    const viewUs = baseMicros(timeBase);
    return trimmed([
      encodeRing(live.timeline, bucketOf(timeBase, TIMELINE_BUCKET_MS)),
      live.switches.length === 0 ? 0 : live.switches.map((event) => encodeSwitch(event, viewUs)),
    ]);
  });
}

export function decodeLiveState(stored: unknown, timeBase: number): LiveState | undefined {
  return decodeWith(
    stored,
    ([timeline = 0, switches = 0]) => {
      const viewUs = baseMicros(timeBase);
      const stored = switches === 0 ? [] : readArray(switches);
      if (stored.length > MAX_SWITCHES) throw new Malformed('switches');
      const events = stored.map((event) => decodeSwitch(event, viewUs));
      return { timeline: decodeRing(timeline, bucketOf(timeBase, TIMELINE_BUCKET_MS), TIMELINE_SERIES.length, TIMELINE_SLOTS), switches: events };
    },
    liveStateFrom,
  );
}
