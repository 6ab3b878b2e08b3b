/**
 * The tracker's side of the session writer: what each write holds, the site history's hand-off
 * before a closed tab's keys go, the marks of domains storage refused, and the restore at start.
 * The storage calls and the history are injected, so this is tested without a browser.
 */
import type { PageView } from '../core/tab/model';
import { markRequestLogsNotKept, requestPartsStored } from '../core/requests/requestStore';
import { restoreTracker, storageWrites } from '../core/session/persisted';
import { REQUEST_CHUNK_PREFIX, parseDomainKey, tabIdOfKey } from '../core/session/storageKeys';
import { drainStoredChanges, markNotKept, onTabRemoved, setNat64Prefixes, setPartialViewUrl, type Tracker } from '../core/tab/tracker';
import { createSessionWriter, type SessionStore, type SessionWriter, type SessionWriterOptions, type SessionWrites } from './sessionWriter';

export interface PersistenceOptions {
  store: SessionStore;
  /** Hands ended page views to the site history; resolves (never rejects) once it has taken or refused them. */
  recordFinished: (finished: ReadonlyArray<{ tabId: number; view: PageView }>) => Promise<void>;
  /** Something shown changed outside an event (a tab's "not kept" mark): show it. */
  shownChanged: () => void;
  endOfTurn?: SessionWriterOptions['endOfTurn'];
  after?: SessionWriterOptions['after'];
  minSpacingMs?: SessionWriterOptions['minSpacingMs'];
}

export interface Persistence {
  writer: SessionWriter;
  /**
   * Rebuilds the tracker from storage, judging orphans against the open tabs (id → URL; undefined
   * when the browser could not tell, and then no tab is taken for closed).
   */
  restore: (entries: Record<string, unknown>, openTabs: ReadonlyMap<number, string | undefined> | undefined) => void;
}

/**
 * A tab's keys are written together when a refused write is split: one full tab holds no other
 * back. Its request log is a group of its own, so that the log (the bulkiest part) never holds
 * the tab's domains back.
 */
export function writeGroupOf(key: string): string {
  const tabId = tabIdOfKey(key);
  if (tabId === undefined) return key.slice(0, 2);
  return key.startsWith(REQUEST_CHUNK_PREFIX) ? `${tabId}:requests` : String(tabId);
}

export function createPersistence(tracker: Tracker, options: PersistenceOptions): Persistence {
  /**
   * The writes for what changed since the last write. A closed tab's keys are removed only once
   * its finished views are with the site history: a worker stopped in between finds the keys at
   * its next start, with the tab no longer open, and hands the views over then (see restore).
   */
  function collect(): SessionWrites {
    const changes = drainStoredChanges(tracker);
    const { set, remove } = storageWrites(tracker, changes);
    if (changes.finished.length === 0) return { set, remove };
    const closed = new Set<number>();
    for (const { tabId } of changes.finished) if (!tracker.tabs.has(tabId)) closed.add(tabId);
    const handedOver = options.recordFinished(changes.finished);
    if (closed.size === 0) return { set, remove };
    const now: string[] = [];
    const afterHistory: string[] = [];
    for (const key of remove) (closed.has(tabIdOfKey(key) ?? -1) ? afterHistory : now).push(key);
    void handedOver.then(() => writer.add({ set: {}, remove: afterHistory }));
    return { set, remove: now };
  }

  const writer = createSessionWriter({
    store: options.store,
    collect,
    groupOf: writeGroupOf,
    // A request-log chunk stored whole: the appends it covers can go now (never before).
    onStored: (stored) => {
      if (requestPartsStored(tracker, stored)) writer.changed();
    },
    onRefused: (refused) => {
      const keys = [...refused.values()].flat();
      markNotKept(tracker, keys.flatMap((key) => parseDomainKey(key) ?? []));
      markRequestLogsNotKept(tracker, keys);
      options.shownChanged();
    },
    endOfTurn: options.endOfTurn,
    after: options.after,
    minSpacingMs: options.minSpacingMs,
  });

  function restore(entries: Record<string, unknown>, openTabs: ReadonlyMap<number, string | undefined> | undefined): void {
    const orphans = restoreTracker(tracker, entries, openTabs === undefined ? undefined : new Set(openTabs.keys()));
    // Families stored under other prefixes are corrected; those already right are left alone
    // (re-labelling against the defaults would rewrite every NAT64 domain at each wake-up).
    setNat64Prefixes(tracker, tracker.prefixes);
    if (openTabs !== undefined) {
      // Views rebuilt without their meta (and pages loaded before IPvLens) learn the tab's URL.
      for (const [tabId, url] of openTabs) if (url !== undefined) setPartialViewUrl(tracker, tabId, url);
      // Tabs closed while the worker was stopped: their visits go to the history, then their keys.
      for (const tabId of [...tracker.tabs.keys()]) if (!openTabs.has(tabId)) onTabRemoved(tracker, tabId);
    }
    // Entries of views that are gone, or that could not be read: never dropped without a word.
    if (orphans.length > 0) console.warn(`IPvLens: removing ${orphans.length} stored entries that belong to no page view or could not be read`, orphans.slice(0, 20));
    // Also writes what the restore itself changed (a rebuilt tab's key, closed tabs' removals).
    writer.add({ set: {}, remove: orphans });
  }

  return { writer, restore };
}
