import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  addNat64Prefix,
  checkTemplate,
  learnedPrefixesFrom,
  lookupServiceName,
  lookupTargetOf,
  lookupUrl,
  removeNat64Prefix,
  settingsFrom,
  type Settings,
} from '../../src/core/settings/settings';

const settings = (overrides: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...overrides });

describe('settingsFrom (what storage holds → settings)', () => {
  it.each<[string, unknown, Settings]>([
    ['nothing stored', undefined, settings()],
    ['not an object', 'dark', settings()],
    ['null', null, settings()],
    ['a full valid value', { ...settings({ iconStyle: 'dark', nat64Prefixes: ['2001:db8:64::/96'], showConnectedHighlight: false }) }, settings({ iconStyle: 'dark', nat64Prefixes: ['2001:db8:64::/96'], showConnectedHighlight: false })],
    ['unknown icon style', { iconStyle: 'neon' }, settings()],
    ['unknown provider', { lookupProvider: 'evil.example' }, settings()],
    ['invalid and duplicate prefixes dropped', { nat64Prefixes: ['2001:db8:64::/96', 'junk', 7, '2001:db8:64::/96'] }, settings({ nat64Prefixes: ['2001:db8:64::/96'] })],
    ['prefixes not a list', { nat64Prefixes: '2001:db8:64::/96' }, settings()],
    ['a bad template dropped', { lookupProvider: 'custom', customDomainTemplate: 'http://x/$', customAddressTemplate: 'https://x/ip/$' }, settings({ lookupProvider: 'custom', customAddressTemplate: 'https://x/ip/$' })],
    ['highlight not a boolean', { showConnectedHighlight: 'no' }, settings()],
  ])('%s', (_name, stored, expected) => {
    expect(settingsFrom(stored)).toStrictEqual(expected);
  });

  it('learned prefixes: valid, unique texts only', () => {
    expect(learnedPrefixesFrom(['fd00::/96', 'fd00::/96', 'x', 3])).toStrictEqual(['fd00::/96']);
    expect(learnedPrefixesFrom({})).toStrictEqual([]);
  });
});

describe('checkTemplate', () => {
  it.each<[string, ReturnType<typeof checkTemplate>]>([
    ['', undefined],
    ['   ', undefined],
    ['https://bgp.he.net/ip/$', undefined],
    ['https://example.net/?q=$&x=1', undefined],
    ['HTTPS://example.net/$', undefined],
    ['http://example.net/$', 'https'],
    ['javascript:alert(1)//$', 'https'],
    ['example.net/$', 'https'],
    ['https://example.net/', 'dollar'],
    ['https:// bad host/$', 'url'],
    ['https://$', undefined],
  ])('%j → %s', (template, expected) => {
    expect(checkTemplate(template)).toBe(expected);
  });
});

describe('NAT64 prefixes in settings', () => {
  it('adds a valid prefix in canonical form', () => {
    const result = addNat64Prefix(settings(), [], ' 2001:DB8:122::/48 ');
    expect(result).toStrictEqual({ ok: true, prefix: '2001:db8:122::/48', settings: settings({ nat64Prefixes: ['2001:db8:122::/48'] }) });
  });
  it.each<[string, Settings, string[], string]>([
    ['a default', settings(), [], '64:ff9b::/96'],
    ['one of the user’s', settings({ nat64Prefixes: ['2001:db8:64::/96'] }), [], '2001:db8:64:0::/96'],
    ['a learned one', settings(), ['fd00::/96'], 'fd00::/96'],
  ])('refuses %s again, changing nothing', (_name, before, learned, input) => {
    const result = addNat64Prefix(before, learned, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('duplicate');
  });
  it('refuses an invalid one with the reason', () => {
    expect(addNat64Prefix(settings(), [], '2001:db8::/33')).toStrictEqual({ ok: false, error: { code: 'bad-length', length: '33' } });
  });
  it('removes one', () => {
    expect(removeNat64Prefix(settings({ nat64Prefixes: ['a', 'b'] }), 'a')).toStrictEqual(settings({ nat64Prefixes: ['b'] }));
  });
});

describe('look-up links', () => {
  it.each<[string, Partial<Settings>, 'domain' | 'address', string, string | undefined]>([
    ['bgp.he.net domain', {}, 'domain', 'example.com', 'https://bgp.he.net/dns/example.com'],
    ['bgp.he.net IPv6', {}, 'address', '2001:db8::1', 'https://bgp.he.net/ip/2001:db8::1'],
    ['zone left out', {}, 'address', 'fe80::1%eth0', 'https://bgp.he.net/ip/fe80::1'],
    ['ipinfo.io address', { lookupProvider: 'ipinfo.io' }, 'address', '192.0.2.1', 'https://ipinfo.io/192.0.2.1'],
    ['ipinfo.io has no domain pages', { lookupProvider: 'ipinfo.io' }, 'domain', 'example.com', undefined],
    ['info.addr.tools', { lookupProvider: 'info.addr.tools' }, 'domain', 'example.com', 'https://info.addr.tools/example.com'],
    ['custom, encoded', { lookupProvider: 'custom', customDomainTemplate: 'https://x.test/?d=$' }, 'domain', 'a&b.test', 'https://x.test/?d=a%26b.test'],
    ['custom, every $', { lookupProvider: 'custom', customAddressTemplate: 'https://x.test/$/$' }, 'address', '192.0.2.1', 'https://x.test/192.0.2.1/192.0.2.1'],
    ['custom without a template', { lookupProvider: 'custom' }, 'address', '192.0.2.1', undefined],
  ])('%s', (_name, overrides, kind, value, expected) => {
    expect(lookupUrl(settings(overrides), kind, value)).toBe(expected);
  });

  it('names the service for link titles', () => {
    expect(lookupServiceName(settings(), 'domain')).toBe('bgp.he.net');
    expect(lookupServiceName(settings({ lookupProvider: 'custom', customAddressTemplate: 'https://tools.example/ip/$' }), 'address')).toBe('tools.example');
    expect(lookupServiceName(settings({ lookupProvider: 'ipinfo.io' }), 'domain')).toBeUndefined();
  });
});

describe('lookupTargetOf (selected text → what to look up)', () => {
  it.each<[string, ReturnType<typeof lookupTargetOf>]>([
    ['example.com', { kind: 'domain', value: 'example.com' }],
    ['  CDN.Example.COM. ', { kind: 'domain', value: 'cdn.example.com' }],
    ['2001:db8::1', { kind: 'address', value: '2001:db8::1' }],
    ['[2001:db8::1]', { kind: 'address', value: '2001:db8::1' }],
    ['192.0.2.1', { kind: 'address', value: '192.0.2.1' }],
    ['64:ff9b::192.0.2.1', { kind: 'address', value: '64:ff9b::192.0.2.1' }],
    ['“bücher.example”', { kind: 'domain', value: 'bücher.example' }],
    ['example.com 2001:db8::1 IPv6', { kind: 'domain', value: 'example.com' }],
    ['IPv6 2001:db8::1', { kind: 'address', value: '2001:db8::1' }],
    ['hello world', undefined],
    ['1.2.3', undefined],
    ['', undefined],
    ['-bad-.com', undefined],
  ])('%j', (selection, expected) => {
    expect(lookupTargetOf(selection)).toStrictEqual(expected);
  });
});
