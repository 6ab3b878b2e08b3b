/**
 * The optional "IPv6 available, not used" check: after each batch, the domains of changed tabs
 * that were reached over IPv4 only are looked up once per page view with the browser's own
 * resolver (no flags: its cache, its settings, its DNS-over-HTTPS if the user has it). Never for a
 * tab of a private window.
 */
import { domainsToCheck } from '../core/address/dnsCheck';
import type { Tracker } from '../core/tab/tracker';
import type { BrowserDns } from '../platform/dns';

export interface DnsCheckDeps {
  /** The browser's resolver; undefined where extensions have none (Chrome). */
  browserDns: () => BrowserDns | undefined;
  isNormalTab: (tabId: number) => Promise<boolean>;
  /** Hands an answer to the tracker (no addresses: no answer). */
  record: (tabId: number, viewId: string, domain: string, addresses: string[]) => void;
}

/** Starts the look-ups of changed tabs; the promise (for tests) settles once their answers are recorded. */
export type DnsCheck = (tracker: Tracker, tabIds: Iterable<number>, enabled: boolean) => Promise<void>;

export function createDnsCheck(deps: DnsCheckDeps): DnsCheck {
  /** Look-ups in flight, by tab, view and domain: each is asked once. */
  const asking = new Set<string>();

  const ask = async (dns: BrowserDns, tabId: number, viewId: string, domain: string): Promise<void> => {
    // A name that does not resolve now is asked no more in this view: no answer is none.
    const addresses = await dns.resolve(domain).then(
      (answer) => answer.addresses,
      () => [],
    );
    deps.record(tabId, viewId, domain, addresses);
  };

  const checkTab = async (tabId: number, viewId: string, domains: string[]): Promise<void> => {
    const keys = domains.map((domain) => `${tabId} ${viewId} ${domain}`);
    try {
      // A private tab's names are not asked about (a tab that cannot be told counts as private).
      const normal = await deps.isNormalTab(tabId).catch(() => false);
      const dns = deps.browserDns();
      if (!normal || dns === undefined) return;
      await Promise.all(domains.map((domain) => ask(dns, tabId, viewId, domain)));
    } finally {
      for (const key of keys) asking.delete(key);
    }
  };

  return async (tracker, tabIds, enabled) => {
    if (!enabled) return;
    const started: Array<Promise<void>> = [];
    for (const tabId of tabIds) {
      const view = tracker.tabs.get(tabId)?.current;
      if (view === undefined) continue;
      const domains = domainsToCheck(view, tracker.describe).filter((domain) => !asking.has(`${tabId} ${view.id} ${domain}`));
      if (domains.length === 0) continue;
      for (const domain of domains) asking.add(`${tabId} ${view.id} ${domain}`);
      started.push(checkTab(tabId, view.id, domains).catch((error: unknown) => console.error('IPvLens: the DNS check failed', error)));
    }
    await Promise.all(started);
  };
}
