/**
 * Owns the tracker for the life of this service worker. The browser may stop the worker at any
 * moment, so the state is rebuilt from storage.session before the first event is applied, and
 * what changed is written back at the end of every turn (sessionWriter.ts): a stop loses at most
 * the events being handled at that instant. What is shown (icons, open popups) follows in
 * batches, so that no report is built per request.
 */
import browser from 'webextension-polyfill';
import { createAddressMemory } from '../core/addressMemory';
import { restoreTracker, storageWrites } from '../core/persisted';
import { parseDomainKey, tabIdOfKey } from '../core/storageKeys';
import {
  createTracker,
  drainShownChanges,
  drainStoredChanges,
  onTabRemoved,
  setNat64Prefixes,
  setPartialViewUrl,
  type ChangeLog,
  type Tracker,
} from '../core/tracker';
import { cacheHitsLackAddress } from './browserTraits';
import { loadConfig, prefixesOf } from './config';
import { recordFinishedViews } from './history';
import { createSessionWriter, type SessionStore, type SessionWrites } from './sessionWriter';

/** How long changes gather before they are shown (icons, open popups) in one batch. */
export const BATCH_MS = 250;

let viewCounter = 0;
// Unique across worker restarts: time in ms plus a counter within this worker's life.
const tracker: Tracker = createTracker(() => `${Date.now().toString(36)}.${(viewCounter++).toString(36)}`);
if (cacheHitsLackAddress) tracker.memory = createAddressMemory();

type BatchListener = (tracker: Tracker, changes: ChangeLog) => void;
const batchListeners: BatchListener[] = [];
let loaded = false;
const waiting: Array<(tracker: Tracker) => void> = [];
let batchTimer: ReturnType<typeof setTimeout> | undefined;

// The only storage.session calls of the tracker's state (to be routed through the storage module).
const sessionStore: SessionStore = { set: (items) => browser.storage.session.set(items), remove: (keys) => browser.storage.session.remove(keys) };

const writer = createSessionWriter({ store: sessionStore, collect: collectWrites, groupOf: writeGroupOf, onRefused: markNotKept });

/** A tab's keys are written together when a refused write is split: one full tab holds no other back. */
function writeGroupOf(key: string): string {
  const tabId = tabIdOfKey(key);
  return tabId === undefined ? key.slice(0, 2) : String(tabId);
}

/**
 * The writes for what changed since the last write. A closed tab's keys are removed only once its
 * finished views are with the site history: a worker stopped in between finds the tab's keys at
 * its next start, with the tab no longer open, and hands them over then (see restore).
 */
function collectWrites(): SessionWrites {
  const changes = drainStoredChanges(tracker);
  const { set, remove } = storageWrites(tracker, changes);
  if (changes.finished.length === 0) return { set, remove };
  const closed = new Set<number>();
  for (const { tabId } of changes.finished) if (!tracker.tabs.has(tabId)) closed.add(tabId);
  const handedOver = recordFinishedViews(changes.finished);
  if (closed.size === 0) return { set, remove };
  const now: string[] = [];
  const afterHistory: string[] = [];
  for (const key of remove) (closed.has(tabIdOfKey(key) ?? -1) ? afterHistory : now).push(key);
  void handedOver.then(() => writer.add({ set: {}, remove: afterHistory }));
  return { set, remove: now };
}

/** Marks the tabs whose current domains storage refused for lack of space (shown in popup and report). */
function markNotKept(refused: ReadonlyMap<string, readonly string[]>): void {
  withTracker((t) => {
    const counts = new Map<number, number>();
    for (const keys of refused.values()) {
      for (const key of keys) {
        const parsed = parseDomainKey(key);
        if (parsed !== undefined && t.tabs.get(parsed.tabId)?.current.id === parsed.viewId) counts.set(parsed.tabId, (counts.get(parsed.tabId) ?? 0) + 1);
      }
    }
    for (const tab of t.tabs.values()) {
      const count = counts.get(tab.tabId) ?? 0;
      if ((tab.notKept ?? 0) === count) continue;
      if (count > 0) tab.notKept = count;
      else delete tab.notKept;
      t.changes.touched.add(tab.tabId);
    }
  });
}

/** The browser's open tabs and their URLs; undefined if it cannot tell (then no tab is judged closed). */
async function openTabs(): Promise<Map<number, string | undefined> | undefined> {
  try {
    const tabs = await browser.tabs.query({});
    return new Map(tabs.flatMap((tab) => (tab.id === undefined ? [] : [[tab.id, tab.url] as const])));
  } catch (error) {
    console.error('IPvLens: could not list the open tabs', error);
    return undefined;
  }
}

const ready: Promise<void> = (async () => {
  try {
    const [entries, config, open] = await Promise.all([browser.storage.session.get(null), loadConfig(), openTabs()]);
    setNat64Prefixes(tracker, prefixesOf(config));
    const orphans = restoreTracker(tracker, entries, open === undefined ? undefined : new Set(open.keys()));
    // Families stored under other prefixes are corrected; those already right are left alone
    // (re-labelling against the defaults would rewrite every NAT64 domain at each wake-up).
    setNat64Prefixes(tracker, tracker.prefixes);
    if (open !== undefined) {
      // Views rebuilt without their meta (and pages loaded before IPvLens) learn the tab's URL.
      for (const [tabId, url] of open) if (url !== undefined) setPartialViewUrl(tracker, tabId, url);
      // Tabs closed while the worker was stopped: their visits go to the history, then their keys.
      for (const tabId of [...tracker.tabs.keys()]) if (!open.has(tabId)) onTabRemoved(tracker, tabId);
    }
    writer.add({ set: {}, remove: orphans });
  } catch (error) {
    console.error('IPvLens: could not restore state; starting empty', error);
  }
  loaded = true;
  for (const apply of waiting.splice(0)) runGuarded(apply);
  writer.changed();
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
  writer.changed();
  scheduleBatch();
}

/** Writes what is pending now (the background page is about to be unloaded: Firefox's onSuspend). */
export function flushSession(): Promise<void> {
  return writer.flush();
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
