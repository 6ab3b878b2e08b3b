/* global chrome */
// Benchmark baseline: registers the same listeners as src/background/index.ts, with the same
// filters, but does nothing in them. What Chromium spends delivering the events to an extension
// is thus in the baseline, and the difference to IPvLens is the cost of IPvLens's own work.
const ALL_URLS = { urls: ['<all_urls>'] };
const ignore = () => undefined;
// IPvLens reads response headers (Content-Length, Content-Type) on these two.
const WITH_HEADERS = ['responseHeaders'];

chrome.webRequest.onBeforeRequest.addListener(ignore, ALL_URLS);
chrome.webRequest.onBeforeRedirect.addListener(ignore, ALL_URLS, WITH_HEADERS);
chrome.webRequest.onResponseStarted.addListener(ignore, ALL_URLS, WITH_HEADERS);
chrome.webRequest.onCompleted.addListener(ignore, ALL_URLS);
chrome.webRequest.onErrorOccurred.addListener(ignore, ALL_URLS);

chrome.webNavigation.onBeforeNavigate.addListener(ignore);
chrome.webNavigation.onCommitted.addListener(ignore);

chrome.tabs.onRemoved.addListener(ignore);
chrome.tabs.onReplaced.addListener(ignore);
chrome.tabs.onUpdated.addListener(ignore);

chrome.runtime.onConnect.addListener(ignore);
chrome.runtime.onMessage.addListener(ignore);
