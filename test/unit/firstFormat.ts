/** What the first storage format (main before the compact codec) wrote for a tracker's state. */
import { storedTabOf } from '../../src/core/session/persisted';
import { addressKey, domainKey, liveKey, tabKey } from '../../src/core/session/storageKeys';
import type { Tracker } from '../../src/core/tab/tracker';

/** Each value the JSON text of the whole object, under the same keys. */
export function firstFormat(tracker: Tracker): Record<string, string> {
  const values: Record<string, string> = {};
  for (const tab of tracker.tabs.values()) {
    values[tabKey(tab.tabId)] = JSON.stringify(storedTabOf(tab));
    for (const view of [tab.current, tab.previous]) {
      if (view === undefined) continue;
      values[liveKey(tab.tabId, view.id)] = JSON.stringify(view.live);
      for (const record of view.domains.values()) values[domainKey(tab.tabId, view.id, record.domain)] = JSON.stringify(record);
    }
  }
  for (const [domain, remembered] of tracker.memory?.entries ?? []) values[addressKey(domain)] = JSON.stringify(remembered);
  return values;
}
