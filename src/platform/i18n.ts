/** The browser's i18n API as the core's typed Translate: shared by the background and the pages. */
import browser from 'webextension-polyfill';
import type { Translate } from '../core/i18n';

/** Messages without substitutions (labels repeated on every popup row), asked of the browser once each. */
const plain = new Map<string, string>();

export const t: Translate = (key, substitutions) => {
  // An empty answer means the key is missing from the locale: show the key, never a blank.
  if (substitutions !== undefined) return browser.i18n.getMessage(key, typeof substitutions === 'string' ? [substitutions] : [...substitutions]) || key;
  let message = plain.get(key);
  if (message === undefined) plain.set(key, (message = browser.i18n.getMessage(key) || key));
  return message;
};
