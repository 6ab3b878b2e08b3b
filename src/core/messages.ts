/**
 * The one map of messages between the pages and the background; both sides import only this.
 * A page opens a port named after a message, posts its request, and receives responses on it:
 * the first at once, then one after every batch that changed what it asked about.
 */
import type { TabReport } from './snapshot';

export interface MessageMap {
  /** Follow a tab: its report now and after each change (throttled to the batch interval). */
  watchTab: { request: { tabId: number }; response: { report: TabReport } };
}

export type MessageName = keyof MessageMap;
export type RequestOf<K extends MessageName> = MessageMap[K]['request'];
export type ResponseOf<K extends MessageName> = MessageMap[K]['response'];

export function isWatchTabRequest(value: unknown): value is RequestOf<'watchTab'> {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { tabId?: unknown }).tabId);
}
