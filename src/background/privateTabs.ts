/**
 * Which tabs belong to private (incognito) windows: the site history never records them. Kept in
 * storage.session, because a page view usually ends when its tab closes, and a worker woken by
 * that can no longer ask the browser about the tab. A tab nobody can tell about counts as private.
 */
import browser, { type Tabs } from 'webextension-polyfill';

const STORAGE_KEY = 'tabPrivacy';
/** Tab ids are not reused within a session; the oldest entries go beyond this many. */
const MAX_KEPT = 2000;

let privacy: Promise<Map<number, boolean>> | undefined;

function load(): Promise<Map<number, boolean>> {
  privacy ??= (async () => {
    const stored: unknown = (await browser.storage.session.get(STORAGE_KEY))[STORAGE_KEY];
    const map = new Map<number, boolean>(
      Array.isArray(stored) ? stored.filter((entry): entry is [number, boolean] => Array.isArray(entry) && Number.isInteger(entry[0]) && typeof entry[1] === 'boolean') : [],
    );
    for (const tab of await browser.tabs.query({})) if (tab.id !== undefined) map.set(tab.id, tab.incognito);
    await save(map);
    return map;
  })();
  return privacy;
}

async function save(map: Map<number, boolean>): Promise<void> {
  for (const id of map.keys()) {
    if (map.size <= MAX_KEPT) break;
    map.delete(id);
  }
  await browser.storage.session.set({ [STORAGE_KEY]: [...map] });
}

/** Called for every new tab (the listener is registered at top level). */
export function noteTab(tab: Tabs.Tab): void {
  const id = tab.id;
  if (id === undefined) return;
  void load()
    .then((map) => {
      if (map.get(id) === tab.incognito) return;
      map.set(id, tab.incognito);
      return save(map);
    })
    .catch((error: unknown) => console.error('IPvLens: could not note a tab', error));
}

/** Whether a tab's page views may be recorded: known to be a tab of a normal window. */
export async function isNormalTab(tabId: number): Promise<boolean> {
  const map = await load();
  const known = map.get(tabId);
  if (known !== undefined) return !known;
  try {
    return !(await browser.tabs.get(tabId)).incognito;
  } catch {
    return false;
  }
}
