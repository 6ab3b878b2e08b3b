/**
 * Owns the tracker for the life of this service worker. The browser may stop the worker at any
 * moment, so the state is rebuilt from storage.session before the first event is applied, and
 * what changed is written back at the end of every turn (sessionWriter.ts): a stop loses at most
 * the events being handled at that instant. What is shown (icons, open popups) follows in
 * batches, so that no report is built per request.
 */
import browser, { type Tabs } from 'webextension-polyfill';
import { createAddressMemory } from '../core/address/addressMemory';
import { createTracker, drainShownChanges, drainStoredChanges, noteTabPrivacy, setNat64Prefixes, type ChangeLog, type Tracker } from '../core/tab/tracker';
import { SESSION_WRITES } from './benchBuild';
import { cacheHitsLackAddress } from './browserTraits';
import { loadConfig, prefixesOf } from './config';
import { browserStore } from '../platform/storage/browser';
import { createPersistence } from './persistence';
import { history } from './services';
import type { SessionStore } from './sessionWriter';
import { keptUrl } from './adapt';

/** How long changes gather before they are shown (icons, open popups) in one batch. */
export const BATCH_MS = 250;
/**
 * Least time between two session writes under a dense stream of events: a storage call costs the
 * extension process about 130 µs whatever it holds, as much as handling a request, and writing
 * every turn of a 400-events-a-second stream cost 1.67× the empty-listener floor (A/B, 3 loads +
 * 2000 segments, medians of 2 rounds; writes 20 ms apart 1.29×, 50 ms apart 1.11×). Events further
 * apart are written at the end of their own turn; a stop loses at most the events of the last 50 ms.
 */
export const SESSION_WRITE_SPACING_MS = 50;

let viewCounter = 0;
// Unique across worker restarts: time in ms plus a counter within this worker's life.
const tracker: Tracker = createTracker(() => `${Date.now().toString(36)}.${(viewCounter++).toString(36)}`);
if (cacheHitsLackAddress) tracker.memory = createAddressMemory();

type BatchListener = (tracker: Tracker, changes: ChangeLog) => void;
const batchListeners: BatchListener[] = [];
let loaded = false;
const waiting: Array<(tracker: Tracker) => void> = [];
let batchTimer: ReturnType<typeof setTimeout> | undefined;

const session = browserStore.area('session');
const sessionStore: SessionStore = { set: (items) => session.set(items), remove: (keys) => session.remove(keys) };

const persistence = createPersistence(tracker, { store: sessionStore, recordFinished: (finished) => history.recordFinishedViews(finished), shownChanged: () => scheduleBatch(), minSpacingMs: SESSION_WRITE_SPACING_MS });

/** The browser's open tabs; undefined if it cannot tell (then no tab is judged closed). */
async function openTabs(): Promise<Tabs.Tab[] | undefined> {
  try {
    return await browser.tabs.query({});
  } catch (error) {
    console.error('IPvLens: could not list the open tabs', error);
    return undefined;
  }
}

const ready: Promise<void> = (async () => {
  try {
    const [entries, config, open] = await Promise.all([session.get(null), loadConfig(), openTabs()]);
    setNat64Prefixes(tracker, prefixesOf(config));
    // Each open tab's kind before any event is applied: a private tab's answers stay its own.
    for (const tab of open ?? []) if (tab.id !== undefined) noteTabPrivacy(tracker, tab.id, tab.incognito);
    const urls = open === undefined ? undefined : new Map(open.flatMap((tab) => (tab.id === undefined ? [] : [[tab.id, tab.url === undefined ? undefined : keptUrl(tab.url)] as const])));
    persistence.restore(entries, urls);
  } catch (error) {
    console.error('IPvLens: could not restore state; starting empty', error);
  }
  loaded = true;
  for (const apply of waiting.splice(0)) runGuarded(apply);
  persistTurn();
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
  persistTurn();
  scheduleBatch();
}

/**
 * Asks for this turn's write. The bench's build without writes (benchBuild.ts) lets the changes
 * go instead, so that it keeps nothing IPvLens would not keep (ended views wait in the change log
 * until their write).
 */
function persistTurn(): void {
  if (SESSION_WRITES) persistence.writer.changed();
  else drainStoredChanges(tracker);
}

/** Writes what is pending now (the background page is about to be unloaded: Firefox's onSuspend). */
export function flushSession(): Promise<void> {
  return persistence.writer.flush();
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
  const changes = drainShownChanges(tracker);
  if (changes.touched.size === 0 && changes.learnedPrefixes.size === 0) return;
  for (const listener of batchListeners) {
    try {
      listener(tracker, changes);
    } catch (error) {
      console.error('IPvLens: batch listener failed', error);
    }
  }
}
