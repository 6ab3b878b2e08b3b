/**
 * Owns the tracker for the life of this service worker. The browser may stop the worker at any
 * moment, so the state is rebuilt from storage.session before the first event is applied, and
 * changes are written back in one batch per tick rather than one write per request.
 */
import { createAddressMemory } from '../core/addressMemory';
import { restoreTracker, storageWrites } from '../core/persisted';
import { createTracker, drainChanges, setNat64Prefixes, type ChangeLog, type Tracker } from '../core/tracker';
import { browserStore } from '../platform/storage/browser';
import { cacheHitsLackAddress } from './browserTraits';
import { loadConfig, prefixesOf } from './config';

/** How long changes gather before one batch is written and shown. */
export const BATCH_MS = 250;

let viewCounter = 0;
// Unique across worker restarts: time in ms plus a counter within this worker's life.
const tracker: Tracker = createTracker(() => `${Date.now().toString(36)}.${(viewCounter++).toString(36)}`);
if (cacheHitsLackAddress) tracker.memory = createAddressMemory();

type BatchListener = (tracker: Tracker, changes: ChangeLog) => void;
const batchListeners: BatchListener[] = [];
// The session state's keys and encoding are the core's (storageKeys.ts, persisted.ts): raw area access.
const session = browserStore.area('session');
let loaded = false;
const waiting: Array<(tracker: Tracker) => void> = [];
let batchTimer: ReturnType<typeof setTimeout> | undefined;

const ready: Promise<void> = (async () => {
  try {
    const [entries, config] = await Promise.all([session.get(null), loadConfig()]);
    setNat64Prefixes(tracker, prefixesOf(config));
    const orphans = restoreTracker(tracker, entries);
    // Families stored under other prefixes are corrected; those already right are left alone
    // (re-labelling against the defaults would rewrite every NAT64 domain at each wake-up).
    setNat64Prefixes(tracker, tracker.prefixes);
    if (orphans.length > 0) {
      // Entries of views that are gone, or that could not be read: never dropped without a word.
      console.warn(`IPvLens: removing ${orphans.length} stored entries that belong to no page view or could not be read`, orphans.slice(0, 20));
      await session.remove(orphans);
    }
  } catch (error) {
    console.error('IPvLens: could not restore state; starting empty', error);
  }
  loaded = true;
  for (const apply of waiting.splice(0)) runGuarded(apply);
  scheduleBatch();
})();

function runGuarded(apply: (tracker: Tracker) => void): void {
  try {
    apply(tracker);
  } catch (error) {
    // One bad event must not take the other tabs' state down with it.
    console.error('IPvLens: event handling failed', error);
  }
}

/** Applies a change to the state: now if it is loaded, else in arrival order once it is. */
export function withTracker(apply: (tracker: Tracker) => void): void {
  if (!loaded) {
    waiting.push(apply);
    return;
  }
  runGuarded(apply);
  scheduleBatch();
}

/** Reads the state once it is loaded. */
export async function readTracker<T>(read: (tracker: Tracker) => T): Promise<T> {
  await ready;
  return read(tracker);
}

export function onBatch(listener: BatchListener): void {
  batchListeners.push(listener);
}

function scheduleBatch(): void {
  if (batchTimer !== undefined) return;
  batchTimer = setTimeout(flushBatch, BATCH_MS);
}

function flushBatch(): void {
  batchTimer = undefined;
  const changes = drainChanges(tracker);
  if (changes.touched.size === 0 && changes.removed.size === 0 && changes.metas.size === 0 && changes.addresses.size === 0) return;
  const { set, remove } = storageWrites(tracker, changes);
  if (Object.keys(set).length > 0) {
    session.set(set).catch((error: unknown) => console.error('IPvLens: could not save state', error));
  }
  if (remove.length > 0) {
    session.remove(remove).catch((error: unknown) => console.error('IPvLens: could not prune state', error));
  }
  for (const listener of batchListeners) {
    try {
      listener(tracker, changes);
    } catch (error) {
      console.error('IPvLens: batch listener failed', error);
    }
  }
}
