/**
 * Turning the tracker into storage entries and back, in the compact encoding of sessionCodec.ts
 * (values are JSON text: the browser converts a string for storage far faster than a nested
 * object). Restoring is forgiving: each entry is decoded on its own by a decoder that never throws,
 * and one that does not have the expected shape is skipped (and reported for removal) while the
 * rest are restored.
 */
import { restoreAddressMemory, type RememberedAddress } from './addressMemory';
import { domainFamily, newPageView, viewMetaOf, type DomainRecord, type PageView, type TabState } from './model';
import {
  decodeDomainRecord,
  decodeLiveState,
  decodeRememberedAddress,
  decodeStoredTab,
  encodeDomainRecord,
  encodeLiveState,
  encodeRememberedAddress,
  encodeStoredTab,
  type StoredTab,
} from './sessionCodec';
import { ADDRESS_KEY_PREFIX, DOMAIN_KEY_PREFIX, LIVE_KEY_PREFIX, addressKey, parseDomainKey, parseLiveKey, parseTabKey, tabKey, TAB_KEY_PREFIX } from './storageKeys';
import type { ChangeLog, Tracker } from './tracker';

export type { StoredTab } from './sessionCodec';

export function storedTabOf(tab: TabState): StoredTab {
  const stored: StoredTab = { tabId: tab.tabId, current: viewMetaOf(tab.current) };
  if (tab.previous !== undefined) stored.previous = viewMetaOf(tab.previous);
  return stored;
}

/** Start of the view a domain or live key names: stored times are relative to it. */
function viewStartOf(tracker: Tracker, parsed: { tabId: number; viewId: string } | undefined): number | undefined {
  return parsed === undefined ? undefined : viewOf(tracker, parsed.tabId, parsed.viewId)?.startedAt;
}

/** The key/value writes and removals that persist a drained change log. */
export function storageWrites(tracker: Tracker, changes: ChangeLog): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  for (const tabId of changes.metas) {
    const tab = tracker.tabs.get(tabId);
    if (tab !== undefined) set[tabKey(tabId)] = encodeStoredTab(storedTabOf(tab));
  }
  // A key whose view is gone (none should be logged) keeps the full record, which needs no view.
  for (const [key, record] of changes.domains) {
    const start = viewStartOf(tracker, parseDomainKey(key));
    set[key] = start === undefined ? JSON.stringify(record) : encodeDomainRecord(record, start);
  }
  for (const [key, live] of changes.lives) {
    const start = viewStartOf(tracker, parseLiveKey(key));
    set[key] = start === undefined ? JSON.stringify(live) : encodeLiveState(live, start);
  }
  for (const domain of changes.addresses) {
    const remembered = tracker.memory?.entries.get(domain);
    if (remembered !== undefined) set[addressKey(domain)] = encodeRememberedAddress(remembered);
  }
  return { set, remove: [...changes.removed].filter((key) => !(key in set)) };
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

/**
 * Rebuilds the tracker's tabs from everything in storage. Returns keys that belong to nothing
 * (a view that was replaced before its removal was written, or a malformed entry).
 */
export function restoreTracker(tracker: Tracker, entries: Record<string, unknown>): string[] {
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
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(DOMAIN_KEY_PREFIX)) continue;
    const parsed = parseDomainKey(key);
    if (parsed === undefined) {
      orphans.push(key);
      continue;
    }
    const view = viewOf(tracker, parsed.tabId, parsed.viewId);
    const value = view === undefined ? undefined : decodeDomainRecord(stored, parsed.domain, view.startedAt);
    if (view === undefined || value === undefined) {
      orphans.push(key);
      continue;
    }
    addToView(view, value);
  }
  for (const [key, stored] of Object.entries(entries)) {
    if (!key.startsWith(LIVE_KEY_PREFIX)) continue;
    const parsed = parseLiveKey(key);
    const view = parsed === undefined ? undefined : viewOf(tracker, parsed.tabId, parsed.viewId);
    const live = view === undefined ? undefined : decodeLiveState(stored, view.startedAt);
    if (view === undefined || live === undefined) {
      orphans.push(key);
      continue;
    }
    view.live = live;
  }
  orphans.push(...restoreMemory(tracker, entries));
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
