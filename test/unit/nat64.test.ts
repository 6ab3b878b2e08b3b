import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/core/address/address';
import { combinePrefixes, embeddedIPv4, learnablePrefix, parseNat64Prefix, type Nat64PrefixError } from '../../src/core/address/nat64';

function bytesOf(text: string): Uint8Array {
  const parsed = parseAddress(text);
  if (!parsed.ok) throw new Error(`test setup: ${text}`);
  return parsed.bytes;
}

describe('parseNat64Prefix', () => {
  it.each<[string, string, number]>([
    ['64:ff9b::/96', '64:ff9b::/96', 96],
    ['  2001:DB8:64::/96 ', '2001:db8:64::/96', 96],
    ['2001:db8::/32', '2001:db8::/32', 32],
    ['2001:db8:100::/40', '2001:db8:100::/40', 40],
    ['2001:db8:122::/48', '2001:db8:122::/48', 48],
    ['2001:db8:122:300::/56', '2001:db8:122:300::/56', 56],
    ['2001:db8:122:344::/64', '2001:db8:122:344::/64', 64],
    ['fd00:0:0:0:0:0::/96', 'fd00::/96', 96],
    ['[2001:db8:64::]/96', '2001:db8:64::/96', 96],
  ])('accepts %j as %s', (input, text, length) => {
    const result = parseNat64Prefix(input);
    expect(result.ok && result.prefix).toMatchObject({ text, length, source: 'user' });
  });

  it.each<[string, Nat64PrefixError]>([
    ['', { code: 'empty' }],
    ['   ', { code: 'empty' }],
    ['64:ff9b::', { code: 'no-length' }],
    ['64:ff9b::/', { code: 'bad-length', length: '' }],
    ['64:ff9b::/95', { code: 'bad-length', length: '95' }],
    ['64:ff9b::/128', { code: 'bad-length', length: '128' }],
    ['64:ff9b::/0x60', { code: 'bad-length', length: '0x60' }],
    ['64:ff9b::/-96', { code: 'bad-length', length: '-96' }],
    ['192.0.2.0/96', { code: 'not-ipv6' }],
    ['gggg::/96', { code: 'not-ipv6' }],
    ['64:ff9b:::/96', { code: 'not-ipv6' }],
    ['fe80::%eth0/96', { code: 'zone' }],
    ['2001:db8::1/96', { code: 'host-bits', suggestion: '2001:db8::/96' }],
    ['2001:db8:122:c000::/48', { code: 'host-bits', suggestion: '2001:db8:122::/48' }],
    ['2001:db8:1ff::/40', { code: 'host-bits', suggestion: '2001:db8:100::/40' }],
    ['2001:db8:0:0:100::/96', { code: 'u-octet' }],
    ['::/96', { code: 'special', range: '::/96' }],
    ['::ffff:0:0/96', { code: 'special', range: '::ffff:0:0/96' }],
    ['fe80::/64', { code: 'special', range: 'fe80::/10' }],
    ['ff02::/32', { code: 'special', range: 'ff00::/8' }],
    ['::/32', { code: 'special', range: '::/96' }],
  ])('refuses %j', (input, error) => {
    expect(parseNat64Prefix(input)).toStrictEqual({ ok: false, error });
  });
});

describe('embeddedIPv4', () => {
  const prefix = (text: string) => {
    const result = parseNat64Prefix(text);
    if (!result.ok) throw new Error(text);
    return result.prefix;
  };
  it.each<[string, string, string | undefined]>([
    ['64:ff9b::/96', '64:ff9b::c000:221', '192.0.2.33'],
    ['64:ff9b::/96', '64:ff9b::', '0.0.0.0'],
    ['64:ff9b::/96', '64:ff9b::1:c000:221', undefined],
    ['64:ff9b::/96', '64:ff9a::c000:221', undefined],
    ['2001:db8::/32', '2001:db8:c000:221:0:0:0:0', '192.0.2.33'],
    ['2001:db8::/32', '2001:db8:c000:221:ff00::', undefined],
    ['2001:db8:100::/40', '2001:db8:1c0:2:21::', '192.0.2.33'],
    ['2001:db8:122::/48', '2001:db8:122:c000:2:2100::', '192.0.2.33'],
    ['2001:db8:122::/48', '2001:db8:123:c000:2:2100::', undefined],
    ['2001:db8:122:300::/56', '2001:db8:122:3c0:0:221::', '192.0.2.33'],
    ['2001:db8:122:344::/64', '2001:db8:122:344:c0:2:2100:0', '192.0.2.33'],
    ['2001:db8:122:344::/64', '2001:db8:122:344:1c0:2:2100:0', undefined],
    ['2001:db8:122:344::/96', '2001:db8:122:344::c000:221', '192.0.2.33'],
  ])('under %s, %s → %s', (prefixText, address, expected) => {
    expect(embeddedIPv4(bytesOf(address), prefix(prefixText))).toBe(expected);
  });
});

describe('learnablePrefix (an IPv4-only host answering over IPv6)', () => {
  it.each<[string, string, string | undefined]>([
    ['ipv4only.arpa', '2001:db8:64::c000:aa', '2001:db8:64::/96'],
    ['IPv4only.ARPA', 'fd00:64:1:2:3:4:c000:ab', 'fd00:64:1:2:3:4::/96'],
    ['ipv4.google.com', '2a00:1:2:3::8efa:1', '2a00:1:2:3::/96'],
    ['example.com', '2001:db8:64::c000:aa', undefined],
    ['ipv4only.arpa', '192.0.0.170', undefined],
    ['ipv4only.arpa', '::1', undefined],
    ['ipv4only.arpa', 'fe80::c000:aa', undefined],
    ['ipv4only.arpa', '2001:db8:0:0:100::c000:aa', undefined],
  ])('%s at %s → %s', (host, address, expected) => {
    expect(learnablePrefix(host, address)).toBe(expected);
  });
});

describe('combinePrefixes', () => {
  it('puts defaults first, then the user’s, then learned ones, without duplicates or invalid text', () => {
    const combined = combinePrefixes(['2001:db8:64::/96', 'nonsense', '64:ff9b::/96', '2001:DB8:64::/96'], ['fd00::/96', '2001:db8:64::/96']);
    expect(combined.map((p) => [p.text, p.source])).toStrictEqual([
      ['64:ff9b::/96', 'default'],
      ['64:ff9b:1::/48', 'default'],
      ['2001:db8:64::/96', 'user'],
      ['fd00::/96', 'learned'],
    ]);
  });
});
