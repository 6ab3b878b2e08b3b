/**
 * Turning the tracker into storage entries and back, in the compact encoding of sessionCodec.ts
 * (values are JSON text: the browser converts a string for storage far faster than a nested
 * object). Restoring is forgiving: each entry is decoded on its own by a decoder that never throws,
 * and one that does not have the expected shape is skipped (and reported for removal) while the
 * rest are restored.
 */
import { restoreAddressMemory, type RememberedAddress } from '../address/addressMemory';
import { domainFamily, newPageView, viewMetaOf, type DomainRecord, type PageView, type TabState } from '../tab/model';
import {
  decodeDomainRecord,
  decodeRememberedAddress,
  decodeStoredTab,
  encodeDomainRecord,
  encodeRememberedAddress,
  encodeStoredTab,
  type StoredTab,
} from './sessionCodec';
import { decodeLiveState, encodeLiveState } from './liveCodec';
import { decodeNativeIpv6, encodeNativeIpv6 } from '../readiness/nativeIpv6';
import {
  ADDRESS_KEY_PREFIX,
  DOMAIN_KEY_PREFIX,
  LIVE_KEY_PREFIX,
  NATIVE_IPV6_KEY,
  TAB_KEY_PREFIX,
  addressKey,
  domainKey,
  liveKey,
  parseDomainKey,
  parseLiveKey,
  parseTabKey,
  tabKey,
  timeBaseOfView,
} from './storageKeys';
import type { ChangeLog, Removal, Tracker } from '../tab/tracker';
import { requestPartKey } from '../requests/requestCodec';
import { addRequestWrites, forgetRequestKeys, restoreRequestLogs } from '../requests/requestStore';

export type { StoredTab } from './sessionCodec';

export function storedTabOf(tab: TabState): StoredTab {
  const stored: StoredTab = { tabId: tab.tabId, current: viewMetaOf(tab.current) };
  if (tab.previous !== undefined) stored.previous = viewMetaOf(tab.previous);
  return stored;
}

/** The storage key of something the change log says is to go. */
export function keyOfRemoval(removal: Removal): string {
  switch (removal.kind) {
    case 'tab':
      return tabKey(removal.tabId);
    case 'domain':
      return domainKey(removal.tabId, removal.viewId, removal.domain);
    case 'live':
      return liveKey(removal.tabId, removal.viewId);
    case 'address':
      return addressKey(removal.domain);
    case 'requests':
      return requestPartKey(removal.tabId, removal.viewId, removal.chunk, removal.slot);
  }
}

/** The key/value writes and removals that persist a drained change log. */
export function storageWrites(tracker: Tracker, changes: ChangeLog): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const tabId of changes.metas) {
    const tab = tracker.tabs.get(tabId);
    if (tab !== undefined) set[tabKey(tabId)] = encodeStoredTab(storedTabOf(tab));
  }
  // Times are relative to the time in the view's id, so a key decodes on its own (even when its
  // tab's key was lost).
  for (const [record, { tabId, viewId }] of changes.domains) set[domainKey(tabId, viewId, record.domain)] = encodeDomainRecord(record, timeBaseOfView(viewId));
  for (const [view, tabId] of changes.lives) set[liveKey(tabId, view.id)] = encodeLiveState(view.live, timeBaseOfView(view.id));
  for (const domain of changes.addresses) {
    const remembered = tracker.memory?.entries.get(domain);
    if (remembered !== undefined) set[addressKey(domain)] = encodeRememberedAddress(remembered);
  }
  if (changes.nativeIpv6) set[NATIVE_IPV6_KEY] = encodeNativeIpv6(tracker.nativeIpv6);
  const ringRemovals: string[] = [];
  addRequestWrites(tracker, changes.requestLogs, set, ringRemovals);
  // What was written again after it went is kept.
  const remove = new Set<string>();
  for (const removal of changes.removed) {
    const key = keyOfRemoval(removal);
    if (!(key in set)) remove.add(key);
  }
  for (const key of ringRemovals) if (!(key in set)) remove.add(key);
  forgetRequestKeys(tracker, remove);
  return { set, remove: [...remove] };
}

/** The view of a tab that a stored key names, if that view is still there. */
function viewOf(tracker: Tracker, tabId: number, viewId: string): PageView | undefined {
  const tab = tracker.tabs.get(tabId);
  return tab?.current.id === viewId ? tab.current : tab?.previous?.id === viewId ? tab.previous : undefined;
}

function addToView(view: PageView, record: DomainRecord): void {
  view.domains.set(record.domain, record);
  const family = domainFamily(record);
  if (family !== undefined) view.familyTally[family]++;
}

/** A tab and view a domain or live key names, parsed once. */
function viewKeyOf(key: string): { tabId: number; viewId: string } | undefined {
  return key.startsWith(DOMAIN_KEY_PREFIX) ? parseDomainKey(key) : key.startsWith(LIVE_KEY_PREFIX) ? parseLiveKey(key) : undefined;
}

/**
 * Views of open tabs whose tab key is missing (its write was refused, storage being full): made
 * from their domain and live keys, so that those are restored rather than thrown away. What the
 * lost meta said is unknown, so each is a committed view marked partial, its URL to be asked of
 * the tab; which is current is decided once their domains are in (see settleRebuiltTabs).
 */
