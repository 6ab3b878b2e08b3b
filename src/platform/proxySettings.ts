/**
 * The browser's proxy settings (Chrome's `chrome.proxy.settings`), read only with the optional
 * `proxy` permission, which the options page requests when the user asks ("Check my proxy
 * settings"). Firefox reports each request's proxy itself (proxyInfo): no permission there.
 * Read through `chrome` directly: the polyfill does not wrap this namespace's settings.
 */
import browser from 'webextension-polyfill';
import { browserProxySettingsOf, type BrowserProxySettings } from '../core/proxy/pageProxy';

const PROXY_PERMISSION = { permissions: ['proxy' as const] };

interface ChromeSetting {
  get(details: object, callback: (details: { value?: unknown }) => void): void;
  onChange: { addListener(callback: () => void): void };
}

function chromeProxySettings(): ChromeSetting | undefined {
  const chromeGlobal = (globalThis as { chrome?: { proxy?: { settings?: ChromeSetting } } }).chrome;
  return chromeGlobal?.proxy?.settings;
}

/** Chrome and Edge: Firefox alone has runtime.getBrowserInfo, and reports each request's proxy instead. */
export function proxyCheckApplies(): boolean {
  return typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo !== 'function';
}

/** Must run inside the user's click: browsers show the prompt only for a user action. */
export function requestProxyPermission(): Promise<boolean> {
  return browser.permissions.request(PROXY_PERMISSION);
}

/** The settings in force; undefined without the permission (or where the API is absent) or when they cannot be read. */
export async function readProxySettings(): Promise<BrowserProxySettings | undefined> {
  if (!proxyCheckApplies() || !(await browser.permissions.contains(PROXY_PERMISSION))) return undefined;
  const settings = chromeProxySettings();
  if (settings === undefined) return undefined;
  return new Promise((resolve) => {
    try {
      settings.get({}, (details) => resolve(browserProxySettingsOf(details.value)));
    } catch {
      resolve(undefined);
    }
  });
}

/** Calls back when a permission is granted or removed (the proxy one among them). Register at top level. */
export function onPermissionsChange(callback: () => void): void {
  browser.permissions.onAdded.addListener(callback);
  browser.permissions.onRemoved.addListener(callback);
}

/** Calls back when the proxy settings change; false while the namespace is absent (no permission yet). */
export function onProxySettingsChange(callback: () => void): boolean {
  const settings = chromeProxySettings();
  settings?.onChange.addListener(callback);
  return settings !== undefined;
}
