/**
 * The one map of messages between the pages and the background; both sides import only this.
 * A page opens a port whose name carries the message and its request (no extra round trip before
 * the first answer), and receives responses on it: the first at once, then one after every batch
 * that changed what it asked about.
 */
import type { ViewConfig } from './settings';
import type { TabReport } from './snapshot';

export interface MessageMap {
  /**
   * Follow a tab: its report now and after each change (throttled to the batch interval). Until
   * `allRows` arrives, reports hold only the first screen of rows, so the first answer is quick.
   */
  watchTab: { request: { tabId: number }; response: { report: TabReport; config: ViewConfig } };
  /** Posted on a watchTab port once the first screen is painted: every row from now on. */
  allRows: { request: { allRows: true }; response: { report: TabReport; config: ViewConfig } };
}

export type MessageName = keyof MessageMap;
export type RequestOf<K extends MessageName> = MessageMap[K]['request'];
export type ResponseOf<K extends MessageName> = MessageMap[K]['response'];

export function isWatchTabRequest(value: unknown): value is RequestOf<'watchTab'> {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { tabId?: unknown }).tabId);
}

export function isAllRowsRequest(value: unknown): value is RequestOf<'allRows'> {
  return typeof value === 'object' && value !== null && (value as { allRows?: unknown }).allRows === true;
}

const NAME_SEPARATOR = ':';

/** The port name for a request: "watchTab:{\"tabId\":3}". */
export function portName<K extends MessageName>(name: K, request: RequestOf<K>): string {
  return `${name}${NAME_SEPARATOR}${JSON.stringify(request)}`;
}

/** Splits a port name back into message name and (unchecked) request; undefined if malformed. */
export function parsePortName(name: string): { name: string; request: unknown } | undefined {
  const at = name.indexOf(NAME_SEPARATOR);
  if (at <= 0) return undefined;
  try {
    return { name: name.slice(0, at), request: JSON.parse(name.slice(at + 1)) as unknown };
  } catch {
    return undefined;
  }
}
