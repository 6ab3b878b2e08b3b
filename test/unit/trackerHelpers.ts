/**
 * Factories and accessors shared by the tracker's tests (trackerNavigation, trackerTabs,
 * trackerResponses, trackerChangeLog): events the tests feed in, and the state they read back.
 */
import { FLAG_NAMES, Flag, type DomainRecord, type FlagName, type PageView, type TabState } from '../../src/core/tab/model';
import type { ChangeLog, CommitEvent, RedirectEvent, RequestEvent, Tracker } from '../../src/core/tab/tracker';
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
  return changes.metas.size === 0 && changes.domains.size === 0 && changes.removed.size === 0 && changes.touched.size === 0;
}
