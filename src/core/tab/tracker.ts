/**
 * The per-tab state machine. Browser events, already reduced to the plain shapes below, go in;
 * the state changes in place (no copies on the per-request path) and every change is logged in
 * `changes`, which the background drains to persist, redraw the icon and update open popups.
 */
import { createDescriber, type Describer } from '../address/addressClass';
import { recallAddress, rememberAddress, type AddressMemory } from '../address/addressMemory';
import { ipv6In } from '../address/dnsCheck';
import { countOnTimeline, countRecent, noteNetworkAnswer, seriesOfFamily, type LiveState } from '../live/live';
import { DEFAULT_NAT64_PREFIXES, learnablePrefix, type Nat64Prefix } from '../address/nat64';
import { parseAddress } from '../address/address';
import type { Family } from '../address/address';
import {
  Flag,
  domainFamily,
  newDomainRecord,
  newPageView,
  type DomainRecord,
  type PageView,
  type TabState,
} from './model';
import { addressKey, domainKey, liveKey, parseDomainKey, tabKey } from '../session/storageKeys';
import { hostOf, isSecureScheme, originOf } from './url';

export interface RequestEvent {
  requestId: string;
  /** -1 for requests of no tab (service workers, the browser itself). */
  tabId: number;
  url: string;
  /** webRequest ResourceType. */
  type: string;
  frameId: number;
  /** Chrome: the requesting document; on a main-frame request it marks a speculative load. */
  documentId?: string;
  /** Origin that started the request; how worker requests are attributed to tabs. */
  initiator?: string;
  time: number;
}

export interface ResponseEvent extends RequestEvent {
  ip?: string;
  fromCache: boolean;
  /** Only where the browser reports the real protocol in it (Firefox); never Chrome's. */
  statusLine?: string;
  /** Body size the response declared (see declaredBodySize); undefined: unknown size. */
  bodyBytes?: number;
}

export interface RedirectEvent extends ResponseEvent {
  redirectUrl: string;
}

export interface CommitEvent {
  tabId: number;
  frameId: number;
  url: string;
  documentId?: string;
  time: number;
}

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

export interface Tracker {
  tabs: Map<number, TabState>;
  changes: ChangeLog;
  newViewId: () => string;
  /** NAT64 prefixes in force; `describe` classifies with them. */
  prefixes: readonly Nat64Prefix[];
  describe: Describer;
  /**
   * Where the browser reports no address for cache hits (Firefox): each domain's last network
   * address, lent to its cached responses. Absent where every response has one (Chrome).
   */
  memory?: AddressMemory;
}

export function newChangeLog(): ChangeLog {
  return { metas: new Set(), domains: new Map(), lives: new Map(), removed: new Set(), touched: new Set(), learnedPrefixes: new Map(), addresses: new Set(), finished: [] };
}

export function createTracker(newViewId: () => string, prefixes: readonly Nat64Prefix[] = DEFAULT_NAT64_PREFIXES): Tracker {
  return { tabs: new Map(), changes: newChangeLog(), newViewId, prefixes, describe: createDescriber(prefixes) };
}

/**
 * Re-derives each address's family (and the view's tallies) under new prefixes. Returns whether
 * anything shown changed: a family, or the NAT64 prefix an address falls in.
 */
function relabelView(tracker: Tracker, tabId: number, view: PageView, before: Describer): boolean {
  let viewChanged = false;
  view.familyTally = { 4: 0, 6: 0 };
  for (const record of view.domains.values()) {
    let changed = false;
    for (const [key, stat] of Object.entries(record.addresses)) {
      const info = tracker.describe(key);
      // Text that is not an address has no family, under any prefixes.
      const family = info?.family;
      if (stat.family !== family || info?.nat64Prefix !== before(key)?.nat64Prefix) {
        if (family === undefined) delete stat.family;
        else stat.family = family;
        changed = true;
      }
    }
    const family = domainFamily(record);
    if (family !== undefined) view.familyTally[family]++;
    if (changed) {
      markDomain(tracker, tabId, view, record);
      viewChanged = true;
    }
  }
  return viewChanged;
}

/**
 * Puts a set of NAT64 prefixes in force: every open tab's addresses are classified again at once
 * (a NAT64 address is an IPv4 server, so families and icons can change too). Only tabs where
 * something changed are marked for redrawing.
 */
