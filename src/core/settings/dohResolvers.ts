/**
 * The DNS-over-HTTPS resolvers the DNS check can ask on Chrome (which has no DNS API for
 * extensions): a few well-known public ones, or the user's own `https://` URL (RFC 8484).
 */

export const DOH_RESOLVER_IDS = ['cloudflare', 'google', 'quad9', 'custom'] as const;
export type DohResolverId = (typeof DOH_RESOLVER_IDS)[number];

/**
 * Well-known public resolvers. Quad9 blocks names it deems malicious by answering NXDOMAIN,
 * which the check reads as a failed look-up (no evidence), never as "no IPv6".
 */
export const DOH_RESOLVERS: Record<Exclude<DohResolverId, 'custom'>, { name: string; url: string }> = {
  cloudflare: { name: 'Cloudflare (1.1.1.1)', url: 'https://cloudflare-dns.com/dns-query' },
  google: { name: 'Google Public DNS (8.8.8.8)', url: 'https://dns.google/dns-query' },
  quad9: { name: 'Quad9 (9.9.9.9)', url: 'https://dns.quad9.net/dns-query' },
};

export type DohUrlError = 'https' | 'url' | 'credentials' | 'dns-parameter';

/** RFC 8484 names resolvers by a URI template; the GET form's `{?dns}` is what IPvLens fills in. */
const DNS_TEMPLATE = /\{\?dns\}$/;

/** A resolver URL as IPvLens keeps it: trimmed, without the template's `{?dns}`. */
export function normalizeDohUrl(text: string): string {
  return text.trim().replace(DNS_TEMPLATE, '');
}

/**
 * An empty URL is allowed (no resolver yet: nothing is sent); otherwise `https://`, a host, no
 * user name or password (they would be sent with every question), no `dns` parameter of its own
 * (IPvLens adds it) and no fragment.
 */
export function checkDohUrl(text: string): DohUrlError | undefined {
  const normalized = normalizeDohUrl(text);
  if (normalized === '') return undefined;
  if (!/^https:\/\//i.test(normalized)) return 'https';
  // The URL parser would take "https:///path" as the host "path".
  if (/^https:\/\/[/\\]/i.test(normalized)) return 'url';
  let url: URL;
  try {
    url = new URL(normalized);
  } catch {
    return 'url';
  }
  if (url.hostname === '' || url.hash !== '' || normalized.includes('#')) return 'url';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (url.searchParams.has('dns')) return 'dns-parameter';
  return undefined;
}

/** The URL the check asks; undefined while the custom choice has no valid URL (nothing is sent). */
export function dohResolverUrl(resolver: DohResolverId, customUrl: string): string | undefined {
  if (resolver !== 'custom') return DOH_RESOLVERS[resolver].url;
  const url = normalizeDohUrl(customUrl);
  return url === '' || checkDohUrl(url) !== undefined ? undefined : url;
}
