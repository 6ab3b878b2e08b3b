/**
 * Which tabs belong to private (incognito) windows: the site history never records them. Kept in
 * storage.session, because a page view usually ends when its tab closes, and a worker woken by
 * that can no longer ask the browser about the tab. A tab nobody can tell about counts as private.
 */
import { KEYS, type Store } from '../platform/storage';

/** Tab ids are not reused within a session; the oldest entries go beyond this many. */
const MAX_KEPT = 2000;

interface TabFacts {
  id?: number;
  incognito: boolean;
}

/** What the map needs of `browser.tabs`. */
export interface TabsApi {
  query(queryInfo: Record<string, never>): Promise<TabFacts[]>;
  get(tabId: number): Promise<TabFacts>;
}

export interface PrivateTabs {
  /** Called for every new tab (the listener is registered at top level). */
  noteTab: (tab: TabFacts) => void;
  /** Whether a tab's page views may be recorded: known to be a tab of a normal window. */
  isNormalTab: (tabId: number) => Promise<boolean>;
}

type Log = (message: string, error: unknown) => void;

export function createPrivateTabs(store: Store, tabs: TabsApi, log: Log = console.error): PrivateTabs {
  let privacy: Promise<Map<number, boolean>> | undefined;

  async function save(map: Map<number, boolean>): Promise<void> {
    for (const id of map.keys()) {
      if (map.size <= MAX_KEPT) break;
      map.delete(id);
    }
    await store.set(KEYS.tabPrivacy.item(map));
  }

  async function loadOnce(): Promise<Map<number, boolean>> {
    const map = await store.get(KEYS.tabPrivacy);
    for (const tab of await tabs.query({})) if (tab.id !== undefined) map.set(tab.id, tab.incognito);
    // The map is right even if it cannot be kept; the next note writes it again.
    await save(map).catch((error: unknown) => log('IPvLens: could not keep which tabs are private', error));
    return map;
  }

  /** The map, loaded once per worker; a failed load is forgotten, so the next call tries again. */
  function load(): Promise<Map<number, boolean>> {
    if (privacy !== undefined) return privacy;
    const loading = loadOnce();
    privacy = loading;
    loading.catch((error: unknown) => {
      if (privacy === loading) privacy = undefined;
      log('IPvLens: could not load which tabs are private; will retry', error);
    });
    return loading;
  }

  return {
    noteTab(tab) {
      const id = tab.id;
      if (id === undefined) return;
      void load()
        .then((map) => {
          if (map.get(id) === tab.incognito) return;
          map.set(id, tab.incognito);
          return save(map);
        })
        .catch((error: unknown) => log('IPvLens: could not note a tab', error));
    },

    async isNormalTab(tabId) {
      const known = await load().then(
        (map) => map.get(tabId),
        () => undefined,
      );
      if (known !== undefined) return !known;
      try {
        return !(await tabs.get(tabId)).incognito;
      } catch {
        return false;
      }
    },
  };
}
