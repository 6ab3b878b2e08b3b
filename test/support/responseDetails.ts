/** A webRequest response event's details as the browser gives them, with `over` on top. */
import type { WebRequest } from 'webextension-polyfill';

export const responseDetails = (over: Partial<WebRequest.OnResponseStartedDetailsType> = {}): WebRequest.OnResponseStartedDetailsType => ({
  requestId: '1',
  url: 'https://a.example/x',
  method: 'GET',
  frameId: 0,
  parentFrameId: -1,
  tabId: 3,
  type: 'script',
  timeStamp: 10,
  fromCache: false,
  statusCode: 200,
  statusLine: 'HTTP/1.1 200 OK',
  thirdParty: false,
  urlClassification: { firstParty: [], thirdParty: [] },
  ...over,
});
