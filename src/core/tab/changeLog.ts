/**
 * The tracker's change log: every change to a tab's state is noted here, keyed the way storage
 * keeps it, and the background drains it per turn (what to persist) and per batch (what to show).
 */
import type { LiveState } from '../live/live';
import { domainKey, liveKey, parseDomainKey } from '../session/storageKeys';
import type { DomainRecord, PageView } from './model';
import type { Tracker } from './tracker';

export interface ChangeLog {
  /** Tabs whose meta (views, main domain) must be written. */
  metas: Set<number>;
  /** Storage key → domain record to write. */
  domains: Map<string, DomainRecord>;
  /** Storage key → timeline and switches of a view to write. */
  lives: Map<string, LiveState>;
  /** Storage keys to remove. */
  removed: Set<string>;
  /** Tabs whose visible state changed (icon, title, open popups). */
  touched: Set<number>;
  /**
   * NAT64 prefixes learned from IPv4-only hosts answering over IPv6 (to remember), each with the
   * tabs whose responses taught it: one learned in a private tab only must not be stored.
   */
  learnedPrefixes: Map<string, Set<number>>;
  /** Domains whose remembered address (or its time of use) must be written. */
  addresses: Set<string>;
  /** Committed page views that ended (navigated away from, tab closed): the site history's input. */
  finished: Array<{ tabId: number; view: PageView }>;
}

export function newChangeLog(): ChangeLog {
  return { metas: new Set(), domains: new Map(), lives: new Map(), removed: new Set(), touched: new Set(), learnedPrefixes: new Map(), addresses: new Set(), finished: [] };
}

/** Marks every tab for redrawing (its icon style changed, say). */
export function touchAllTabs(tracker: Tracker): void {
  for (const tabId of tracker.tabs.keys()) tracker.changes.touched.add(tabId);
}

/** Takes the pending changes and leaves an empty log behind. */
export function drainChanges(tracker: Tracker): ChangeLog {
  const changes = tracker.changes;
  tracker.changes = newChangeLog();
  return changes;
}

/**
 * Takes what must be persisted (written at the end of each turn): what to store and remove, and
 * the views that ended (their removal waits for the site history). What is shown stays behind.
 */
export function drainStoredChanges(tracker: Tracker): ChangeLog {
  const pending = tracker.changes;
  const stored = newChangeLog();
  [stored.metas, pending.metas] = [pending.metas, stored.metas];
  [stored.domains, pending.domains] = [pending.domains, stored.domains];
  [stored.lives, pending.lives] = [pending.lives, stored.lives];
  [stored.removed, pending.removed] = [pending.removed, stored.removed];
  [stored.addresses, pending.addresses] = [pending.addresses, stored.addresses];
  [stored.finished, pending.finished] = [pending.finished, stored.finished];
  return stored;
}

/**
 * Marks each tab with how many domains of its current view storage refused for lack of space
 * (their keys among `refusedKeys`), and unmarks the others; a tab whose mark changes is redrawn.
 */
export function markNotKept(tracker: Tracker, refusedKeys: Iterable<string>): void {
  const counts = new Map<number, number>();
  for (const key of refusedKeys) {
    const parsed = parseDomainKey(key);
    if (parsed !== undefined && tracker.tabs.get(parsed.tabId)?.current.id === parsed.viewId) counts.set(parsed.tabId, (counts.get(parsed.tabId) ?? 0) + 1);
  }
  for (const tab of tracker.tabs.values()) {
    const count = counts.get(tab.tabId) ?? 0;
    if ((tab.notKept ?? 0) === count) continue;
    if (count > 0) tab.notKept = count;
    else delete tab.notKept;
    tracker.changes.touched.add(tab.tabId);
  }
}

/** Takes what is shown (icons, open popups, learned prefixes), per batch; what is persisted stays behind. */
export function drainShownChanges(tracker: Tracker): ChangeLog {
  const pending = tracker.changes;
  const shown = newChangeLog();
  [shown.touched, pending.touched] = [pending.touched, shown.touched];
  [shown.learnedPrefixes, pending.learnedPrefixes] = [pending.learnedPrefixes, shown.learnedPrefixes];
  return shown;
}

export function markDomain(tracker: Tracker, tabId: number, view: PageView, record: DomainRecord): void {
  const key = domainKey(tabId, view.id, record.domain);
  tracker.changes.domains.set(key, record);
  tracker.changes.removed.delete(key);
  tracker.changes.touched.add(tabId);
}

export function markLive(tracker: Tracker, tabId: number, view: PageView): void {
  const key = liveKey(tabId, view.id);
  tracker.changes.lives.set(key, view.live);
  tracker.changes.removed.delete(key);
  tracker.changes.touched.add(tabId);
}

export function markMeta(tracker: Tracker, tabId: number): void {
  tracker.changes.metas.add(tabId);
  tracker.changes.touched.add(tabId);
}

/** Forgets a view's stored state; a committed view that goes has ended (see ChangeLog.finished). */
export function dropView(tracker: Tracker, tabId: number, view: PageView, ended = true): void {
  if (ended && view.committed) tracker.changes.finished.push({ tabId, view });
  for (const domain of view.domains.keys()) {
    const key = domainKey(tabId, view.id, domain);
    tracker.changes.domains.delete(key);
    tracker.changes.removed.add(key);
  }
  const key = liveKey(tabId, view.id);
  tracker.changes.lives.delete(key);
  tracker.changes.removed.add(key);
}
