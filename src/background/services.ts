/**
 * The background's storage-backed services, made once for the worker's life: the private-tab map
 * and the site history's writer. Both the listeners (index.ts) and the session state (state.ts,
 * which hands ended page views to the history) use the same ones.
 */
import browser from 'webextension-polyfill';
import { packagedSuffixList } from '../platform/publicSuffixList';
import { browserStore } from '../platform/storage/browser';
import { createHistoryWriter } from './history';
import { createPrivateTabs } from './privateTabs';

export const privateTabs = createPrivateTabs(browserStore, browser.tabs);
export const history = createHistoryWriter(browserStore, privateTabs.isNormalTab, packagedSuffixList);
