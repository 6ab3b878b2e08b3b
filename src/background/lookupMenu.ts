/** "Look up …" on text selected in IPvLens's own pages, sent to the look-up service chosen. */
import browser, { type Menus, type Tabs } from 'webextension-polyfill';
import { lookupTargetOf, lookupUrl } from '../core/settings/settings';
import { t } from '../platform/i18n';
import { currentConfig } from './config';
import { readTracker } from './state';

const LOOKUP_MENU_ID = 'ipvlens-lookup-selection';

export async function createLookupMenu(): Promise<void> {
  try {
    await browser.contextMenus.removeAll();
    browser.contextMenus.create({
      id: LOOKUP_MENU_ID,
      title: t('menuLookUp'),
      contexts: ['selection'],
      // Only in the extension's pages: the popup, its full-tab view and the options page.
      documentUrlPatterns: [`${browser.runtime.getURL('')}*`],
    });
  } catch (error) {
    console.error('IPvLens: could not create the context menu', error);
  }
}

export function onLookupMenuClicked(info: Menus.OnClickData, tab: Tabs.Tab | undefined): void {
  if (info.menuItemId !== LOOKUP_MENU_ID) return;
  const target = lookupTargetOf(info.selectionText ?? '');
  if (target === undefined) return;
  // Settings are loaded with the state: a click may be what woke the worker.
  void readTracker(() => currentConfig()).then((config) => {
    const url = lookupUrl(config.settings, target.kind, target.value);
    if (url === undefined) return;
    const opening: Tabs.CreateCreatePropertiesType = { url };
    if (tab?.windowId !== undefined && tab.windowId >= 0) opening.windowId = tab.windowId;
    browser.tabs.create(opening).catch((error: unknown) => console.error('IPvLens: could not open the look-up', error));
  });
}
