/**
 * Service worker entry. Every listener is registered synchronously at top level so that an event
 * which wakes a stopped worker is delivered; each one hands its event to the core via withTracker.
 */
import browser from 'webextension-polyfill';
import {
  onCommitted,
  onRedirect,
  onRequestEnded,
  onRequestStarted,
  onResponseStarted,
  onTabRemoved,
  onTabReplaced,
  setPartialViewUrl,
} from '../core/tracker';
import { commitEvent, redirectEvent, requestEvent, responseEvent } from './adapt';
import { forgetAppliedIcon, updateIcons } from './icon';
import { onBatch, withTracker } from './state';
import { onWatchConnect, pushToWatchers } from './watchers';

// Firefox alone has getBrowserInfo, and alone reports the real HTTP version in statusLine.
const trustStatusLine = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
const ALL_URLS = { urls: ['<all_urls>'] };

browser.webRequest.onBeforeRequest.addListener((details) => {
  withTracker((tracker) => onRequestStarted(tracker, requestEvent(details)));
  return undefined;
}, ALL_URLS);
browser.webRequest.onBeforeRedirect.addListener((details) => {
  withTracker((tracker) => onRedirect(tracker, redirectEvent(details, trustStatusLine)));
}, ALL_URLS);
browser.webRequest.onResponseStarted.addListener((details) => {
  withTracker((tracker) => onResponseStarted(tracker, responseEvent(details, trustStatusLine)));
}, ALL_URLS);
browser.webRequest.onCompleted.addListener((details) => {
  withTracker((tracker) => onRequestEnded(tracker, requestEvent(details), false));
}, ALL_URLS);
browser.webRequest.onErrorOccurred.addListener((details) => {
  withTracker((tracker) => onRequestEnded(tracker, requestEvent(details), true));
}, ALL_URLS);

browser.webNavigation.onBeforeNavigate.addListener((details) => {
  if (details.frameId === 0) forgetAppliedIcon(details.tabId);
});
browser.webNavigation.onCommitted.addListener((details) => {
  if (details.frameId === 0) forgetAppliedIcon(details.tabId);
  withTracker((tracker) => onCommitted(tracker, commitEvent(details)));
});

browser.tabs.onRemoved.addListener((tabId) => {
  forgetAppliedIcon(tabId);
  withTracker((tracker) => onTabRemoved(tracker, tabId));
});
browser.tabs.onReplaced.addListener((addedTabId, removedTabId) => {
  forgetAppliedIcon(addedTabId);
  withTracker((tracker) => onTabReplaced(tracker, addedTabId, removedTabId));
});
// Chrome clears a tab's action icon and title when a new document commits (handled above), not
// when loading completes: nothing to re-send here.
browser.tabs.onUpdated.addListener((tabId, changeInfo) => {
  const url = changeInfo.url;
  if (url !== undefined) withTracker((tracker) => setPartialViewUrl(tracker, tabId, url));
});

browser.runtime.onConnect.addListener(onWatchConnect);

// Views that started mid-page learn their page's URL from the tab, once.
const askedForUrl = new Set<number>();
onBatch((tracker, changes) => {
  updateIcons(tracker, changes.touched);
  pushToWatchers(tracker, changes.touched);
  for (const tabId of changes.touched) {
    const view = tracker.tabs.get(tabId)?.current;
    if (view?.partial !== true || view.url !== undefined || askedForUrl.has(tabId)) continue;
    askedForUrl.add(tabId);
    browser.tabs
      .get(tabId)
      .then((tab) => {
        const url = tab.url;
        if (url !== undefined) withTracker((t) => setPartialViewUrl(t, tabId, url));
      })
      .catch(() => undefined);
  }
});
