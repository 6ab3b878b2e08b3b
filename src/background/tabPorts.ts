/**
 * What the two kinds of port a page opens on a tab (watchTab for reports, watchRequests for the
 * request log) share: which tab a port follows, the set of ports per tab, and posting to a page
 * that may have closed.
 */
import type { Runtime } from 'webextension-polyfill';
import { isWatchTabRequest, parsePortName, type MessageName, type RequestOf } from '../core/messages';

/**
 * The request a port named for `name` carries, or undefined when the port is for another message;
 * a port of this name with a malformed request is disconnected.
 */
export function portRequest(port: Runtime.Port, name: Extract<MessageName, 'watchTab' | 'watchRequests'>): RequestOf<'watchTab'> | undefined {
  const parsed = parsePortName(port.name);
  if (parsed?.name !== name) return undefined;
  if (!isWatchTabRequest(parsed.request)) {
    port.disconnect();
    return undefined;
  }
  return parsed.request;
}

/** Adds a page to its tab's set, and takes it out (with the set once empty) when its port closes. */
export function followTab<W extends { port: Runtime.Port }>(watchers: Map<number, Set<W>>, tabId: number, watcher: W): Set<W> {
  let set = watchers.get(tabId);
  if (set === undefined) watchers.set(tabId, (set = new Set()));
  const own = set;
  own.add(watcher);
  watcher.port.onDisconnect.addListener(() => {
    own.delete(watcher);
    if (own.size === 0 && watchers.get(tabId) === own) watchers.delete(tabId);
  });
  return own;
}

export function postToPage(port: Runtime.Port, message: unknown): void {
  try {
    port.postMessage(message);
  } catch {
    // The page closed between the batch and the post.
  }
}
