/** The one map of messages between the pages and the background. Both sides import only this. */
import type { TabReport } from './snapshot';

export interface MessageMap {
  /** One-shot read of a tab's report. */
  getTabReport: { request: { tabId: number }; response: TabReport };
}

export type MessageName = keyof MessageMap;

export interface Envelope<K extends MessageName = MessageName> {
  type: K;
  request: MessageMap[K]['request'];
}

/** A live subscription: the page opens a port of this name and posts `WatchRequest`. */
export const WATCH_PORT = 'ipvlens-watch';

export interface WatchRequest {
  tabId: number;
}

/** Pushed over the port at once and then whenever the tab changes (throttled). */
export interface WatchUpdate {
  report: TabReport;
}

export function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
