/**
 * Response recording: a request's start, its response (address, family, class, bytes, protocol,
 * timeline and switches), its redirect and its end, on the page views it belongs to; and the
 * address remembered for cache hits the browser reports without one.
 */
import type { Family } from '../address/address';
import { recallAddress, rememberAddress } from '../address/addressMemory';
import { ipv6In } from '../address/dnsCheck';
import { countOnTimeline, countRecent, noteNetworkAnswer, seriesOfFamily } from '../live/live';
import { dropView, markDomain, markLive, markMeta } from './changeLog';
import { Flag, domainFamily, noteInflight, type AddressStat, type DomainRecord, type PageView } from './model';
import type { ReportedProxy } from '../proxy/reportedProxy';
import { noteLearnablePrefix } from './nat64Relabel';
import { httpVersionOf } from '../requests/requestLog';
import { noteRequestEnd, noteRequestStart, noteResponse } from '../requests/trackRequests';
import { domainIn, makeView, startView, tabIdOfView, targetViews } from './pageViews';
import type { EndEvent, RedirectEvent, RequestEvent, ResponseEvent, Tracker } from './tracker';
import { hostOf, isSecureScheme, originOf } from './url';
import { isPrivateTab, memoryOfTab, notePrivacyOfEvent } from './privateTabs';
import { noteNat64 } from '../readiness/ipv6Health';
import { noteNativeIpv6, noteWatching } from '../readiness/nativeIpv6';

/**
 * A main-frame request of the navigation the view already committed: the browser told of the
 * commit first (Firefox does, webNavigation and webRequest being separate channels). Either the
 * commit came with no request seen and this one started before it, or it is a redirect hop of the
 * view's own main request (hops share its request id), which may come after the commit.
 */
function isLateRequestOfCommit(view: PageView, event: RequestEvent): boolean {
  if (!view.committed || view.partial) return false;
  if (view.mainRequestId !== undefined) return view.mainRequestId === event.requestId;
  return event.time <= view.startedAt;
}

function isSpeculativeMainFrame(event: RequestEvent): boolean {
  return event.type === 'main_frame' && event.documentId !== undefined;
}

export function onRequestStarted(tracker: Tracker, event: RequestEvent): void {
  const host = hostOf(event.url);
  if (host === undefined) return;
  notePrivacyOfEvent(tracker, event);
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
    noteInflight(record, event.requestId);
    const tabId = tabIdOfView(tracker, event, view);
    markDomain(tracker, tabId, view, record);
    noteRequestStart(tracker, tabId, view, event);
  }
}

/**
 * For a cache hit the browser reported without an address: the one the domain last answered from
 * in a tab of the same kind (a private tab has its own memory, see privateTabs.ts).
 */
function rememberedAddressOf(tracker: Tracker, tabId: number, domain: string, event: ResponseEvent): string | undefined {
  if (!event.fromCache) return undefined;
  const target = memoryOfTab(tracker, tabId, false);
  if (target === undefined) return undefined;
  const ip = recallAddress(target.memory, domain, event.time);
  if (ip !== undefined && target.shared) tracker.changes.addresses.add(domain);
  return ip;
}

/** Only the shared memory is stored (`a:` keys); a private tab's stays in memory and goes with the tab. */
function rememberNetworkAddress(tracker: Tracker, tabId: number, domain: string, address: string, time: number): void {
  const target = memoryOfTab(tracker, tabId, true);
  if (target === undefined) return;
  const dropped = rememberAddress(target.memory, domain, address, time);
  if (!target.shared) return;
  tracker.changes.addresses.add(domain);
  if (dropped === undefined) return;
  tracker.changes.addresses.delete(dropped);
  tracker.changes.removed.push({ kind: 'address', domain: dropped });
}

