/**
 * storage.session layout: one small key per tab and one per domain, so a batch writes only what
 * changed. The view id in domain keys means a new page view never overwrites an old one's keys.
 */

export const TAB_KEY_PREFIX = 't:';
export const DOMAIN_KEY_PREFIX = 'd:';
export const LIVE_KEY_PREFIX = 'l:';
/** A domain's remembered address (see addressMemory.ts): tab-independent, one key per domain. */
export const ADDRESS_KEY_PREFIX = 'a:';
/** When this browser reached IPv6 natively (core/readiness/nativeIpv6.ts): one key. */
export const NATIVE_IPV6_KEY = 'nativeIpv6';

export function tabKey(tabId: number): string {
  return `${TAB_KEY_PREFIX}${tabId}`;
}

export function domainKey(tabId: number, viewId: string, domain: string): string {
  return `${DOMAIN_KEY_PREFIX}${tabId}:${viewId}:${domain}`;
}

export function addressKey(domain: string): string {
  return `${ADDRESS_KEY_PREFIX}${domain}`;
}

/** A page view's timeline and switches. */
export function liveKey(tabId: number, viewId: string): string {
  return `${LIVE_KEY_PREFIX}${tabId}:${viewId}`;
}

export function parseTabKey(key: string): number | undefined {
  if (!key.startsWith(TAB_KEY_PREFIX)) return undefined;
  const rest = key.slice(TAB_KEY_PREFIX.length);
  const tabId = Number(rest);
  // Only the text tabKey writes: "t:1e3" or "t: 1" is not the key of tab 1000 or 1.
  return Number.isInteger(tabId) && String(tabId) === rest ? tabId : undefined;
}

export function parseLiveKey(key: string): { tabId: number; viewId: string } | undefined {
  if (!key.startsWith(LIVE_KEY_PREFIX)) return undefined;
  const rest = key.slice(LIVE_KEY_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  const tabId = Number(rest.slice(0, colon));
  if (!Number.isInteger(tabId)) return undefined;
  return { tabId, viewId: rest.slice(colon + 1) };
}

export function parseDomainKey(key: string): { tabId: number; viewId: string; domain: string } | undefined {
  if (!key.startsWith(DOMAIN_KEY_PREFIX)) return undefined;
  const rest = key.slice(DOMAIN_KEY_PREFIX.length);
  const first = rest.indexOf(':');
  const second = rest.indexOf(':', first + 1);
  if (first === -1 || second === -1) return undefined;
  const tabId = Number(rest.slice(0, first));
  if (!Number.isInteger(tabId)) return undefined;
  return { tabId, viewId: rest.slice(first + 1, second), domain: rest.slice(second + 1) };
}

/** A chunk of a page view's per-request log (core/requests/requestCodec.ts names these keys). */
export const REQUEST_CHUNK_PREFIX = 'r:';

/** The tab a tab, domain, live or request-log key belongs to; undefined for other keys. */
export function tabIdOfKey(key: string): number | undefined {
  const prefix = key.slice(0, 2);
  if (prefix !== TAB_KEY_PREFIX && prefix !== DOMAIN_KEY_PREFIX && prefix !== LIVE_KEY_PREFIX && prefix !== REQUEST_CHUNK_PREFIX) return undefined;
  const end = key.indexOf(':', 2);
  const text = end === -1 ? key.slice(2) : key.slice(2, end);
  const tabId = Number(text);
  return text !== '' && Number.isInteger(tabId) ? tabId : undefined;
}

/**
 * The time a view id was made (ms; ids begin with Date.now() in base 36, see background/state.ts),
 * or 0 for an id that does not: stored times of a view are relative to it, so its keys decode
 * without its tab's key.
 */
export function timeBaseOfView(viewId: string): number {
  const dot = viewId.indexOf('.');
  const time = dot <= 0 ? NaN : parseInt(viewId.slice(0, dot), 36);
  return Number.isSafeInteger(time) && time > 0 && /^[0-9a-z]+$/.test(viewId.slice(0, dot)) ? time : 0;
}
