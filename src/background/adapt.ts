/** webRequest / webNavigation details → the core's plain event shapes. */
import type { WebNavigation, WebRequest } from 'webextension-polyfill';
import { reportedProxyOf } from '../core/proxy/reportedProxy';
import { declaredBodySize } from '../core/tab/bodySize';
import { isHeaderName } from '../core/tab/headerName';
import type { CommitEvent, EndEvent, RedirectEvent, RequestEvent, ResponseEvent } from '../core/tab/tracker';
import { originOf } from '../core/tab/url';

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

export function requestEvent(details: AnyRequestDetails): RequestEvent {
  // Chrome names the initiating origin; Firefox gives the URL of the document or worker.
  const initiator = details.initiator ?? originOf(details.documentUrl ?? details.originUrl ?? '');
  const event: RequestEvent = {
    requestId: details.requestId,
    tabId: details.tabId,
    url: details.url,
    type: details.type,
    frameId: details.frameId,
    time: details.timeStamp,
  };
  if (details.documentId !== undefined) event.documentId = details.documentId;
  if (initiator !== undefined && initiator !== 'null') event.initiator = initiator;
  if (typeof details.method === 'string') event.method = details.method;
  if (typeof details.incognito === 'boolean') event.incognito = details.incognito;
  return event;
}

/** A request's end; `error` (onErrorOccurred) is the browser's reason. */
export function endEvent(details: AnyRequestDetails & { error?: string }): EndEvent {
  const event: EndEvent = requestEvent(details);
  if (typeof details.error === 'string') event.error = details.error;
  return event;
}

/** The two headers the per-request log keeps, raw (the first of each). */
function readHeaders(event: ResponseEvent, headers: WebRequest.HttpHeaders | undefined): void {
  if (headers === undefined) return;
  for (const header of headers) {
    if (header.value === undefined) continue;
    if (event.contentLength === undefined && isHeaderName(header.name, 'content-length')) event.contentLength = header.value;
    else if (event.contentType === undefined && isHeaderName(header.name, 'content-type')) event.contentType = header.value;
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
  if (trustStatusLine && details.statusLine !== undefined) event.statusLine = details.statusLine;
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
  return { ...responseEvent(details, trustStatusLine), redirectUrl: details.redirectUrl };
}

export function commitEvent(details: WebNavigation.OnCommittedDetailsType & DetailsExtras): CommitEvent {
  const event: CommitEvent = { tabId: details.tabId, frameId: details.frameId, url: details.url, time: details.timeStamp };
  if (details.documentId !== undefined) event.documentId = details.documentId;
  return event;
}
