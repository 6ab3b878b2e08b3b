/**
 * Factories and accessors shared by the tracker's tests (trackerNavigation, trackerTabs,
 * trackerResponses, trackerChangeLog): events the tests feed in, and the state they read back.
 */
import { FLAG_NAMES, Flag, type DomainRecord, type FlagName, type PageView, type TabState } from '../../src/core/tab/model';
import type { ChangeLog, CommitEvent, RedirectEvent, RequestEvent, Tracker } from '../../src/core/tab/tracker';
import { keyOfRemoval } from '../../src/core/session/persisted';
import { domainKey, liveKey } from '../../src/core/session/storageKeys';
import { request, response, tick } from './trackerEvents';

// ---------------------------------------------------------------------------------------------
// Factories

export function mainFrame(url: string, over: Partial<RequestEvent> = {}): RequestEvent {
  return request(url, { type: 'main_frame', ...over });
}

export function redirect(req: RequestEvent, redirectUrl: string, ip?: string): RedirectEvent {
  return { ...response(req, ip), redirectUrl };
}

export function commit(tabId: number, url: string, documentId?: string, frameId = 0): CommitEvent {
  const event: CommitEvent = { tabId, frameId, url, time: tick() };
  if (documentId !== undefined) event.documentId = documentId;
  return event;
}


// ---------------------------------------------------------------------------------------------
// Accessors

export function tab(t: Tracker, tabId = 1): TabState {
  const state = t.tabs.get(tabId);
  if (state === undefined) throw new Error(`no state for tab ${tabId}`);
  return state;
}

export function record(view: PageView | undefined, domain: string): DomainRecord {
  const found = view?.domains.get(domain);
  if (found === undefined) throw new Error(`no record for ${domain}`);
  return found;
}

export function domainsOf(view: PageView | undefined): string[] {
  return [...(view?.domains.keys() ?? [])].sort();
}

export function flagsOf(rec: DomainRecord): FlagName[] {
  return FLAG_NAMES.filter((name) => (rec.flags & Flag[name]) !== 0);
}

export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

export function isEmpty(changes: ChangeLog): boolean {
  return changes.metas.size === 0 && changes.domains.size === 0 && changes.removed.length === 0 && changes.touched.size === 0;
}

// The change log names what changed by tab, view and domain; the tests read it as the storage
// keys the session layer makes of it.

/** Storage keys of the domain records the log says to write. */
export function domainKeys(changes: ChangeLog): string[] {
  return [...changes.domains].map(([record, { tabId, viewId }]) => domainKey(tabId, viewId, record.domain));
}

/** The record the log says to write under a storage key. */
export function domainWrite(changes: ChangeLog, key: string): DomainRecord | undefined {
  return [...changes.domains].find(([record, { tabId, viewId }]) => domainKey(tabId, viewId, record.domain) === key)?.[0];
}

/** Storage keys of the views whose live state the log says to write. */
export function liveKeys(changes: ChangeLog): string[] {
  return [...changes.lives].map(([view, tabId]) => liveKey(tabId, view.id));
}

/** The live state the log says to write under a storage key. */
export function liveWrite(changes: ChangeLog, key: string): PageView['live'] | undefined {
  return [...changes.lives].find(([view, tabId]) => liveKey(tabId, view.id) === key)?.[0].live;
}

/**
 * Storage keys to remove, but for domains and views written again after they went (the tab key is
 * settled by storageWrites). The per-request log's chunks are left out: requestStore.test.ts has them.
 */
export function removedKeys(changes: ChangeLog): string[] {
  const written = new Set([...domainKeys(changes), ...liveKeys(changes)]);
  return [...new Set(changes.removed.filter((removal) => removal.kind !== 'requests').map(keyOfRemoval))].filter((key) => !written.has(key));
}
