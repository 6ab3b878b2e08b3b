/**
 * The real backend: the browser's storage areas through webextension-polyfill. The one module
 * that touches `browser.storage`; everything else goes through a Store (store.ts).
 */
import browser, { type Storage } from 'webextension-polyfill';
import type { AreaBackend, AreaName, ChangeListener, StorageBackend } from './backend';

const keyList = (keys: string | readonly string[]): string | string[] => (typeof keys === 'string' ? keys : [...keys]);

function areaOf(area: Storage.StorageArea): AreaBackend {
  return {
    get: (keys) => area.get(keys === null ? null : keyList(keys)),
    set: (items) => area.set(items),
    remove: (keys) => area.remove(keyList(keys)),
    async bytesInUse(keys) {
      // Firefox's local area has no getBytesInUse; its absence or refusal is "cannot tell".
      if (typeof area.getBytesInUse !== 'function') return undefined;
      try {
        return await area.getBytesInUse(keys === null ? null : keyList(keys));
      } catch {
        return undefined;
      }
    },
  };
}

export function browserBackend(): StorageBackend {
  return {
    session: areaOf(browser.storage.session),
    local: areaOf(browser.storage.local),
    sync: areaOf(browser.storage.sync),
    listen(listener: ChangeListener, areas: readonly AreaName[]) {
      // Each area's own event (not storage.onChanged, which carries every area's writes).
      const relays = areas.map((area) => {
        const event = browser.storage[area].onChanged;
        const relay = (changes: Record<string, Storage.StorageChange>): void => listener(changes, area);
        event.addListener(relay);
        return () => event.removeListener(relay);
      });
      return () => {
        for (const stop of relays) stop();
      };
    },
  };
}
