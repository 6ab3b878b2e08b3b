/**
 * The optional "IPv6 available, not used" check: after each batch, the domains of changed tabs
 * that were reached over IPv4 only are looked up once per page view with the browser's own
 * resolver (no flags: its cache, its settings, its DNS-over-HTTPS if the user has it).
 */
import { domainsToCheck } from '../core/dnsCheck';
import { recordDnsAnswer, type Tracker } from '../core/tracker';
import { browserDns } from '../platform/dns';
import { withTracker } from './state';

/** Look-ups in flight, by tab, view and domain: each is asked once. */
const asking = new Set<string>();

export function checkUnusedIpv6(tracker: Tracker, tabIds: Iterable<number>, enabled: boolean): void {
  const dns = enabled ? browserDns() : undefined;
  if (dns === undefined) return;
  for (const tabId of tabIds) {
    const view = tracker.tabs.get(tabId)?.current;
    if (view === undefined) continue;
    const viewId = view.id;
    for (const domain of domainsToCheck(view, tracker.describe)) {
      const key = `${tabId} ${viewId} ${domain}`;
      if (asking.has(key)) continue;
      asking.add(key);
      dns
        .resolve(domain)
        .then(
          (answer) => answer.addresses,
          // A name that does not resolve now is asked no more in this view: no answer is none.
          () => [],
        )
        .then((addresses) => withTracker((t) => recordDnsAnswer(t, tabId, viewId, domain, addresses)))
        .finally(() => asking.delete(key))
        .catch(() => undefined);
    }
  }
}
