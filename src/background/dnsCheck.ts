/**
 * The optional "IPv6 available, not used" check: after each batch, the domains of changed tabs
 * that were reached over IPv4 only are looked up once per page view (dnsResolvers.ts: Firefox's
 * own resolver, or the user's DNS-over-HTTPS resolver on Chrome). Never for a tab of a private
 * window: the tab is told before anything is asked. Never for a name answered through a proxy
 * (core/address/dnsCheck.ts domainsToCheck).
 */
import { domainsToCheck, type DnsLookup } from '../core/address/dnsCheck';
import type { ProxyContext } from '../core/proxy/pageProxy';
import { isPrivateTab, type Tracker } from '../core/tab/tracker';
import type { Resolver } from './dnsResolvers';

export interface DnsCheckDeps {
  /** The resolver the settings choose; undefined when there is none to ask (nothing is sent). */
  resolver: () => Resolver | undefined;
  isNormalTab: (tabId: number) => Promise<boolean>;
  /** Chrome's proxy settings as read (a page they confirm as proxied is not asked about); absent: none. */
  proxyContext?: () => ProxyContext;
  /** Hands what the look-up gave (an answer, or a failure: no evidence) to the tracker. */
  record: (tabId: number, viewId: string, domain: string, lookup: DnsLookup) => void;
}

/** Starts the look-ups of changed tabs; the promise (for tests) settles once their answers are recorded. */
export type DnsCheck = (tracker: Tracker, tabIds: Iterable<number>, enabled: boolean) => Promise<void>;

export function createDnsCheck(deps: DnsCheckDeps): DnsCheck {
  /** Look-ups in flight, by tab, view and domain: each is asked once. */
  const asking = new Set<string>();

  const ask = async (resolver: Resolver, tabId: number, viewId: string, domain: string): Promise<void> => {
    // A failed look-up is recorded as such (not as "none") and not repeated in this view.
    const lookup = await resolver(domain).catch((error: unknown): DnsLookup => ({ kind: 'failed', reason: String(error) }));
    deps.record(tabId, viewId, domain, lookup);
  };

  const checkTab = async (tabId: number, viewId: string, domains: string[]): Promise<void> => {
    const keys = domains.map((domain) => `${tabId} ${viewId} ${domain}`);
    try {
      // A private tab's names are not asked about (a tab that cannot be told counts as private).
      const normal = await deps.isNormalTab(tabId).catch(() => false);
      const resolver = normal ? deps.resolver() : undefined;
      if (resolver === undefined) return;
      await Promise.all(domains.map((domain) => ask(resolver, tabId, viewId, domain)));
    } finally {
      for (const key of keys) asking.delete(key);
    }
  };

  return async (tracker, tabIds, enabled) => {
    if (!enabled) return;
    const started: Array<Promise<void>> = [];
    const proxyContext = deps.proxyContext?.();
    for (const tabId of tabIds) {
      const view = tracker.tabs.get(tabId)?.current;
      // A tab the core knows is private is never asked about (nor one the background cannot tell of, below).
      if (view === undefined || isPrivateTab(tracker, tabId)) continue;
      const domains = domainsToCheck(view, tracker.describe, proxyContext).filter((domain) => !asking.has(`${tabId} ${view.id} ${domain}`));
      if (domains.length === 0) continue;
      for (const domain of domains) asking.add(`${tabId} ${view.id} ${domain}`);
      started.push(checkTab(tabId, view.id, domains).catch((error: unknown) => console.error('IPvLens: the DNS check failed', error)));
    }
    await Promise.all(started);
  };
}
