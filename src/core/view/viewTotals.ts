/**
 * A page view's counts by family, shared by the popup's snapshot and the site history: each
 * response under the family of the address that sent it, not the domain's latest one.
 */
import type { Family } from '../address/address';
import { domainFamily, type PageView } from '../tab/model';
import type { FamilyCounts } from '../live/share';

export interface ViewTotals {
  domainsByFamily: FamilyCounts;
  requestsByFamily: FamilyCounts;
  /** Declared body bytes of network responses by the family of the address that sent them. */
  bytesByFamily: FamilyCounts;
  /** Network responses of unknown size, by family. */
  unsizedByFamily: FamilyCounts;
}

export function addCount(counts: FamilyCounts, family: Family | undefined, amount: number): void {
  if (family === 4) counts.v4 += amount;
  else if (family === 6) counts.v6 += amount;
  else counts.unknown += amount;
}

const zero = (): FamilyCounts => ({ v4: 0, v6: 0, unknown: 0 });

/** With `allProxied` (a proxy confirmed for the whole page), every answer counts as unknown: none is the server's family. */
export function viewTotals(view: PageView, allProxied = false): ViewTotals {
  const totals: ViewTotals = { domainsByFamily: zero(), requestsByFamily: zero(), bytesByFamily: zero(), unsizedByFamily: zero() };
  for (const record of view.domains.values()) {
    addCount(totals.domainsByFamily, allProxied ? undefined : domainFamily(record), 1);
    let attributed = 0;
    let bytes = 0;
    let unsized = 0;
    // for…in: no array per domain (this runs over every domain at each popup answer).
    for (const canonical in record.addresses) {
      const stat = record.addresses[canonical];
      if (stat === undefined) continue;
      const family = allProxied ? undefined : stat.family;
      addCount(totals.requestsByFamily, family, stat.responses);
      addCount(totals.bytesByFamily, family, stat.bytes);
      addCount(totals.unsizedByFamily, family, stat.unsized);
      attributed += stat.responses;
      bytes += stat.bytes;
      unsized += stat.unsized;
    }
    // Requests with no answer yet, or answered with no address (a service worker, say).
    addCount(totals.requestsByFamily, undefined, Math.max(0, record.requests - attributed));
    addCount(totals.bytesByFamily, undefined, Math.max(0, record.bytes - bytes));
    addCount(totals.unsizedByFamily, undefined, Math.max(0, record.unsized - unsized));
  }
  return totals;
}
