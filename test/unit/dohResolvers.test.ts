import { describe, expect, it } from 'vitest';
import { DOH_RESOLVERS, checkDohUrl, dohResolverUrl, type DohUrlError } from '../../src/core/settings/dohResolvers';
import { settingsFrom, type Settings } from '../../src/core/settings/settings';

describe('a custom DNS-over-HTTPS URL', () => {
  it.each<[string, string, DohUrlError | undefined]>([
    ['empty: no resolver yet', '', undefined],
    ['blank', '   ', undefined],
    ['a resolver', 'https://dns.example/dns-query', undefined],
    ['upper-case scheme', 'HTTPS://dns.example/dns-query', undefined],
    ['with a port and a query of its own', 'https://dns.example:8443/q?key=abc', undefined],
    ['RFC 8484’s URI template', 'https://dns.example/dns-query{?dns}', undefined],
    ['an IPv6 literal', 'https://[2001:db8::53]/dns-query', undefined],
    ['plain http', 'http://dns.example/dns-query', 'https'],
    ['no scheme', 'dns.example/dns-query', 'https'],
    ['another scheme', 'ftp://dns.example/', 'https'],
    ['no host', 'https:///dns-query', 'url'],
    ['a space in the host', 'https://dns example/', 'url'],
    ['a fragment', 'https://dns.example/dns-query#x', 'url'],
    ['a user name', 'https://me@dns.example/dns-query', 'credentials'],
    ['a password', 'https://me:secret@dns.example/dns-query', 'credentials'],
    ['a dns parameter of its own', 'https://dns.example/dns-query?dns=AAAB', 'dns-parameter'],
  ])('%s', (_name, url, expected) => {
    expect(checkDohUrl(url)).toBe(expected);
  });
});

describe('the URL the check asks', () => {
  it.each<[string, Parameters<typeof dohResolverUrl>, string | undefined]>([
    ['a listed resolver', ['google', ''], DOH_RESOLVERS.google.url],
    ['a listed resolver ignores the custom URL', ['quad9', 'https://dns.example/q'], DOH_RESOLVERS.quad9.url],
    ['custom, trimmed and without the template', ['custom', ' https://dns.example/q{?dns} '], 'https://dns.example/q'],
    ['custom with none set: nothing is asked', ['custom', ''], undefined],
    ['custom and invalid: nothing is asked', ['custom', 'http://dns.example/q'], undefined],
  ])('%s', (_name, args, expected) => {
    expect(dohResolverUrl(...args)).toBe(expected);
  });

  it('every listed resolver is an https URL the check accepts', () => {
    for (const { url } of Object.values(DOH_RESOLVERS)) expect(checkDohUrl(url)).toBeUndefined();
    expect(Object.keys(DOH_RESOLVERS).length).toBeGreaterThan(1);
  });
});

describe('the resolver settings as stored', () => {
  it.each<[string, unknown, Pick<Settings, 'dnsIpv6Check' | 'dohResolver' | 'dohCustomUrl'>]>([
    ['an older version’s settings (none of these fields) load with the check off', { iconStyle: 'dark', dnsIpv6Check: false }, { dnsIpv6Check: false, dohResolver: 'cloudflare', dohCustomUrl: '' }],
    ['an older version with the (Firefox) check on keeps it on', { dnsIpv6Check: true }, { dnsIpv6Check: true, dohResolver: 'cloudflare', dohCustomUrl: '' }],
    ['a chosen resolver', { dnsIpv6Check: true, dohResolver: 'quad9' }, { dnsIpv6Check: true, dohResolver: 'quad9', dohCustomUrl: '' }],
    ['a custom URL, kept without its template', { dohResolver: 'custom', dohCustomUrl: 'https://dns.example/q{?dns}' }, { dnsIpv6Check: false, dohResolver: 'custom', dohCustomUrl: 'https://dns.example/q' }],
    ['an unknown resolver falls back to the default', { dohResolver: 'evil' }, { dnsIpv6Check: false, dohResolver: 'cloudflare', dohCustomUrl: '' }],
    ['an invalid custom URL is dropped', { dohResolver: 'custom', dohCustomUrl: 'http://dns.example/q' }, { dnsIpv6Check: false, dohResolver: 'custom', dohCustomUrl: '' }],
    ['a custom URL that is not text is dropped', { dohResolver: 'custom', dohCustomUrl: 42 }, { dnsIpv6Check: false, dohResolver: 'custom', dohCustomUrl: '' }],
  ])('%s', (_name, stored, expected) => {
    const { dnsIpv6Check, dohResolver, dohCustomUrl } = settingsFrom(stored);
    expect({ dnsIpv6Check, dohResolver, dohCustomUrl }).toStrictEqual(expected);
  });
});
