/**
 * The one map of messages between the pages and the background; both sides import only this.
 * A page opens a port whose name carries the message and its request (no extra round trip before
 * the first answer), and receives responses on it: the first at once, then one after every batch
 * that changed what it asked about.
 */
import type { SiteRecord } from './history/siteRecord';
import type { ViewConfig } from './settings/settings';
import type { TabSummary } from './view/snapshot';
import type { RequestLogSummary } from './requests/requestView';

export interface MessageMap {
  /**
   * Follow a tab: its report now and after each change (throttled to the batch interval). Until
   * `allRows` arrives, reports hold only the first screen of rows, so the first answer is quick.
   * With `thenAllRows` the first screen is followed at once (the worker's next task) by every row,
   * and every row from then on: no second round trip (the popup).
   */
  watchTab: { request: { tabId: number; thenAllRows?: true }; response: { report: TabSummary; config: ViewConfig } };
  /**
   * Follow a tab's per-request log (the report page's Requests view; never the popup): the log
   * now and after each batch that changed it.
   */
  watchRequests: { request: { tabId: number }; response: { requests: RequestLogSummary } };
  /** Posted on a watchTab port once the first screen is painted: every row from now on. */
  allRows: { request: { allRows: true }; response: { report: TabSummary; config: ViewConfig } };
  /**
   * Site history changes go through the background, its one writer (it folds page views into the
   * same records): delete some sites or all, or merge records read from an imported file.
   */
  historyDelete: { request: { sites: string[] } | { all: true }; response: HistoryOutcome<{ removed: number }> };
  historyImport: { request: { records: SiteRecord[] }; response: HistoryOutcome<{ added: number; replaced: number; unchanged: number; evicted: number }> };
}

export type HistoryOutcome<T> = ({ ok: true } & T) | { ok: false; error: string };

/**
 * Messages sent once with runtime.sendMessage, each answered once. The background answers them
 * from a handler map keyed by these names (background/oneShot.ts, OneShotHandlers), which the
 * compiler holds complete; the map's keys are also the names isOneShot accepts.
 */
export type OneShotName = 'historyDelete' | 'historyImport';
/** One message as sent: a union over the names, so name and request stay paired. */
export type OneShot<K extends OneShotName = OneShotName> = { [P in K]: { message: P; request: RequestOf<P> } }[K];

/** Whether `value` is a one-shot message named in `handlers` (the background's handler map). */
export function isOneShot<K extends OneShotName>(value: unknown, handlers: Readonly<Record<K, unknown>>): value is OneShot<K> {
  if (typeof value !== 'object' || value === null) return false;
  const { message, request } = value as { message?: unknown; request?: unknown };
  return typeof message === 'string' && Object.hasOwn(handlers, message) && typeof request === 'object' && request !== null;
}

export type MessageName = keyof MessageMap;
export type RequestOf<K extends MessageName> = MessageMap[K]['request'];
export type ResponseOf<K extends MessageName> = MessageMap[K]['response'];

export function isWatchTabRequest(value: unknown): value is RequestOf<'watchTab'> {
  return typeof value === 'object' && value !== null && Number.isInteger((value as { tabId?: unknown }).tabId);
}

/** The shape of a watchTab update as it arrives on the port (from this extension's background). */
export function isWatchTabResponse(value: unknown): value is ResponseOf<'watchTab'> {
  if (!isObject(value) || !isObject(value.report) || !isObject(value.config)) return false;
  const { state } = value.report;
  return (state === 'ok' ? isObject(value.report.snapshot) : state === 'not-seen' || state === 'no-tab') && isObject(value.config.settings);
}

/** The shape of a watchRequests update as it arrives on the port. */
export function isWatchRequestsResponse(value: unknown): value is ResponseOf<'watchRequests'> {
  if (!isObject(value) || !isObject(value.requests)) return false;
  const { state, rows, total, dropped } = value.requests;
  return (state === 'ok' || state === 'no-tab') && Array.isArray(rows) && isCount(total) && isCount(dropped);
}

const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

/** A history outcome: `{ ok: false, error }`, or `{ ok: true }` with each of `counts` a count. */
function isHistoryOutcome(value: unknown, counts: readonly string[]): boolean {
  if (!isObject(value)) return false;
  return value.ok === true ? counts.every((name) => isCount(value[name])) : value.ok === false && typeof value.error === 'string';
}

/** Checks of each one-shot reply, so a page reads the answer without a cast. */
export const ONE_SHOT_REPLY_CHECKS: { [K in OneShotName]: (value: unknown) => value is ResponseOf<K> } = {
  historyDelete: (value): value is ResponseOf<'historyDelete'> => isHistoryOutcome(value, ['removed']),
  historyImport: (value): value is ResponseOf<'historyImport'> => isHistoryOutcome(value, ['added', 'replaced', 'unchanged', 'evicted']),
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
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
