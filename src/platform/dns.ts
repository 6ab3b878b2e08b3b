/** The browser's own DNS resolver, where extensions may ask it (Firefox, with the `dns` permission). */
import browser, { type Dns } from 'webextension-polyfill';

export type BrowserDns = Pick<Dns.Static, 'resolve'>;

export function browserDns(): BrowserDns | undefined {
  const dns = (browser as { dns?: Partial<BrowserDns> }).dns;
  return typeof dns?.resolve === 'function' ? (dns as BrowserDns) : undefined;
}