/** Answers through a proxy say nothing of the server's family: the address is the proxy's. */
function markProxied(stat: AddressStat, proxy: ReportedProxy): void {
  stat.proxy = proxy;
  delete stat.family;
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
  // Through a proxy that gave no address, the proxy's host names the hop.
  const reported = event.ip !== undefined && event.ip !== '' ? event.ip : event.proxy?.host;
  const ip = reported ?? rememberedAddressOf(tracker, tabId, record.domain, event);
  if (ip !== undefined) {
    const address = tracker.describe(ip);
    // An address the parser refuses is kept as given (shown as unparseable), never dropped.
    const key = address?.canonical ?? ip;
    let stat = record.addresses[key];
    if (stat === undefined) {
      // A private tab teaches nothing: learned prefixes are kept in storage.local.
      if (address?.family === 6 && event.proxy === undefined && !isPrivateTab(tracker, tabId)) noteLearnablePrefix(tracker, tabId, record.domain, key);
      // Unparseable text gets no family: a colon in it says nothing about the server.
      stat = { responses: 0, cached: 0, bytes: 0, unsized: 0, firstSeen: event.time, lastSeen: event.time };
      if (address !== undefined) stat.family = address.family;
      record.addresses[key] = stat;
    }
    if (event.proxy !== undefined) markProxied(stat, event.proxy);
    const isNewAddress = stat.responses === 0;
    stat.responses++;
    stat.lastSeen = event.time;
    answered = stat.family;
    if (event.fromCache) {
      stat.cached++;
      if (reported === undefined) stat.remembered = (stat.remembered ?? 0) + 1;
    } else {
      // A proxy's address is never lent to later cache hits: it would read as the server's.
      if (address !== undefined && stat.proxy === undefined) rememberNetworkAddress(tracker, tabId, record.domain, key, event.time);
      if (size === undefined) stat.unsized++;
      else stat.bytes += size;
      // Switches are between addresses of known family; an unparseable answer is not one.
      if (stat.family !== undefined) {
        // Evidence that IPv6 works here (a host's fallback): a normal tab's own answer, never a private tab's nor a proxy's.
        if (tabId >= 0 && !isPrivateTab(tracker, tabId)) {
          if (noteWatching(tracker.nativeIpv6, event.time)) tracker.changes.nativeIpv6 = true;
          if (stat.family === 6 && stat.proxy === undefined && noteNativeIpv6(tracker.nativeIpv6, event.time)) tracker.changes.nativeIpv6 = true;
          // Through NAT64 (family 4, an IPv6 address): the health line's evidence, in memory only.
          if (stat.proxy === undefined && address?.nat64Prefix !== undefined) noteNat64(tracker.nativeIpv6, event.time, address.nat64Prefix);
        }
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
  notePrivacyOfEvent(tracker, event);
  for (const view of targetViews(tracker, event, true)) {
    const record = domainIn(view, host, event.time);
    const tabId = tabIdOfView(tracker, event, view);
    recordResponse(tracker, tabId, view, record, event);
    markDomain(tracker, tabId, view, record);
    noteResponse(tracker, tabId, view, event);
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

export function onRequestEnded(tracker: Tracker, event: EndEvent, failed: boolean): void {
  const host = hostOf(event.url);
  if (host === undefined) return;
  for (const view of targetViews(tracker, event, false)) {
    noteRequestEnd(tracker, tabIdOfView(tracker, event, view), view, event, failed);
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

/** The page view of a tab a DNS answer is for, and its record of the domain; undefined once gone. */
function dnsTarget(tracker: Tracker, tabId: number, viewId: string, domain: string): { view: PageView; record: DomainRecord } | undefined {
  const tab = tracker.tabs.get(tabId);
  const view = tab?.current.id === viewId ? tab.current : tab?.previous?.id === viewId ? tab.previous : undefined;
  const record = view?.domains.get(domain);
  return view === undefined || record === undefined ? undefined : { view, record };
}

/**
 * The resolver answered for a domain of a page view (the optional DNS check): its IPv6
 * addresses are kept on the domain. A view that is gone by now takes nothing.
 */
export function recordDnsAnswer(tracker: Tracker, tabId: number, viewId: string, domain: string, addresses: readonly string[]): void {
  const target = dnsTarget(tracker, tabId, viewId, domain);
  if (target === undefined) return;
  target.record.dnsIpv6 = ipv6In(addresses, tracker.describe);
  delete target.record.dnsLookupFailed;
  markDomain(tracker, tabId, target.view, target.record);
}

/** The DNS check's look-up failed (error, timeout, an answer refused): no evidence, and not asked again in this view. */
export function recordDnsFailure(tracker: Tracker, tabId: number, viewId: string, domain: string): void {
  const target = dnsTarget(tracker, tabId, viewId, domain);
  if (target === undefined || target.record.dnsIpv6 !== undefined) return;
  target.record.dnsLookupFailed = true;
  markDomain(tracker, tabId, target.view, target.record);
}
