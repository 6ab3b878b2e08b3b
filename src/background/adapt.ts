/** webRequest / webNavigation details → the core's plain event shapes. */
import type { WebNavigation, WebRequest } from 'webextension-polyfill';
import { reportedProxyOf } from '../core/proxy/reportedProxy';
import { declaredBodySize } from '../core/tab/bodySize';
import { isHeaderName } from '../core/tab/headerName';
import type { CommitEvent, EndEvent, RedirectEvent, RequestEvent, ResponseEvent } from '../core/tab/tracker';
import { originOf } from '../core/tab/url';
import { CutField, MAX_HEADER_VALUE_LENGTH, MAX_URL_LENGTH, cutMarked, cutText } from '../core/tab/caps';

/** Fields that the polyfill's types do not list: Chrome's document and initiator, Firefox's proxy and private flag. */
interface DetailsExtras {
  documentId?: string;
  initiator?: string;
  proxyInfo?: unknown;
  /** Firefox: the request is a private window's. Chrome does not say (the tabs API does). */
  incognito?: unknown;
}

type AnyRequestDetails = WebRequest.OnBeforeRequestDetailsType & DetailsExtras;
type AnyResponseDetails = WebRequest.OnResponseStartedDetailsType & DetailsExtras;

/** A URL as IPvLens keeps it (see core/tab/caps.ts): a tab's, a view's, a request's. */
export const keptUrl = (url: string): string => cutText(url, MAX_URL_LENGTH);

/**
 * What a page sends is cut here (core/tab/caps.ts), so that nothing long is held anywhere past
 * this point: the event's values are short copies, never slices of the browser's strings.
 */
export function requestEvent(details: AnyRequestDetails): RequestEvent {
  // Chrome names the initiating origin; Firefox gives the URL of the document or worker.
  const initiator = details.initiator ?? originOf(keptUrl(details.documentUrl ?? details.originUrl ?? ''));
  const marks: { cut?: number } = {};
  const event: RequestEvent = {
    requestId: details.requestId,
    tabId: details.tabId,
    url: cutMarked(details.url, MAX_URL_LENGTH, CutField.url, marks),
    type: details.type,
    frameId: details.frameId,
    time: details.timeStamp,
  };
  if (details.documentId !== undefined) event.documentId = details.documentId;
  if (initiator !== undefined && initiator !== 'null') event.initiator = keptUrl(initiator);
  if (typeof details.method === 'string') event.method = cutMarked(details.method, MAX_HEADER_VALUE_LENGTH, CutField.method, marks);
  if (typeof details.incognito === 'boolean') event.incognito = details.incognito;
  if (marks.cut !== undefined) event.cut = marks.cut;
  return event;
}

/** A request's end; `error` (onErrorOccurred) is the browser's reason. */
export function endEvent(details: AnyRequestDetails & { error?: string }): EndEvent {
  const event: EndEvent = requestEvent(details);
  if (typeof details.error === 'string') event.error = cutText(details.error, MAX_HEADER_VALUE_LENGTH);
  return event;
}

/** The two headers the per-request log keeps, raw (the first of each). */
function readHeaders(event: ResponseEvent, headers: WebRequest.HttpHeaders | undefined): void {
  if (headers === undefined) return;
  for (const header of headers) {
    if (header.value === undefined) continue;
    if (event.contentLength === undefined && isHeaderName(header.name, 'content-length')) event.contentLength = cutMarked(header.value, MAX_HEADER_VALUE_LENGTH, CutField.contentLength, event);
    else if (event.contentType === undefined && isHeaderName(header.name, 'content-type')) event.contentType = cutMarked(header.value, MAX_HEADER_VALUE_LENGTH, CutField.contentType, event);
  }
}

/**
 * @param trustStatusLine Chrome writes "HTTP/1.1" in statusLine whatever the protocol
 *   (crbug 41432835), so only browsers that report it truthfully pass it on.
 */
export function responseEvent(details: AnyResponseDetails, trustStatusLine: boolean): ResponseEvent {
  const event: ResponseEvent = { ...requestEvent(details), fromCache: details.fromCache };
  // Firefox gives null (not undefined) for a response served from its cache.
  if (typeof details.ip === 'string' && details.ip !== '') event.ip = details.ip;
  if (trustStatusLine && details.statusLine !== undefined) event.statusLine = cutMarked(details.statusLine, MAX_HEADER_VALUE_LENGTH, CutField.statusText, event);
  const bodyBytes = declaredBodySize({ method: details.method, statusCode: details.statusCode, headers: details.responseHeaders });
  if (bodyBytes !== undefined) event.bodyBytes = bodyBytes;
  const proxy = reportedProxyOf(details.proxyInfo);
  if (proxy !== undefined) event.proxy = proxy;
  if (typeof details.statusCode === 'number') event.statusCode = details.statusCode;
  readHeaders(event, details.responseHeaders);
  return event;
}

export function redirectEvent(
  details: WebRequest.OnBeforeRedirectDetailsType & DetailsExtras,
  trustStatusLine: boolean,
): RedirectEvent {
  const event: RedirectEvent = { ...responseEvent(details, trustStatusLine), redirectUrl: '' };
  event.redirectUrl = cutMarked(details.redirectUrl, MAX_URL_LENGTH, CutField.redirectUrl, event);
  return event;
}

export function commitEvent(details: WebNavigation.OnCommittedDetailsType & DetailsExtras): CommitEvent {
  const event: CommitEvent = { tabId: details.tabId, frameId: details.frameId, url: keptUrl(details.url), time: details.timeStamp };
  if (details.documentId !== undefined) event.documentId = details.documentId;
  return event;
}