function rebuildViews(tracker: Tracker, entries: Record<string, unknown>, openTabIds: ReadonlySet<number>): Map<number, Map<string, PageView>> {
  const rebuilt = new Map<number, Map<string, PageView>>();
  for (const key of Object.keys(entries)) {
    const parsed = viewKeyOf(key);
    if (parsed === undefined || tracker.tabs.has(parsed.tabId) || !openTabIds.has(parsed.tabId)) continue;
    let views = rebuilt.get(parsed.tabId);
    if (views === undefined) rebuilt.set(parsed.tabId, (views = new Map<string, PageView>()));
    if (!views.has(parsed.viewId)) views.set(parsed.viewId, newPageView({ id: parsed.viewId, committed: true, partial: true, startedAt: 0 }));
  }
  return rebuilt;
}

const newestSeen = (view: PageView): number => Math.max(0, ...[...view.domains.values()].map((record) => record.lastSeen));

/**
 * The newest rebuilt view (by its domains' last activity) becomes current, the one before it the
 * previous; any older one had ended, and its keys are returned as orphans. The tab's key is
 * written again.
 */
function settleRebuiltTabs(tracker: Tracker, rebuilt: Map<number, Map<string, PageView>>): string[] {
  const orphans: string[] = [];
  for (const [tabId, views] of rebuilt) {
    const [current, previous, ...ended] = [...views.values()].sort((a, b) => newestSeen(b) - newestSeen(a));
    if (current === undefined) continue;
    for (const view of [current, previous]) {
      if (view !== undefined) view.startedAt = Math.min(...[...view.domains.values()].map((record) => record.firstSeen), newestSeen(view));
    }
    const tab: TabState = { tabId, current };
    if (previous !== undefined) tab.previous = previous;
    tracker.tabs.set(tabId, tab);
    tracker.changes.metas.add(tabId);
    for (const view of ended) {
      for (const domain of view.domains.keys()) orphans.push(domainKey(tabId, view.id, domain));
      orphans.push(liveKey(tabId, view.id));
    }
  }
  return orphans;
}

/**
 * Rebuilds the tracker's tabs from everything in storage. Returns keys that belong to nothing
 * (a view that was replaced before its removal was written, or a malformed entry).
 *
 * With `openTabIds` (the browser's open tabs), orphans are judged against them: the keys of an
 * open tab are never orphans for want of its tab key (see rebuildViews). Tabs with a tab key are
 * restored whether open or not: one closed while the worker was stopped still has a visit to hand
 * to the site history before its keys go (the caller closes it).
 */
export function restoreTracker(tracker: Tracker, entries: Record<string, unknown>, openTabIds?: ReadonlySet<number>): string[] {
  const orphans: string[] = [];
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(TAB_KEY_PREFIX)) continue;
    const tabId = parseTabKey(key);
    const value = tabId === undefined ? undefined : decodeStoredTab(stored, tabId);
    if (value === undefined) {
      orphans.push(key);
      continue;
    }
    const tab: TabState = { tabId: value.tabId, current: newPageView(value.current) };
    if (value.previous !== undefined) tab.previous = newPageView(value.previous);
    tracker.tabs.set(value.tabId, tab);
  }
  const rebuilt = openTabIds === undefined ? new Map<number, Map<string, PageView>>() : rebuildViews(tracker, entries, openTabIds);
  const viewOrRebuilt = (tabId: number, viewId: string): PageView | undefined => viewOf(tracker, tabId, viewId) ?? rebuilt.get(tabId)?.get(viewId);
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(DOMAIN_KEY_PREFIX)) continue;
    const parsed = parseDomainKey(key);
    if (parsed === undefined) {
      orphans.push(key);
      continue;
    }
    const view = viewOrRebuilt(parsed.tabId, parsed.viewId);
    const value = view === undefined ? undefined : decodeDomainRecord(stored, parsed.domain, timeBaseOfView(parsed.viewId));
    if (view === undefined || value === undefined) {
      orphans.push(key);
      continue;
    }
    addToView(view, value);
  }
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(LIVE_KEY_PREFIX)) continue;
    const parsed = parseLiveKey(key);
    const view = parsed === undefined ? undefined : viewOrRebuilt(parsed.tabId, parsed.viewId);
    const live = view === undefined || parsed === undefined ? undefined : decodeLiveState(stored, timeBaseOfView(parsed.viewId));
    if (view === undefined || live === undefined) {
      orphans.push(key);
      continue;
    }
    view.live = live;
  }
  orphans.push(...settleRebuiltTabs(tracker, rebuilt));
  orphans.push(...restoreRequestLogs(tracker, entries));
  orphans.push(...restoreMemory(tracker, entries));
  if (NATIVE_IPV6_KEY in entries) {
    const seen = decodeNativeIpv6(entries[NATIVE_IPV6_KEY]);
    if (seen === undefined) orphans.push(NATIVE_IPV6_KEY);
    else tracker.nativeIpv6 = seen;
  }
  return orphans;
}

/** Remembered addresses back into the tracker's memory; returns the keys not taken back. */
function restoreMemory(tracker: Tracker, entries: Record<string, unknown>): string[] {
  const orphans: string[] = [];
  const stored = new Map<string, RememberedAddress>();
  for (const [key, value] of Object.entries(entries)) {
    if (!key.startsWith(ADDRESS_KEY_PREFIX)) continue;
    const remembered = tracker.memory === undefined ? undefined : decodeRememberedAddress(value);
    const domain = key.slice(ADDRESS_KEY_PREFIX.length);
    if (remembered === undefined || domain === '') orphans.push(key);
    else stored.set(domain, remembered);
  }
  if (tracker.memory !== undefined) for (const domain of restoreAddressMemory(tracker.memory, stored)) orphans.push(addressKey(domain));
  return orphans;
}
