/**
 * The browser's proxy settings as the snapshots see them (Chrome, once the user granted the
 * optional `proxy` permission in the options): read at start, on a permission change and when
 * the settings change, so a page suspected of a proxy is shown as confirmed while one is in force.
 */
import type { BrowserProxySettings, ProxyContext } from '../core/proxy/pageProxy';
import { proxiesReported } from './browserTraits';
import { onPermissionsChange, onProxySettingsChange, proxyCheckApplies, readProxySettings } from '../platform/proxySettings';

let current: BrowserProxySettings | undefined;
let watchingSettings = false;

/** For the snapshots: suspect proxies only where the browser does not report them, and the settings read. */
export function currentProxyContext(): ProxyContext {
  return current === undefined ? { suspect: !proxiesReported } : { suspect: !proxiesReported, settings: current };
}

function refresh(onChanged: () => void): void {
  if (!watchingSettings) watchingSettings = onProxySettingsChange(() => refresh(onChanged));
  readProxySettings()
    .then((settings) => {
      if (settings?.mode === current?.mode && settings?.endpoint === current?.endpoint) return;
      current = settings;
      onChanged();
    })
    .catch((error: unknown) => console.warn('IPvLens: could not read the proxy settings', error));
}

/** Call at top level: the permission listeners must be registered synchronously. */
export function followProxySettings(onChanged: () => void): void {
  if (!proxyCheckApplies()) return;
  onPermissionsChange(() => refresh(onChanged));
  refresh(onChanged);
}
