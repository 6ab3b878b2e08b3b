/**
 * The one map of messages between the pages and the background; both sides import only this.
 * A page opens a port whose name carries the message and its request (no extra round trip before
 * the first answer), and receives responses on it: the first at once, then one after every batch
 * that changed what it asked about.
 */
import type { SiteRecord } from './history/siteRecord';
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
  /**
   * Site history changes go through the background, its one writer (it folds page views into the
   * same records): delete some sites or all, or merge records read from an imported file.
   */
  historyDelete: { request: { sites: string[] } | { all: true }; response: HistoryOutcome<{ removed: number }> };
  historyImport: { request: { records: SiteRecord[] }; response: HistoryOutcome<{ added: number; replaced: number; unchanged: number; evicted: number }> };
}

export type HistoryOutcome<T> = ({ ok: true } & T) | { ok: false; error: string };

/** Messages sent once with runtime.sendMessage, each answered once. */
export type OneShotName = 'historyDelete' | 'historyImport';
export interface OneShot<K extends OneShotName = OneShotName> {
  message: K;
  request: RequestOf<K>;
}

export function isOneShot(value: unknown): value is OneShot {
  if (typeof value !== 'object' || value === null) return false;
  const { message, request } = value as { message?: unknown; request?: unknown };
  return (message === 'historyDelete' || message === 'historyImport') && typeof request === 'object' && request !== null;
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