export function setNat64Prefixes(tracker: Tracker, prefixes: readonly Nat64Prefix[]): void {
  const before = tracker.describe;
  tracker.prefixes = prefixes;
  tracker.describe = createDescriber(prefixes);
  for (const tab of tracker.tabs.values()) {
    const current = relabelView(tracker, tab.tabId, tab.current, before);
    const previous = tab.previous !== undefined && relabelView(tracker, tab.tabId, tab.previous, before);
    if (current || previous) tracker.changes.touched.add(tab.tabId);
  }
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

function markDomain(tracker: Tracker, tabId: number, view: PageView, record: DomainRecord): void {
  const key = domainKey(tabId, view.id, record.domain);
  tracker.changes.domains.set(key, record);
  tracker.changes.removed.delete(key);
  tracker.changes.touched.add(tabId);
}

function markLive(tracker: Tracker, tabId: number, view: PageView): void {
  const key = liveKey(tabId, view.id);
  tracker.changes.lives.set(key, view.live);
  tracker.changes.removed.delete(key);
  tracker.changes.touched.add(tabId);
}

function markMeta(tracker: Tracker, tabId: number): void {
  tracker.changes.metas.add(tabId);
  tracker.changes.touched.add(tabId);
}

/** Forgets a view's stored state; a committed view that goes has ended (see ChangeLog.finished). */
function dropView(tracker: Tracker, tabId: number, view: PageView, ended = true): void {
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

function makeView(tracker: Tracker, url: string | undefined, time: number, extra: Partial<PageView> = {}): PageView {
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
function startView(tracker: Tracker, tabId: number, view: PageView): void {
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

/** Page views a request belongs to: its tab's, or for a worker every tab showing its origin. */
function targetViews(tracker: Tracker, event: RequestEvent, create: boolean): PageView[] {
  if (event.tabId < 0) {
    const initiator = event.initiator;
    if (initiator === undefined) return [];
    const views: PageView[] = [];
    for (const tab of tracker.tabs.values()) if (tab.current.origin === initiator) views.push(tab.current);
    return views;
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

function tabIdOfView(tracker: Tracker, event: RequestEvent, view: PageView): number {
  if (event.tabId >= 0) return event.tabId;
  for (const tab of tracker.tabs.values()) if (tab.current === view) return tab.tabId;
  return -1;
}

function domainIn(view: PageView, host: string, time: number): DomainRecord {
  let record = view.domains.get(host);
  if (record === undefined) {
    record = newDomainRecord(host, time);
    view.domains.set(host, record);
  }
  return record;
}

/**
 * A main-frame request that started before the view was committed, where that commit came with
 * no request seen: the browser told of the commit first (Firefox does, webNavigation and
 * webRequest being separate channels). Redirect hops of it share its request id.
 */
function isLateRequestOfCommit(view: PageView, event: RequestEvent): boolean {
  return view.committed && !view.partial && event.time <= view.startedAt && (view.mainRequestId === undefined || view.mainRequestId === event.requestId);
}

function isSpeculativeMainFrame(event: RequestEvent): boolean {
  return event.type === 'main_frame' && event.documentId !== undefined;
}

export function onRequestStarted(tracker: Tracker, event: RequestEvent): void {
  const host = hostOf(event.url);
  if (host === undefined) return;
  if (event.type === 'main_frame' && event.tabId >= 0 && !isSpeculativeMainFrame(event)) {
    const tab = tracker.tabs.get(event.tabId);
    const current = tab?.current;
    if (current !== undefined && !current.committed && current.mainRequestId === event.requestId) {
      // A redirect hop of the navigation in progress: the main domain moves to the target.
      current.url = event.url;
      current.origin = originOf(event.url);
      current.mainDomain = host;
      markMeta(tracker, event.tabId);
    } else if (current !== undefined && isLateRequestOfCommit(current, event)) {
      // Firefox can deliver a navigation's commit before its main-frame request: the request
      // belongs to the page already committed, not to a new one.
      current.mainRequestId = event.requestId;
      markMeta(tracker, event.tabId);
    } else {
      startView(tracker, event.tabId, makeView(tracker, event.url, event.time, { mainRequestId: event.requestId }));
    }
  }
  let flags = isSecureScheme(event.url) ? Flag.tls : Flag.plainHttp;
  if (event.type === 'websocket') flags |= Flag.websocket;
  if (event.tabId < 0) flags |= Flag.serviceWorker;
  if (isSpeculativeMainFrame(event) || event.type === 'prefetch') flags |= Flag.prefetch;

  for (const view of targetViews(tracker, event, true)) {
    const record = domainIn(view, host, event.time);
    record.requests++;
    record.flags |= flags;
    record.lastSeen = event.time;
    countRecent(record.recent, event.time);
    if (!record.inflight.includes(event.requestId)) record.inflight.push(event.requestId);
    markDomain(tracker, tabIdOfView(tracker, event, view), view, record);
  }
}

function httpVersionOf(statusLine: string): string | undefined {
  const match = /^HTTP\/(\d(?:\.\d)?)/i.exec(statusLine);
  if (match === null) return undefined;
  const version = match[1] ?? '';
  return `HTTP/${version === '2.0' ? '2' : version === '3.0' ? '3' : version}`;
}

function noteLearnablePrefix(tracker: Tracker, tabId: number, host: string, canonical: string): void {
  const parsed = parseAddress(canonical);
  if (!parsed.ok) return;
  const prefix = learnablePrefix(host, parsed.bytes);
  if (prefix === undefined || tracker.prefixes.some((known) => known.text === prefix)) return;
  const tabs = tracker.changes.learnedPrefixes.get(prefix) ?? new Set<number>();
  tabs.add(tabId);
  tracker.changes.learnedPrefixes.set(prefix, tabs);
}

/** For a cache hit the browser reported without an address: the one the domain last answered from. */
function rememberedAddressOf(tracker: Tracker, domain: string, event: ResponseEvent): string | undefined {
  if (!event.fromCache || tracker.memory === undefined) return undefined;
  const ip = recallAddress(tracker.memory, domain, event.time);
  if (ip !== undefined) tracker.changes.addresses.add(domain);
  return ip;
}

function rememberNetworkAddress(tracker: Tracker, domain: string, address: string, time: number): void {
  if (tracker.memory === undefined) return;
  const dropped = rememberAddress(tracker.memory, domain, address, time);
  tracker.changes.addresses.add(domain);
  if (dropped === undefined) return;
  tracker.changes.addresses.delete(dropped);
  tracker.changes.removed.add(addressKey(dropped));
}

function recordResponse(tracker: Tracker, tabId: number, view: PageView, record: DomainRecord, event: ResponseEvent): void {
  const familyBefore = domainFamily(record);
  record.responses++;
  if (record.requests < record.responses) record.requests = record.responses;
  record.lastSeen = event.time;
  if (event.fromCache) record.flags |= Flag.cache;
  // Bytes are what came over the network: a cached response moved none.
  const size = event.bodyBytes;
  if (!event.fromCache) {
    if (size === undefined) record.unsized++;
    else record.bytes += size;
  }
  let answered: Family | undefined;
  const reported = event.ip !== undefined && event.ip !== '' ? event.ip : undefined;
  const ip = reported ?? rememberedAddressOf(tracker, record.domain, event);
  if (ip !== undefined) {
    const address = tracker.describe(ip);
    // An address the parser refuses is kept as given (shown as unparseable), never dropped.
    const key = address?.canonical ?? ip;
    let stat = record.addresses[key];
    if (stat === undefined) {
      if (address?.family === 6) noteLearnablePrefix(tracker, tabId, record.domain, key);
      // Unparseable text gets no family: a colon in it says nothing about the server.
      stat = { responses: 0, cached: 0, bytes: 0, unsized: 0, firstSeen: event.time, lastSeen: event.time };
      if (address !== undefined) stat.family = address.family;
      record.addresses[key] = stat;
    }
    const isNewAddress = stat.responses === 0;
    stat.responses++;
    stat.lastSeen = event.time;
    answered = stat.family;
    if (event.fromCache) {
      stat.cached++;
      if (reported === undefined) stat.remembered = (stat.remembered ?? 0) + 1;
    } else {
      if (address !== undefined) rememberNetworkAddress(tracker, record.domain, key, event.time);
      if (size === undefined) stat.unsized++;
      else stat.bytes += size;
      // Switches are between addresses of known family; an unparseable answer is not one.
      if (stat.family !== undefined) {
        const previous = record.networkAddress;
        const previousFamily = previous === undefined ? undefined : record.addresses[previous]?.family;
        const before = previous === undefined || previousFamily === undefined ? undefined : { address: previous, family: previousFamily };
        noteNetworkAnswer(view.live, record.domain, before, { address: key, family: stat.family }, isNewAddress, event.time);
        record.networkAddress = key;
      }
    }
    if (!event.fromCache || record.primary === undefined) record.primary = key;
  }
  countOnTimeline(view.live, event.time, seriesOfFamily(answered));
  if (event.statusLine !== undefined) {
    const version = httpVersionOf(event.statusLine);
    if (version !== undefined) {
      record.httpVersions ??= [];
      if (!record.httpVersions.includes(version)) record.httpVersions.push(version);
    }
  }
  const familyAfter = domainFamily(record);
  if (familyBefore !== familyAfter) {
    if (familyBefore !== undefined) view.familyTally[familyBefore]--;
    if (familyAfter !== undefined) view.familyTally[familyAfter]++;
  }
}

export function onResponseStarted(tracker: Tracker, event: ResponseEvent): void {
  const host = hostOf(event.url);
  if (host === undefined) return;
  for (const view of targetViews(tracker, event, true)) {
    const record = domainIn(view, host, event.time);
    const tabId = tabIdOfView(tracker, event, view);
    recordResponse(tracker, tabId, view, record, event);
    markDomain(tracker, tabId, view, record);
    markLive(tracker, tabId, view);
  }
}

/** A redirect is a response from the old host, and the end of that host's request. */
export function onRedirect(tracker: Tracker, event: RedirectEvent): void {
  onResponseStarted(tracker, event);
  onRequestEnded(tracker, event, false);
  if (event.type === 'main_frame' && event.tabId >= 0) {
    const current = tracker.tabs.get(event.tabId)?.current;
    const target = hostOf(event.redirectUrl);
    if (current !== undefined && !current.committed && current.mainRequestId === event.requestId && target !== undefined) {
      current.url = event.redirectUrl;
      current.origin = originOf(event.redirectUrl);
      current.mainDomain = target;
      markMeta(tracker, event.tabId);
    }
  }
}

export function onRequestEnded(tracker: Tracker, event: RequestEvent, failed: boolean): void {
  const host = hostOf(event.url);
  if (host === undefined) return;
  for (const view of targetViews(tracker, event, false)) {
    const record = view.domains.get(host);
    if (record === undefined) continue;
    const index = record.inflight.indexOf(event.requestId);
    if (index !== -1) record.inflight.splice(index, 1);
    const tabId = tabIdOfView(tracker, event, view);
    if (failed) {
      record.errors++;
      countOnTimeline(view.live, event.time, 'failed');
      markLive(tracker, tabId, view);
    }
    markDomain(tracker, tabId, view, record);
  }
  if (failed && event.type === 'main_frame' && event.tabId >= 0) {
    const tab = tracker.tabs.get(event.tabId);
    // A navigation that failed before commit (download, 204, aborted) leaves the old page showing.
    if (tab?.previous !== undefined && !tab.current.committed && tab.current.mainRequestId === event.requestId) {
      dropView(tracker, event.tabId, tab.current);
      tab.current = tab.previous;
      delete tab.previous;
      markMeta(tracker, event.tabId);
    }
  }
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

/**
 * The browser's resolver answered for a domain of a page view (the optional DNS check): its IPv6
 * addresses are kept on the domain. A view that is gone by now takes nothing.
 */
export function recordDnsAnswer(tracker: Tracker, tabId: number, viewId: string, domain: string, addresses: readonly string[]): void {
  const tab = tracker.tabs.get(tabId);
  const view = tab?.current.id === viewId ? tab.current : tab?.previous?.id === viewId ? tab.previous : undefined;
  const record = view?.domains.get(domain);
  if (view === undefined || record === undefined) return;
  record.dnsIpv6 = ipv6In(addresses, tracker.describe);
  markDomain(tracker, tabId, view, record);
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
}

/** Drops a tab's state; its views have ended unless they move to another tab id. */
function forgetTab(tracker: Tracker, tabId: number, ended: boolean): void {
  const tab = tracker.tabs.get(tabId);
  if (tab === undefined) return;
  dropView(tracker, tabId, tab.current, ended);
  if (tab.previous !== undefined) dropView(tracker, tabId, tab.previous, ended);
  tracker.tabs.delete(tabId);
  tracker.changes.metas.delete(tabId);
  tracker.changes.removed.add(tabKey(tabId));
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
  const moved: TabState = { ...moving, tabId: addedTabId };
  tracker.tabs.set(addedTabId, moved);
  markMeta(tracker, addedTabId);
  for (const view of [moved.current, moved.previous]) {
    if (view === undefined) continue;
    for (const record of view.domains.values()) markDomain(tracker, addedTabId, view, record);
    markLive(tracker, addedTabId, view);
  }
}
