import { useEffect, useState } from 'preact/hooks';

/**
 * The clock at this render, with a re-render every `intervalMs`: "requests in the last minute"
 * and the timeline move on even when no report arrives (a tab gone quiet). Read at each render,
 * not at the last tick, so a report never holds events newer than the clock the view uses.
 */
export function useNow(intervalMs: number): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return Date.now();
}
