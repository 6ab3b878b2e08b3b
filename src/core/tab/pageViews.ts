/**
 * Page views and navigation: which view of which tab a request belongs to, how a navigation
 * starts, commits or fails back, and what happens when a tab closes or is swapped for another.
 */
import { dropView, markDomain, markLive, markMeta } from './changeLog';
import { rewriteRequestLog } from '../requests/trackRequests';
import { newDomainRecord, newPageView, type DomainRecord, type PageView, type TabState } from './model';
import { forgetTabPrivacy, moveTabPrivacy } from './privateTabs';
import type { CommitEvent, RequestEvent, Tracker } from './tracker';
import { hostOf, originOf } from './url';

export function makeView(tracker: Tracker, url: string | undefined, time: number, extra: Partial<PageView> = {}): PageView {
  return newPageView({
    id: tracker.newViewId(),
    url,
    origin: url === undefined ? undefined : originOf(url),
    mainDomain: url === undefined ? undefined : hostOf(url),
    committed: false,
    partial: false,
    startedAt: time,
    ...extra,
  });
}

/** A new page view replaces the pending one, or moves the committed one aside until commit. */
export function startView(tracker: Tracker, tabId: number, view: PageView): void {
  const tab = tracker.tabs.get(tabId);
  if (tab === undefined) {
    tracker.tabs.set(tabId, { tabId, current: view });
  } else if (tab.current.committed) {
    if (tab.previous !== undefined) dropView(tracker, tabId, tab.previous);
    tab.previous = tab.current;
    tab.current = view;
  } else {
    dropView(tracker, tabId, tab.current);
    tab.current = view;
  }
  markMeta(tracker, tabId);
  // Written at once so that every stored view has its live key (an empty timeline is small).
  markLive(tracker, tabId, view);
}

/**
 * Page views a request belongs to: its tab's, or for a worker every tab showing its origin — of
 * its own kind when the browser says which (Firefox): a private window's worker never reaches a
 * normal tab, nor a normal one's a private tab. Where it does not say (Chrome), a worker request
 * of an origin a private tab shows goes to the private tabs only: it may be theirs.
 */
export function targetViews(tracker: Tracker, event: RequestEvent, create: boolean): PageView[] {
  if (event.tabId < 0) {
    const initiator = event.initiator;
    if (initiator === undefined) return [];
    const views: PageView[] = [];
    const privateViews: PageView[] = [];
    for (const tab of tracker.tabs.values()) {
      if (tab.current.origin !== initiator) continue;
      const isPrivate = tracker.privateTabs.has(tab.tabId);
      if (event.incognito !== undefined && isPrivate !== event.incognito) continue;
      views.push(tab.current);
      if (isPrivate) privateViews.push(tab.current);
    }
    // Chrome does not say: a request a private tab's page may have made stays with private tabs.
    return event.incognito === undefined && privateViews.length > 0 ? privateViews : views;
  }
  let tab = tracker.tabs.get(event.tabId);
  if (tab === undefined) {
    if (!create) return [];
    // The page was already there when we started: show what comes from now on, marked partial.
    startView(tracker, event.tabId, makeView(tracker, undefined, event.time, { committed: true, partial: true }));
    tab = tracker.tabs.get(event.tabId);
    if (tab === undefined) return [];
  }
  if (tab.previous !== undefined && event.documentId !== undefined && event.documentId === tab.previous.documentId) {
    return [tab.previous];
  }
  return [tab.current];
}

export function tabIdOfView(tracker: Tracker, event: RequestEvent, view: PageView): number {
  if (event.tabId >= 0) return event.tabId;
  for (const tab of tracker.tabs.values()) if (tab.current === view) return tab.tabId;
  return -1;
}

export function domainIn(view: PageView, host: string, time: number): DomainRecord {
  let record = view.domains.get(host);
  if (record === undefined) {
    record = newDomainRecord(host, time);
    view.domains.set(host, record);
  }
  return record;
}

export function onCommitted(tracker: Tracker, event: CommitEvent): void {
  if (event.frameId !== 0 || event.tabId < 0) return;
  const tab = tracker.tabs.get(event.tabId);
  const current = tab?.current;
  if (tab !== undefined && current !== undefined && !current.committed && current.mainRequestId !== undefined) {
    current.committed = true;
    current.documentId = event.documentId;
    current.url = event.url;
    current.origin = originOf(event.url);
    current.mainDomain = hostOf(event.url) ?? current.mainDomain;
    if (tab.previous !== undefined) {
      dropView(tracker, event.tabId, tab.previous);
      delete tab.previous;
    }
    markMeta(tracker, event.tabId);
    return;
  }
  // A commit with no request seen: back/forward cache, a browser page, a local file.
  startView(tracker, event.tabId, makeView(tracker, event.url, event.time, { committed: true, documentId: event.documentId }));
  const started = tracker.tabs.get(event.tabId);
  if (started?.previous !== undefined) {
    dropView(tracker, event.tabId, started.previous);
    delete started.previous;
  }
}

/** For a view that started mid-page: fill in the page the tab shows once the browser tells us. */
export function setPartialViewUrl(tracker: Tracker, tabId: number, url: string): void {
  const view = tracker.tabs.get(tabId)?.current;
  if (view === undefined || !view.partial || view.url !== undefined) return;
  view.url = url;
  view.origin = originOf(url);
  view.mainDomain = hostOf(url);
  markMeta(tracker, tabId);
}

export function onTabRemoved(tracker: Tracker, tabId: number): void {
  forgetTab(tracker, tabId, true);
  forgetTabPrivacy(tracker, tabId);
}

/** Drops a tab's state; its views have ended unless they move to another tab id. */
function forgetTab(tracker: Tracker, tabId: number, ended: boolean): void {
  const tab = tracker.tabs.get(tabId);
  if (tab === undefined) return;
  dropView(tracker, tabId, tab.current, ended);
  if (tab.previous !== undefined) dropView(tracker, tabId, tab.previous, ended);
  tracker.tabs.delete(tabId);
  tracker.changes.metas.delete(tabId);
  tracker.changes.removed.push({ kind: 'tab', tabId });
  tracker.changes.touched.add(tabId);
}

/** Chrome swaps a prerendered tab in under a new id: keep the state that belongs to the new id. */
export function onTabReplaced(tracker: Tracker, addedTabId: number, removedTabId: number): void {
  const moving = tracker.tabs.get(removedTabId);
  if (tracker.tabs.has(addedTabId) || moving === undefined) {
    onTabRemoved(tracker, removedTabId);
    return;
  }
  forgetTab(tracker, removedTabId, false);
  moveTabPrivacy(tracker, addedTabId, removedTabId);
  const moved: TabState = { ...moving, tabId: addedTabId };
  tracker.tabs.set(addedTabId, moved);
  markMeta(tracker, addedTabId);
  for (const view of [moved.current, moved.previous]) {
    if (view === undefined) continue;
    for (const record of view.domains.values()) markDomain(tracker, addedTabId, view, record);
    markLive(tracker, addedTabId, view);
    rewriteRequestLog(tracker, addedTabId, view);
  }
}
