import { describe, expect, it } from 'vitest';
import { ADDRESS_CLASSES, createDescriber, describeAddress, type AddressClass, type AddressInfo } from '../../src/core/address/addressClass';
import { DEFAULT_NAT64_PREFIXES, parseNat64Prefix, type Nat64Prefix } from '../../src/core/address/nat64';

function userPrefix(text: string): Nat64Prefix {
  const result = parseNat64Prefix(text);
  if (!result.ok) throw new Error(`test setup: ${text} is refused: ${result.error.code}`);
  return result.prefix;
}

function info(text: string, prefixes: readonly Nat64Prefix[] = DEFAULT_NAT64_PREFIXES): AddressInfo {
  const result = describeAddress(text, prefixes);
  if (!result.ok) throw new Error(`${text} is unparseable: ${result.reason}`);
  return result.info;
}

/** [address, class, family]: the first and last address of each block, and the neighbours outside. */
const CASES: [string, AddressClass, 4 | 6][] = [
  // IPv4 special-purpose registry
  ['0.0.0.0', 'unspecified', 4],
  ['0.0.0.1', 'reserved', 4],
  ['0.255.255.255', 'reserved', 4],
  ['1.0.0.0', 'global', 4],
  ['9.255.255.255', 'global', 4],
  ['10.0.0.0', 'private', 4],
  ['10.255.255.255', 'private', 4],
  ['11.0.0.0', 'global', 4],
  ['100.63.255.255', 'global', 4],
  ['100.64.0.0', 'shared', 4],
  ['100.127.255.255', 'shared', 4],
  ['100.128.0.0', 'global', 4],
  ['126.255.255.255', 'global', 4],
  ['127.0.0.0', 'loopback', 4],
  ['127.255.255.255', 'loopback', 4],
  ['128.0.0.0', 'global', 4],
  ['169.253.255.255', 'global', 4],
  ['169.254.0.0', 'link-local', 4],
  ['169.254.255.255', 'link-local', 4],
  ['169.255.0.0', 'global', 4],
  ['172.15.255.255', 'global', 4],
  ['172.16.0.0', 'private', 4],
  ['172.31.255.255', 'private', 4],
  ['172.32.0.0', 'global', 4],
  ['191.255.255.255', 'global', 4],
  ['192.0.0.0', 'reserved', 4],
  ['192.0.0.8', 'reserved', 4],
  ['192.0.0.9', 'global', 4],
  ['192.0.0.10', 'global', 4],
  ['192.0.0.170', 'reserved', 4],
  ['192.0.0.255', 'reserved', 4],
  ['192.0.1.255', 'global', 4],
  ['192.0.2.0', 'documentation', 4],
  ['192.0.2.255', 'documentation', 4],
  ['192.0.3.0', 'global', 4],
  ['192.88.98.255', 'global', 4],
  ['192.88.99.0', 'reserved', 4],
  ['192.88.99.255', 'reserved', 4],
  ['192.88.100.0', 'global', 4],
  ['192.167.255.255', 'global', 4],
  ['192.168.0.0', 'private', 4],
  ['192.168.255.255', 'private', 4],
  ['192.169.0.0', 'global', 4],
  ['198.17.255.255', 'global', 4],
  ['198.18.0.0', 'benchmarking', 4],
  ['198.19.255.255', 'benchmarking', 4],
  ['198.20.0.0', 'global', 4],
  ['198.51.99.255', 'global', 4],
  ['198.51.100.0', 'documentation', 4],
  ['198.51.100.255', 'documentation', 4],
  ['198.51.101.0', 'global', 4],
  ['203.0.112.255', 'global', 4],
  ['203.0.113.0', 'documentation', 4],
  ['203.0.113.255', 'documentation', 4],
  ['203.0.114.0', 'global', 4],
  ['223.255.255.255', 'global', 4],
  ['224.0.0.0', 'multicast', 4],
  ['239.255.255.255', 'multicast', 4],
  ['240.0.0.0', 'reserved', 4],
  ['255.255.255.254', 'reserved', 4],
  ['255.255.255.255', 'reserved', 4],
  // IPv6 special-purpose registry
  ['::', 'unspecified', 6],
  ['::1', 'loopback', 6],
  ['::2', 'reserved', 6],
  ['::1.2.3.4', 'reserved', 6], // deprecated IPv4-compatible form
  ['::ffff:0.0.0.0', 'ipv4-mapped', 4],
  ['::ffff:255.255.255.255', 'ipv4-mapped', 4],
  ['::fffe:ffff:ffff', 'reserved', 6],
  ['::1:0:0:0', 'reserved', 6],
  ['64:ff9b::', 'nat64', 4],
  ['64:ff9b::ffff:ffff', 'nat64', 4],
  ['64:ff9b::1:0:0', 'reserved', 6], // inside 64:ff9b::/48-ish space but outside the /96
  ['64:ff9b:1::', 'nat64', 4],
  ['64:ff9b:1:ffff:ff:ffff:ffff:ffff', 'nat64', 4],
  ['64:ff9b:1:0:100::', 'reserved', 6], // u octet set: not a translated address
  ['64:ff9b:2::', 'reserved', 6],
  ['100::', 'reserved', 6],
  ['100::ffff:ffff:ffff:ffff', 'reserved', 6],
  ['1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved', 6],
  ['2000::', 'global', 6],
  ['2001::', 'teredo', 6],
  ['2001:0:ffff:ffff:ffff:ffff:ffff:ffff', 'teredo', 6],
  ['2001:1::', 'reserved', 6],
  ['2001:1::1', 'global', 6],
  ['2001:1::2', 'global', 6],
  ['2001:1::3', 'global', 6],
  ['2001:1::4', 'reserved', 6],
  ['2001:2::', 'benchmarking', 6],
  ['2001:2:0:ffff:ffff:ffff:ffff:ffff', 'benchmarking', 6],
  ['2001:2:1::', 'reserved', 6],
  ['2001:3::', 'global', 6],
  ['2001:3:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['2001:4:112::', 'global', 6],
  ['2001:4:113::', 'reserved', 6],
  ['2001:10::', 'reserved', 6], // ORCHID (deprecated)
  ['2001:20::', 'global', 6],
  ['2001:2f:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['2001:30::', 'global', 6],
  ['2001:3f:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved', 6],
  ['2001:200::', 'global', 6],
  ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['2001:db8::', 'documentation', 6],
  ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation', 6],
  ['2001:db9::', 'global', 6],
  ['2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['2002::', '6to4', 6],
  ['2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '6to4', 6],
  ['2003::', 'global', 6],
  ['2a00:1450:4001::1', 'global', 6],
  ['3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['3fff::', 'documentation', 6],
  ['3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation', 6],
  ['3fff:1000::', 'global', 6],
  ['3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'global', 6],
  ['4000::', 'reserved', 6],
  ['5f00::', 'reserved', 6],
  ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved', 6],
  ['fc00::', 'unique-local', 6],
  ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique-local', 6],
  ['fe00::', 'reserved', 6],
  ['fe80::', 'link-local', 6],
  ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local', 6],
  ['fec0::', 'reserved', 6], // deprecated site-local
  ['ff00::', 'multicast', 6],
  ['ff02::1', 'multicast', 6],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'multicast', 6],
];

describe('address classes', () => {
  it.each(CASES)('%s is %s (family %i)', (address, addressClass, family) => {
    const described = info(address);
    expect(described.addressClass).toBe(addressClass);
    expect(described.family).toBe(family);
  });

  it('covers every class', () => {
    expect(new Set(CASES.map(([, addressClass]) => addressClass))).toStrictEqual(new Set(ADDRESS_CLASSES));
  });
});

describe('describeAddress details', () => {
  it.each<[string, Partial<AddressInfo>]>([
    ['192.0.2.1', { canonical: '192.0.2.1', display: '192.0.2.1' }],
    ['::ffff:192.0.2.1', { canonical: '::ffff:c000:201', display: '192.0.2.1', ipv4: '192.0.2.1' }],
    // Chrome writes the mapped form in hex groups; upper case and brackets are fine.
    ['[::FFFF:7F00:2]', { canonical: '::ffff:7f00:2', display: '127.0.0.2', ipv4: '127.0.0.2' }],
    ['64:ff9b::c000:221', { canonical: '64:ff9b::c000:221', display: '64:ff9b::192.0.2.33', ipv4: '192.0.2.33', nat64Prefix: '64:ff9b::/96' }],
    ['0064:FF9B:0000::C000:0221', { canonical: '64:ff9b::c000:221', display: '64:ff9b::192.0.2.33', ipv4: '192.0.2.33' }],
    // RFC 8215 local-use /48: the IPv4 address straddles the u octet, so the text stays hex.
    ['64:ff9b:1:c000:2:2100::', { display: '64:ff9b:1:c000:2:2100::', ipv4: '192.0.2.33', nat64Prefix: '64:ff9b:1::/48' }],
    ['2002:c000:204::1', { display: '2002:c000:204::1', ipv4: '192.0.2.4' }],
    // RFC 4380 §4 example: server 65.54.227.120, client 192.0.2.45 port 40000.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', { ipv4: '192.0.2.45', teredo: { server: '65.54.227.120', clientPort: 40000 } }],
    ['fe80::1%eth0', { canonical: 'fe80::1%eth0', display: 'fe80::1%eth0', zone: 'eth0', addressClass: 'link-local' }],
    ['[FE80::0001%25]', { canonical: 'fe80::1%25', zone: '25' }],
    ['2001:DB8::1', { canonical: '2001:db8::1', addressClass: 'documentation' }],
  ])('%s', (input, expected) => {
    expect(info(input)).toMatchObject(expected);
  });

  it.each([
    [''],
    ['example.com'],
    ['1.2.3'],
    ['256.1.1.1'],
    ['1.2.3.300'],
    ['01.1.1.1'],
    ['::1::'],
    ['1:2:3:4:5:6:7:8:9'],
    ['zz::1'],
    ['1.2.3.4::'],
    ['::ffff:1.2.3'],
    ['::ffff:1.2.3.4.5'],
    ['::ffff:01.2.3.4'],
    ['fe80::1%'],
    ['fe80::1%a b'],
    ['192.0.2.1%eth0'],
    ['[192.0.2.1]'],
  ])('%j is unparseable, with a reason', (input) => {
    const result = describeAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
  });
});

describe('NAT64 prefixes in classification', () => {
  it.each<[string, string, string, string]>([
    // RFC 6052 §2.4 examples: 192.0.2.33 under each prefix length.
    ['2001:db8::/32', '2001:db8:c000:221::', '192.0.2.33', '2001:db8:c000:221::'],
    ['2001:db8:100::/40', '2001:db8:1c0:2:21::', '192.0.2.33', '2001:db8:1c0:2:21::'],
    ['2001:db8:122::/48', '2001:db8:122:c000:2:2100::', '192.0.2.33', '2001:db8:122:c000:2:2100::'],
    ['2001:db8:122:300::/56', '2001:db8:122:3c0:0:221::', '192.0.2.33', '2001:db8:122:3c0:0:221::'],
    ['2001:db8:122:344::/64', '2001:db8:122:344:c0:2:2100:0', '192.0.2.33', '2001:db8:122:344:c0:2:2100:0'],
    ['2001:db8:122:344::/96', '2001:db8:122:344::192.0.2.33', '192.0.2.33', '2001:db8:122:344::192.0.2.33'],
  ])('under %s, %s is NAT64 for %s', (prefix, address, ipv4, display) => {
    const described = info(address, [userPrefix(prefix)]);
    expect(described).toMatchObject({ addressClass: 'nat64', family: 4, ipv4, display, nat64Prefix: prefix });
  });

  it('a user prefix wins over the registry class of its range', () => {
    expect(info('fd00:64::c000:201').addressClass).toBe('unique-local');
    expect(info('fd00:64::c000:201', [userPrefix('fd00:64::/96')]).addressClass).toBe('nat64');
  });

  it('an address with the u octet set is not translated under a /48', () => {
    expect(info('2001:db8:122:c000:102:2100::', [userPrefix('2001:db8:122::/48')]).addressClass).toBe('documentation');
  });

  it('without the defaults, the well-known prefix is ordinary space', () => {
    expect(info('64:ff9b::c000:221', []).addressClass).toBe('reserved');
    expect(info('::ffff:7f00:2', []).addressClass).toBe('ipv4-mapped');
  });

  it('link-local and multicast are never NAT64, whatever the list says', () => {
    const weird: Nat64Prefix = { text: 'fe80::/32', bytes: new Uint8Array(16).fill(0).map((_, i) => (i === 0 ? 0xfe : i === 1 ? 0x80 : 0)), length: 32, source: 'user' };
    expect(info('fe80::1', [weird]).addressClass).toBe('link-local');
  });
});

describe('createDescriber', () => {
  it('answers like describeAddress and memoises the result', () => {
    const describe = createDescriber();
    const first = describe('::ffff:7f00:2');
    const direct = describeAddress('::ffff:7f00:2');
    expect(direct.ok && first).toStrictEqual(direct.ok && direct.info);
    expect(describe('::ffff:7f00:2')).toBe(first);
    expect(describe('not an address')).toBeUndefined();
  });

  it('uses its own prefixes', () => {
    const plain = createDescriber();
    const translated = createDescriber([...DEFAULT_NAT64_PREFIXES, userPrefix('2001:db8:64::/96')]);
    expect(plain('2001:db8:64::c000:201')?.addressClass).toBe('documentation');
    expect(translated('2001:db8:64::c000:201')?.addressClass).toBe('nat64');
  });

  it('starts over once the limit is reached, still answering correctly', () => {
    const describe = createDescriber(DEFAULT_NAT64_PREFIXES, 2);
    const a = describe('192.0.2.1');
    describe('192.0.2.2');
    expect(describe('192.0.2.1')).toBe(a);
    const c = describe('192.0.2.3');
    expect(c?.display).toBe('192.0.2.3');
    const again = describe('192.0.2.1');
    expect(again).not.toBe(a);
    expect(again).toStrictEqual(a);
  });
});
