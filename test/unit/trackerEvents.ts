/** Event factories shared by the tracker and persistence tests: one clock, unique request ids. */
import { createTracker, onCommitted, onRequestEnded, onRequestStarted, onResponseStarted, type RequestEvent, type ResponseEvent, type Tracker } from '../../src/core/tab/tracker';

let clock = 1_000;
let requestCounter = 0;

/** The next moment: every event gets a later time than the one before. */
export const tick = (): number => ++clock;

/** A tracker whose view ids are `${prefix}1`, `${prefix}2`, … in creation order. */
export function newTracker(prefix = 'v'): Tracker {
  let n = 0;
  return createTracker(() => `${prefix}${++n}`);
}

export function request(url: string, over: Partial<RequestEvent> = {}): RequestEvent {
  return { requestId: `r${++requestCounter}`, tabId: 1, url, type: 'script', frameId: 0, time: tick(), ...over };
}

export function response(req: RequestEvent, ip?: string, over: Partial<ResponseEvent> = {}): ResponseEvent {
  const event: ResponseEvent = { ...req, time: tick(), fromCache: false, ...over };
  if (ip !== undefined) event.ip = ip;
  return event;
}

/** A complete request: start, response, successful end. */
export function load(t: Tracker, url: string, ip: string | undefined, over: Partial<RequestEvent> = {}, extra: Partial<ResponseEvent> = {}): RequestEvent {
  const req = request(url, over);
  onRequestStarted(t, req);
  onResponseStarted(t, response(req, ip, extra));
  onRequestEnded(t, req, false);
  return req;
}

/** A top-level navigation that completes and commits. */
export function navigate(t: Tracker, tabId: number, url: string, ip: string, documentId: string): RequestEvent {
  const req = request(url, { tabId, type: 'main_frame' });
  onRequestStarted(t, req);
  onResponseStarted(t, response(req, ip));
  onCommitted(t, { tabId, frameId: 0, url, documentId, time: tick() });
  onRequestEnded(t, req, false);
  return req;
}
