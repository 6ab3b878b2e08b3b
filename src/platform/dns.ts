/** The browser's own DNS resolver, where extensions may ask it (Firefox, with the `dns` permission). */
import browser, { type Dns } from 'webextension-polyfill';

export type BrowserDns = Pick<Dns.Static, 'resolve'>;

/** On in the firefox-test build only (vite.config.ts); nothing defines it elsewhere (unit tests, shipped builds). */
declare const __IPVLENS_TEST_HOOKS__: boolean | undefined;
const TEST_HOOKS = typeof __IPVLENS_TEST_HOOKS__ === 'boolean' && __IPVLENS_TEST_HOOKS__;

interface DnsLookupLog {
  __ipvlensDnsLookups?: string[];
}

/**
 * The test build's record of every name asked of `browser.dns` (the one place that asks it): the
 * end-to-end tests read it through the background page to count look-ups.
 */
function logged(dns: BrowserDns): BrowserDns {
  const log = ((globalThis as DnsLookupLog).__ipvlensDnsLookups ??= []);
  return {
    resolve: (hostname, flags) => {
      log.push(hostname);
      return dns.resolve(hostname, flags);
    },
  };
}

export function browserDns(): BrowserDns | undefined {
  const dns = (browser as { dns?: Partial<BrowserDns> }).dns;
  if (typeof dns?.resolve !== 'function') return undefined;
  return TEST_HOOKS ? logged(dns as BrowserDns) : (dns as BrowserDns);
}
