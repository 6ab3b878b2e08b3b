/** The browser's i18n API as the core's typed Translate: shared by the background and the pages. */
import browser from 'webextension-polyfill';
import type { Translate } from '../core/i18n';

export const t: Translate = (key, substitutions) => {
  const list = substitutions === undefined ? undefined : typeof substitutions === 'string' ? [substitutions] : [...substitutions];
  // An empty answer means the key is missing from the locale: show the key, never a blank.
  return browser.i18n.getMessage(key, list) || key;
};
