/**
 * The browser's own DNS resolver, where extensions may ask it: Firefox, with the `dns` permission.
 * That permission is optional (manifest `optional_permissions`): asked for when the user turns the
 * check on, and given back when they turn it off.
 */
import browser, { type Dns, type Permissions } from 'webextension-polyfill';

export type BrowserDns = Pick<Dns.Static, 'resolve'>;

// The typings leave `dns` out of the optional permissions, though Firefox accepts it there.
const DNS_PERMISSION = { permissions: ['dns'] } as unknown as Permissions.Permissions;

/** Whether this build can offer the check at all: its manifest lists `dns` (the Firefox build). */
export function dnsCheckOffered(): boolean {
  const manifest = browser.runtime.getManifest() as { optional_permissions?: string[]; permissions?: string[] };
  return [...(manifest.optional_permissions ?? []), ...(manifest.permissions ?? [])].includes('dns');
}

export function hasDnsPermission(): Promise<boolean> {
  return dnsCheckOffered() ? browser.permissions.contains(DNS_PERMISSION).catch(() => false) : Promise.resolve(false);
}

/** Must run inside the user's click: browsers ask the user only for a user action. Resolves false if refused. */
export function requestDnsPermission(): Promise<boolean> {
  return browser.permissions.request(DNS_PERMISSION);
}

export async function releaseDnsPermission(): Promise<void> {
  await browser.permissions.remove(DNS_PERMISSION);
}

/** The resolver, only while the permission is held (the user may revoke it in about:addons). */
export async function permittedDns(): Promise<BrowserDns | undefined> {
  if (!(await hasDnsPermission())) return undefined;
  const dns = (browser as { dns?: Partial<BrowserDns> }).dns;
  return typeof dns?.resolve === 'function' ? (dns as BrowserDns) : undefined;
}
