/**
 * The site a host belongs to: its registrable domain by the Public Suffix List
 * (publicSuffixList.ts), so "www.example.co.uk" and "cdn.example.co.uk" are one site and
 * "a.github.io" and "b.github.io" two (private suffixes count: they are separate owners). Hosts
 * with no registrable domain (an IP address, "localhost", a bare suffix) are their own site.
 */
import { registrableDomain, type PublicSuffixList } from './publicSuffixList';

export function siteOf(host: string, suffixes: PublicSuffixList): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase().replace(/\.$/, '');
  if (lower.includes(':')) return `[${lower}]`;
  return registrableDomain(lower, suffixes) ?? lower;
}
