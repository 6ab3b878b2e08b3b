/**
 * NAT64 re-labelling: which prefixes are in force, what a new set changes in the tabs already
 * open, and which prefixes a response can teach (an IPv4-only host answering over IPv6).
 */
import { createDescriber, type Describer } from '../address/addressClass';
import { learnablePrefix, type Nat64Prefix } from '../address/nat64';
import { markDomain } from './changeLog';
import { domainFamily, type PageView } from './model';
import type { Tracker } from './tracker';

/**
 * Re-derives each address's family (and the view's tallies) under new prefixes. Returns whether
 * anything shown changed: a family, or the NAT64 prefix an address falls in.
 */
function relabelView(tracker: Tracker, tabId: number, view: PageView, before: Describer): boolean {
  let viewChanged = false;
  view.familyTally = { 4: 0, 6: 0 };
  for (const record of view.domains.values()) {
    let changed = false;
    for (const [key, stat] of Object.entries(record.addresses)) {
      const info = tracker.describe(key);
      // Text that is not an address has no family, under any prefixes; nor has a proxy's answer.
      const family = stat.proxy === undefined ? info?.family : undefined;
      if (stat.family !== family || info?.nat64Prefix !== before(key)?.nat64Prefix) {
        if (family === undefined) delete stat.family;
        else stat.family = family;
        changed = true;
      }
    }
    const family = domainFamily(record);
    if (family !== undefined) view.familyTally[family]++;
    if (changed) {
      markDomain(tracker, tabId, view, record);
      viewChanged = true;
    }
  }
  return viewChanged;
}

/**
 * Puts a set of NAT64 prefixes in force: every open tab's addresses are classified again at once
 * (a NAT64 address is an IPv4 server, so families and icons can change too). Only tabs where
 * something changed are marked for redrawing.
 */
export function setNat64Prefixes(tracker: Tracker, prefixes: readonly Nat64Prefix[]): void {
  const before = tracker.describe;
  tracker.prefixes = prefixes;
  tracker.describe = createDescriber(prefixes);
  for (const tab of tracker.tabs.values()) {
    const current = relabelView(tracker, tab.tabId, tab.current, before);
    const previous = tab.previous !== undefined && relabelView(tracker, tab.tabId, tab.previous, before);
    if (current || previous) tracker.changes.touched.add(tab.tabId);
  }
}

/** Notes the NAT64 prefix an IPv6 answer of `host` teaches, with the tab it came from. */
export function noteLearnablePrefix(tracker: Tracker, tabId: number, host: string, canonical: string): void {
  const prefix = learnablePrefix(host, canonical);
  if (prefix === undefined || tracker.prefixes.some((known) => known.text === prefix)) return;
  const tabs = tracker.changes.learnedPrefixes.get(prefix) ?? new Set<number>();
  tabs.add(tabId);
  tracker.changes.learnedPrefixes.set(prefix, tabs);
}
