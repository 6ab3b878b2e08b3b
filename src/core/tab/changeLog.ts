/**
 * The tracker's change log: every change to a tab's state is noted here by what changed (a tab, a
 * view of a tab, a domain of that view), and the background drains it per turn (what to persist:
 * the session layer turns it into storage keys) and per batch (what to show).
 */
import { liveChunks, storedParts, type RequestLog } from '../requests/requestLog';
import type { DomainRecord, PageView } from './model';
import type { Tracker } from './tracker';

/** A page view of a tab: what a domain's record or a view's live state is kept under. */
export interface ViewRef {
  tabId: number;
  viewId: string;
}

/** Something kept that is to go: a tab's meta, a domain of a view, a view's live state, a remembered address. */
export type Removal =
  | { kind: 'tab'; tabId: number }
  | ({ kind: 'domain'; domain: string } & ViewRef)
  | ({ kind: 'live' } & ViewRef)
  | { kind: 'address'; domain: string }
  | ({ kind: 'requests'; chunk: number; slot?: number } & ViewRef);

export interface ChangeLog {
  /** Tabs whose meta (views, main domain) must be written. */
  metas: Set<number>;
  /** Domain records to write, each with the view (and tab) it belongs to. */
  domains: Map<DomainRecord, ViewRef>;
  /** Views whose timeline and switches must be written, each with its tab. */
  lives: Map<PageView, number>;
  /** What to remove, in the order it went (a later write of the same thing wins over its removal). */
  removed: Removal[];
  /** Tabs whose visible state changed (icon, title, open popups). */
  touched: Set<number>;
  /**
   * NAT64 prefixes learned from IPv4-only hosts answering over IPv6 (to remember), each with the
   * tabs whose responses taught it: one learned in a private tab only must not be stored.
   */
  learnedPrefixes: Map<string, Set<number>>;
  /** Domains whose remembered address (or its time of use) must be written. */
  addresses: Set<string>;
  /** Per-request logs with chunks to write (or to remove), each with its view (and tab). */
  requestLogs: Map<RequestLog, ViewRef>;
  /** Committed page views that ended (navigated away from, tab closed): the site history's input. */
  finished: Array<{ tabId: number; view: PageView }>;
  /** The native-IPv6 evidence changed: its key must be written. */
  nativeIpv6: boolean;
}

export function newChangeLog(): ChangeLog {
  return { metas: new Set(), domains: new Map(), lives: new Map(), removed: [], touched: new Set(), learnedPrefixes: new Map(), addresses: new Set(), requestLogs: new Map(), finished: [], nativeIpv6: false };
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
  [stored.requestLogs, pending.requestLogs] = [pending.requestLogs, stored.requestLogs];
  [stored.finished, pending.finished] = [pending.finished, stored.finished];
  [stored.nativeIpv6, pending.nativeIpv6] = [pending.nativeIpv6, stored.nativeIpv6];
  return stored;
}

/**
 * Marks each tab with how many domains of its current view storage refused for lack of space
 * (`refused`: the view of each refused domain), and unmarks the others; a tab whose mark changes
 * is redrawn.
 */
export function markNotKept(tracker: Tracker, refused: Iterable<ViewRef>): void {
  const counts = new Map<number, number>();
  for (const { tabId, viewId } of refused) {
    if (tracker.tabs.get(tabId)?.current.id === viewId) counts.set(tabId, (counts.get(tabId) ?? 0) + 1);
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
  const domains = tracker.changes.domains;
  const ref = domains.get(record);
  // One ref per record and tab: no allocation on the per-request path.
  if (ref?.tabId !== tabId || ref.viewId !== view.id) domains.set(record, { tabId, viewId: view.id });
  tracker.changes.touched.add(tabId);
}

export function markLive(tracker: Tracker, tabId: number, view: PageView): void {
  tracker.changes.lives.set(view, tabId);
  tracker.changes.touched.add(tabId);
}

export function markMeta(tracker: Tracker, tabId: number): void {
  tracker.changes.metas.add(tabId);
  tracker.changes.touched.add(tabId);
}

/** Forgets a view's stored state; a committed view that goes has ended (see ChangeLog.finished). */
export function dropView(tracker: Tracker, tabId: number, view: PageView, ended = true): void {
  const changes = tracker.changes;
  if (ended && view.committed) changes.finished.push({ tabId, view });
  for (const record of view.domains.values()) {
    changes.domains.delete(record);
    changes.removed.push({ kind: 'domain', tabId, viewId: view.id, domain: record.domain });
  }
  changes.lives.delete(view);
  changes.removed.push({ kind: 'live', tabId, viewId: view.id });
  const requests = tracker.requestLogs.get(view);
  if (requests !== undefined) {
    changes.requestLogs.delete(requests);
    for (const chunk of liveChunks(requests)) for (const part of storedParts(requests, chunk)) changes.removed.push({ kind: 'requests', tabId, viewId: view.id, ...part });
  }
}
