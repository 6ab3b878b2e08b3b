/**
 * The per-tab state machine. Browser events, already reduced to the plain shapes below, go in;
 * the state changes in place (no copies on the per-request path) and every change is logged in
 * `changes`, which the background drains to persist, redraw the icon and update open popups.
 *
 * Split by concern: page views and navigation (pageViews.ts), response recording (responses.ts),
 * NAT64 re-labelling (nat64Relabel.ts), the change log (changeLog.ts). Here: the events, the
 * tracker itself, and the one import the rest of the code uses.
 */
import { createDescriber, type Describer } from '../address/addressClass';
import type { AddressMemory } from '../address/addressMemory';
import { DEFAULT_NAT64_PREFIXES, type Nat64Prefix } from '../address/nat64';
import type { ReportedProxy } from '../proxy/reportedProxy';
import { newNativeIpv6Seen, type NativeIpv6Seen } from '../readiness/nativeIpv6';
import type { RequestLog } from '../requests/requestLog';
import { newChangeLog, type ChangeLog } from './changeLog';
import type { PageView, TabState } from './model';

// The tracker's parts, one concern each; this module is where the rest of the code finds them.
export { drainChanges, drainShownChanges, drainStoredChanges, markNotKept, newChangeLog, touchAllTabs, type ChangeLog, type Removal, type ViewRef } from './changeLog';
export { setNat64Prefixes } from './nat64Relabel';
export { onCommitted, onTabRemoved, onTabReplaced, setPartialViewUrl } from './pageViews';
export { onRedirect, onRequestEnded, onRequestStarted, onResponseStarted, recordDnsAnswer, recordDnsFailure } from './responses';
export { isPrivateTab, noteTabPrivacy } from './privateTabs';

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
  /** The HTTP method (the per-request log); absent on events that do not say. */
  method?: string;
  /** The request is a private window's (Firefox says so on every event; Chrome never does). */
  incognito?: boolean;
  /** Which of the event's values were cut to their cap (CutField bits, core/tab/caps.ts). */
  cut?: number;
}

/** A request's end: `error` is the browser's text when it failed. */
export interface EndEvent extends RequestEvent {
  error?: string;
}

export interface ResponseEvent extends RequestEvent {
  ip?: string;
  fromCache: boolean;
  /** Only where the browser reports the real protocol in it (Firefox); never Chrome's. */
  statusLine?: string;
  /** Body size the response declared (see declaredBodySize); undefined: unknown size. */
  bodyBytes?: number;
  /** The proxy the browser says it went through (Firefox); `ip` is then the proxy's address. */
  proxy?: ReportedProxy;
  /** The HTTP status code, for the per-request log. */
  statusCode?: number;
  /** Raw Content-Length and Content-Type of the response (the per-request log's headers). */
  contentLength?: string;
  contentType?: string;
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
  /**
   * Tabs known to be private (core/tab/privateTabs.ts): from the event (Firefox) or the
   * background's note (tabs API). What they see never reaches what normal tabs share.
   */
  privateTabs: Set<number>;
  /** Each private tab's own address memory (only where `memory` is kept): never stored, gone with the tab. */
  privateMemories: Map<number, AddressMemory>;
  /** Each page view's per-request log (core/requests); goes with its view. */
  requestLogs: WeakMap<PageView, RequestLog>;
  /** Bytes the request logs hold in storage, by key: they get a share of the quota, never the domains' room. */
  requestStorage: Map<string, number>;
  /** When normal tabs reached hosts over native IPv6 (core/readiness/nativeIpv6.ts): a host's fallback evidence. Stored (one session key). */
  nativeIpv6: NativeIpv6Seen;
}

export function createTracker(newViewId: () => string, prefixes: readonly Nat64Prefix[] = DEFAULT_NAT64_PREFIXES): Tracker {
  return { tabs: new Map(), changes: newChangeLog(), newViewId, prefixes, describe: createDescriber(prefixes), requestLogs: new WeakMap(), requestStorage: new Map(), privateTabs: new Set(), privateMemories: new Map(), nativeIpv6: newNativeIpv6Seen() };
}
