/**
 * Whether the worker writes its state to storage.session. Always, except in the bench's build
 * without them (`vite build --mode bench-no-writes`, dist/chrome-no-writes, never shipped): the
 * bench runs both, so that what the crash-safe writes cost is a figure of every run
 * (bench/README.md). Vite writes the value in at build time (vite.config.ts); where nothing does
 * (unit tests), the writes are on.
 */
declare const __IPVLENS_SESSION_WRITES__: boolean | undefined;

export const SESSION_WRITES: boolean = typeof __IPVLENS_SESSION_WRITES__ !== 'boolean' || __IPVLENS_SESSION_WRITES__;
