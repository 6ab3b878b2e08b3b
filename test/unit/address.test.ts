import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, parseAddress } from '../../src/core/address/address';

/** Network-order bytes of eight 16-bit groups. */
function groupsToBytes(groups: readonly number[]): Uint8Array {
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function bytesOf(text: string): Uint8Array {
  const parsed = parseAddress(text);
  if (!parsed.ok) throw new Error(`test setup: ${text} does not parse: ${parsed.reason}`);
  return parsed.bytes;
}

describe('parseAddress', () => {
  it.each<[string, string, string | undefined]>([
    ['0.0.0.0', '00000000', undefined],
    ['192.0.2.1', 'c0000201', undefined],
    ['255.255.255.255', 'ffffffff', undefined],
    ['  10.1.2.3\n', '0a010203', undefined],
    ['::', '00000000000000000000000000000000', undefined],
    ['::1', '00000000000000000000000000000001', undefined],
    ['1::', '00010000000000000000000000000000', undefined],
    ['2001:db8::1', '20010db8000000000000000000000001', undefined],
    ['2001:DB8:0:0:0:0:0:1', '20010db8000000000000000000000001', undefined],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '20010db8000000000000000000000001', undefined],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008', undefined],
    ['1:2:3:4:5:6:7::', '00010002000300040005000600070000', undefined],
    ['::2:3:4:5:6:7:8', '00000002000300040005000600070008', undefined],
    ['1:2:3::6:7:8', '00010002000300000000000600070008', undefined],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201', undefined],
    ['::ffff:7f00:2', '00000000000000000000ffff7f000002', undefined],
    ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304', undefined],
    ['64:ff9b::192.0.2.33', '0064ff9b0000000000000000c0000221', undefined],
    ['[::1]', '00000000000000000000000000000001', undefined],
    ['fe80::1%eth0', 'fe800000000000000000000000000001', 'eth0'],
    ['[fe80::1%en0.1]', 'fe800000000000000000000000000001', 'en0.1'],
  ])('parses %j', (input, expectedHex, zone) => {
    const result = parseAddress(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(hex(result.bytes)).toBe(expectedHex);
    expect(result.zone).toBe(zone);
    expect('zone' in result).toBe(zone !== undefined);
  });

  it.each([
    [''],
    ['   '],
    ['example.com'],
    ['1.2.3'],
    ['1.2.3.4.5'],
    ['256.0.0.1'],
    ['1.2.3.256'],
    ['01.2.3.4'],
    ['1.2.3.-1'],
    ['1.2.3.4 5'],
    ['1..2.3'],
    ['0x7f.0.0.1'],
    [':'],
    [':::'],
    [':::1'],
    ['1:::2'],
    ['1::2::3'],
    [':1:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7:'],
    ['1:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7:8:9'],
    ['1:2:3:4:5:6:7:8::'],
    ['::1:2:3:4:5:6:7:8'],
    ['1:2:3:4::5:6:7:8'],
    ['gggg::1'],
    ['12345::1'],
    ['2001:db8::1 2'],
    ['::1.2.3.4:5'],
    ['1.2.3.4:1::'],
    ['1.2.3.4::'],
    ['1:2:3:4:5:1.2.3.4::'],
    ['1:2:3:4:5:6:7:1.2.3.4'],
    ['::ffff:1.2.3'],
    ['::ffff:256.1.1.1'],
    ['fe80::1%'],
    ['fe80::1%eth 0'],
    ['fe80::1%eth0%1'],
    ['[::1'],
    ['::1]'],
    ['[192.0.2.1]'],
    ['192.0.2.1%eth0'],
  ])('refuses %j', (input) => {
    const result = parseAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toBe('');
  });
});

describe('formatIPv4', () => {
  it.each<[number[], number, string]>([
    [[192, 0, 2, 1], 0, '192.0.2.1'],
    [[0, 0, 0, 0], 0, '0.0.0.0'],
    [[255, 255, 255, 255], 0, '255.255.255.255'],
    [[9, 9, 10, 1, 2, 3], 2, '10.1.2.3'],
  ])('%j at offset %i → %s', (bytes, offset, expected) => {
    expect(formatIPv4(new Uint8Array(bytes), offset)).toBe(expected);
  });
});

describe('formatIPv6 (RFC 5952)', () => {
  it.each<[string, number[], string]>([
    ['all zero', [0, 0, 0, 0, 0, 0, 0, 0], '::'],
    ['loopback', [0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    ['trailing run', [1, 0, 0, 0, 0, 0, 0, 0], '1::'],
    ['middle run', [0x2001, 0xdb8, 0, 0, 0, 0, 2, 1], '2001:db8::2:1'],
    ['no zeros', [1, 2, 3, 4, 5, 6, 7, 8], '1:2:3:4:5:6:7:8'],
    ['lower case, no leading zeros', [0xabcd, 0xef, 0x0a, 0xffff, 1, 0x10, 0x100, 0x1000], 'abcd:ef:a:ffff:1:10:100:1000'],
    ['a single zero group is never compressed', [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
    ['single zero groups only', [0, 1, 0, 1, 0, 1, 0, 1], '0:1:0:1:0:1:0:1'],
    ['single zero at each end', [0, 1, 2, 3, 4, 5, 6, 0], '0:1:2:3:4:5:6:0'],
    ['longest run wins (later)', [0x2001, 0, 0, 1, 0, 0, 0, 1], '2001:0:0:1::1'],
    ['longest run wins (earlier)', [0x2001, 0, 0, 0, 1, 0, 0, 1], '2001::1:0:0:1'],
    ['first run on a tie', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
    ['first run on a tie at the ends', [0, 0, 1, 2, 3, 4, 0, 0], '::1:2:3:4:0:0'],
    ['longer run at the end', [0, 0, 1, 0, 0, 0, 0, 0], '0:0:1::'],
    ['run of two', [1, 2, 3, 0, 0, 6, 7, 8], '1:2:3::6:7:8'],
    ['seven zero groups at the start', [0, 0, 0, 0, 0, 0, 0, 0xffff], '::ffff'],
  ])('%s', (_name, groups, expected) => {
    expect(formatIPv6(groupsToBytes(groups))).toBe(expected);
  });

  it.each<[string, number[], string]>([
    ['NAT64 well-known prefix', [0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x221], '64:ff9b::192.0.2.33'],
    ['mapped', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 2], '::ffff:127.0.0.2'],
    ['no zero run', [1, 2, 3, 4, 5, 6, 0x0102, 0x0304], '1:2:3:4:5:6:1.2.3.4'],
    ['run in the middle', [1, 0, 0, 0, 0, 2, 0x0102, 0x0304], '1::2:1.2.3.4'],
    ['single zero before the IPv4 part', [1, 2, 3, 4, 5, 0, 0x0102, 0x0304], '1:2:3:4:5:0:1.2.3.4'],
    ['all-zero IPv4 part is still dotted', [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], '64:ff9b::0.0.0.0'],
  ])('with embedded IPv4: %s', (_name, groups, expected) => {
    expect(formatIPv6(groupsToBytes(groups), true)).toBe(expected);
  });

  it.each([
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['FE80:0000:0000:0000:0202:B3FF:FE1E:8329', 'fe80::202:b3ff:fe1e:8329'],
  ])('round trip %s → %s', (input, expected) => {
    expect(formatIPv6(bytesOf(input))).toBe(expected);
    // The canonical text is a fixed point.
    expect(formatIPv6(bytesOf(expected))).toBe(expected);
  });
});
