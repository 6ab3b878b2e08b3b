/** Timing helpers for the popup's render: what the user sees first, measured where it is painted. */

/** Runs `callback` once the next frame has been painted (a task queued from the frame's rAF runs after its paint). */
export function afterNextPaint(callback: () => void): void {
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => callback();
    channel.port2.postMessage(undefined);
  });
}

/** Sets a performance mark the first time only; the benchmark reads these. */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}
