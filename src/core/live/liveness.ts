/**
 * Whether a tab is live: still busy after its load, as a stream or a polling app is. The toolbar
 * popup opens its live panel (shares, timeline, switches) for a live tab and folds it into one line
 * for a static page, so that the table comes first.
 *
 * The rule, from the snapshot alone: a tab is live when any domain switched address or family, or
 * when a response or failure landed in a 10 s timeline bucket that starts at least LOAD_SETTLE_MS
 * after the page view started and ends within the last LIVE_WINDOW_MS.
 */
import type { BucketRing } from './ring';
import { TIMELINE_SERIES, timelineWindow, type SwitchEvent } from './live';

/** Responses this soon after the page view started count as its load, not as activity after it. */
export const LOAD_SETTLE_MS = 10_000;
/** Activity older than this no longer makes a tab live. */
export const LIVE_WINDOW_MS = 60_000;

export interface LivenessInput {
  startedAt: number;
  timeline: BucketRing;
  switches: readonly SwitchEvent[];
}

export function isLive(tab: LivenessInput, now: number): boolean {
  if (tab.switches.length > 0) return true;
  const window = timelineWindow(tab.timeline, now, 7);
  for (let i = 0; i < 7; i++) {
    const start = window.start + i * window.bucketMs;
    if (start < tab.startedAt + LOAD_SETTLE_MS || start + window.bucketMs <= now - LIVE_WINDOW_MS) continue;
    if (TIMELINE_SERIES.some((series) => (window.series[series][i] ?? 0) > 0)) return true;
  }
  return false;
}
