/**
 * Service worker entry. Every listener is registered synchronously at top level so that an event
 * which wakes a stopped worker is delivered; each one hands its event to the core via withTracker.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  onCommitted,
  onRedirect,
  onRequestEnded,
  onRequestStarted,
  onResponseStarted,
  onTabRemoved,
  onTabReplaced,
  noteTabPrivacy,
  recordDnsAnswer,
  recordDnsFailure,
  setNat64Prefixes,
  setPartialViewUrl,
  touchAllTabs,
} from '../core/tab/tracker';
import { commitEvent, endEvent, keptUrl, redirectEvent, requestEvent, responseEvent } from './adapt';
import { trustStatusLine } from './browserTraits';
import { createDnsCheck } from './dnsCheck';
import { resolverFor } from './dnsResolvers';
import { prefixesToRemember } from './learnedPrefixes';
import { browserDns } from '../platform/dns';
import { onBrowserColorSchemeChange } from '../platform/colorScheme';
import { addLearnedPrefixes } from '../platform/storedConfig';
import { applyStorageChange, currentConfig, prefixesOf, toolbarTone } from './config';
import { forgetAppliedIcon, updateIcons } from './icon';
import { onLookupMenuClicked, createLookupMenu } from './lookupMenu';
import { oneShotAnswerer } from './oneShot';
import { browserStore } from '../platform/storage/browser';
import { history, privateTabs } from './services';
import { flushSession, onBatch, withTracker } from './state';
import { onWatchConnect, pushToWatchers } from './watchers';
import { currentProxyContext, followProxySettings } from './proxySettings';
import { onRequestWatchConnect, pushRequestLogs } from './requestWatchers';
import { onFetch, onInstall } from './popupPage';

const ALL_URLS = { urls: ['<all_urls>'] };

// Chromium: the worker serves the popup page with its rows in (popupPage.ts). Firefox runs the
// background as a page, which gets neither event.
self.addEventListener('install', onInstall);
self.addEventListener('fetch', onFetch);
// Response headers for Content-Length (bytes per family) and, with it, Content-Type (the per-request
// log and its HAR export); nothing else is read from them.
const WITH_HEADERS: ['responseHeaders'] = ['responseHeaders'];

browser.webRequest.onBeforeRequest.addListener((details) => {
  withTracker((tracker) => onRequestStarted(tracker, requestEvent(details)));
  return undefined;
}, ALL_URLS);
browser.webRequest.onBeforeRedirect.addListener((details) => {
  withTracker((tracker) => onRedirect(tracker, redirectEvent(details, trustStatusLine)));
}, ALL_URLS, WITH_HEADERS);
browser.webRequest.onResponseStarted.addListener((details) => {
  withTracker((tracker) => onResponseStarted(tracker, responseEvent(details, trustStatusLine)));
}, ALL_URLS, WITH_HEADERS);
browser.webRequest.onCompleted.addListener((details) => {
  withTracker((tracker) => onRequestEnded(tracker, endEvent(details), false));
}, ALL_URLS);
browser.webRequest.onErrorOccurred.addListener((details) => {
  withTracker((tracker) => onRequestEnded(tracker, endEvent(details), true));
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
  if (url !== undefined) withTracker((tracker) => setPartialViewUrl(tracker, tabId, keptUrl(url)));
});

browser.tabs.onCreated.addListener((tab) => {
  privateTabs.noteTab(tab);
  // The core keeps a private tab's answers apart (Chrome's events do not say; Firefox's do too).
  const tabId = tab.id;
  if (tabId !== undefined) withTracker((tracker) => noteTabPrivacy(tracker, tabId, tab.incognito));
});

// Firefox unloads an idle background page after this event: write what is pending while it still can.
// (Chrome's service worker may lack the event: the per-turn writes are what it relies on.)
(browser.runtime.onSuspend as typeof browser.runtime.onSuspend | undefined)?.addListener(() => void flushSession());

browser.runtime.onConnect.addListener(onWatchConnect);
browser.runtime.onConnect.addListener(onRequestWatchConnect);
// One-shot messages from extension pages (the history page, the options page): a handler per name.
const answerOneShot = oneShotAnswerer({ historyDelete: (request) => history.deleteHistory(request), historyImport: (request) => history.importHistory(request) });
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  sender.id === browser.runtime.id ? answerOneShot(message) : undefined,
);

// Menus persist across worker restarts; they are (re)made when the extension is installed or updated.
browser.runtime.onInstalled.addListener(() => void createLookupMenu());
browser.contextMenus.onClicked.addListener(onLookupMenuClicked);

// Settings and the history's settings; never storage.session, which the worker itself writes every turn.
browserStore.onChanged((changes, area) => {
  history.applySettingsChange(changes, area);
  const before = applyStorageChange(changes, area);
  if (before === undefined) return;
  const after = currentConfig();
  const prefixTexts = (config: typeof after): string => prefixesOf(config).map((prefix) => prefix.text).join(' ');
  if (prefixTexts(before) !== prefixTexts(after)) withTracker((tracker) => setNat64Prefixes(tracker, prefixesOf(after)));
  // A new icon style redraws icons; any settings change reaches open popups with the next report.
  if (toolbarTone(before) !== toolbarTone(after) || before.settings !== after.settings) withTracker(touchAllTabs);
}, ['local', 'sync']);
// A background page (Firefox) sees the colour scheme change itself.
onBrowserColorSchemeChange(() => withTracker(touchAllTabs));
// Chrome, once the user let IPvLens read them: a proxy in the settings confirms a suspected one.
followProxySettings(() => withTracker(touchAllTabs));

const checkUnusedIpv6 = createDnsCheck({
  resolver: () => resolverFor(currentConfig().settings, browserDns()),
  isNormalTab: privateTabs.isNormalTab,
  proxyContext: currentProxyContext,
  record: (tabId, viewId, domain, lookup) => {
    if (lookup.kind === 'failed') console.warn(`IPvLens: the DNS check's look-up of ${domain} failed (${lookup.reason})`);
    withTracker((t) => (lookup.kind === 'answer' ? recordDnsAnswer(t, tabId, viewId, domain, lookup.addresses) : recordDnsFailure(t, tabId, viewId, domain)));
  },
});

// Views that started mid-page learn their page's URL from the tab, once.
const askedForUrl = new Set<number>();
onBatch((tracker, changes) => {
  updateIcons(tracker, changes.touched, toolbarTone(currentConfig()));
  if (changes.learnedPrefixes.size > 0) {
    // Only prefixes a normal window's tab taught: storage.local outlives a private window.
    prefixesToRemember(changes.learnedPrefixes, privateTabs.isNormalTab)
      .then((prefixes) => (prefixes.length > 0 ? addLearnedPrefixes(prefixes) : undefined))
      .catch((error: unknown) => console.error('IPvLens: could not remember a NAT64 prefix', error));
  }
  pushToWatchers(tracker, changes.touched);
  pushRequestLogs(tracker, changes.touched);
  void checkUnusedIpv6(tracker, changes.touched, currentConfig().settings.dnsIpv6Check);
  for (const tabId of changes.touched) {
    const view = tracker.tabs.get(tabId)?.current;
    if (view?.partial !== true || view.url !== undefined || askedForUrl.has(tabId)) continue;
    askedForUrl.add(tabId);
    browser.tabs
      .get(tabId)
      .then((tab) => {
        const url = tab.url;
        if (url !== undefined) withTracker((t) => setPartialViewUrl(t, tabId, keptUrl(url)));
      })
      .catch(() => undefined);
  }
});
