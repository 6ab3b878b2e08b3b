/**
 * Access to websites (`<all_urls>`), without which the browser sends IPvLens no request events.
 * Chrome grants it at install; Firefox lets the user withhold or revoke it (and before 127 did not
 * grant it by default), so the popup asks when it is missing.
 */
import browser from 'webextension-polyfill';

const ALL_SITES = { origins: ['<all_urls>'] };

export function hasHostAccess(): Promise<boolean> {
  return browser.permissions.contains(ALL_SITES);
}

/** Must run inside the user's click: browsers show the prompt only for a user action. */
export function requestHostAccess(): Promise<boolean> {
  return browser.permissions.request(ALL_SITES);
}

/** Calls back whenever permissions are granted or revoked; returns the unsubscribe. */
export function onHostAccessChange(callback: () => void): () => void {
  browser.permissions.onAdded.addListener(callback);
  browser.permissions.onRemoved.addListener(callback);
  return () => {
    browser.permissions.onAdded.removeListener(callback);
    browser.permissions.onRemoved.removeListener(callback);
  };
}
