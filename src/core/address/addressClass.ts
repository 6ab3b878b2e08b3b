/**
 * What an address is, from the IANA IPv4 and IPv6 special-purpose address registries and the RFCs
 * behind them, and the family of the *server* behind it: an IPv4-mapped peer and an address in a
 * NAT64 prefix reach an IPv4 server, so their family is 4 although the socket was IPv6.
 */
import { formatIPv4, formatIPv6, hexBytes, parseAddress, type Family } from './address';
import { DEFAULT_NAT64_PREFIXES, matchNat64, matchesBits, type Nat64Prefix } from './nat64';

export const ADDRESS_CLASSES = [
  'global',
  'private',
  'shared',
  'loopback',
  'link-local',
  'unique-local',
  'documentation',
  'nat64',
  'ipv4-mapped',
  '6to4',
  'teredo',
  'multicast',
  'benchmarking',
  'reserved',
  'unspecified',
] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

export interface AddressInfo {
  /** The storage key: dotted quad, or RFC 5952 IPv6 with any %zone. Independent of settings. */
  canonical: string;
  /** Text to show: like canonical, but an IPv4-mapped peer as its IPv4 address and a /96 NAT64
   *  address with its IPv4 part dotted ("64:ff9b::192.0.2.1"). */
  display: string;
  /** Family of the server that answered. */
  family: Family;
  addressClass: AddressClass;
  /** The IPv4 address inside (mapped, NAT64, 6to4, Teredo client). */
  ipv4?: string;
  /** The NAT64 prefix the address fell in. */
  nat64Prefix?: string;
  teredo?: { server: string; clientPort: number };
  zone?: string;
}

export type DescribeResult = { ok: true; info: AddressInfo } | { ok: false; reason: string };

interface Block {
  hex: string;
  bits: number;
  addressClass: AddressClass;
}

// Order matters: the first block that matches wins, so exceptions come before their parents.
const IPV4_BLOCKS: readonly Block[] = [
  { hex: '00000000', bits: 32, addressClass: 'unspecified' },
  { hex: '00000000', bits: 8, addressClass: 'reserved' }, // "this network", RFC 791
  { hex: '0a000000', bits: 8, addressClass: 'private' }, // RFC 1918
  { hex: '64400000', bits: 10, addressClass: 'shared' }, // RFC 6598
  { hex: '7f000000', bits: 8, addressClass: 'loopback' },
  { hex: 'a9fe0000', bits: 16, addressClass: 'link-local' }, // RFC 3927
  { hex: 'ac100000', bits: 12, addressClass: 'private' },
  { hex: 'c0000009', bits: 32, addressClass: 'global' }, // PCP anycast, RFC 7723
  { hex: 'c000000a', bits: 32, addressClass: 'global' }, // TURN anycast, RFC 8155
  { hex: 'c0000000', bits: 24, addressClass: 'reserved' }, // IETF protocol assignments, RFC 6890
  { hex: 'c0000200', bits: 24, addressClass: 'documentation' }, // TEST-NET-1, RFC 5737
  { hex: 'c0586300', bits: 24, addressClass: 'reserved' }, // former 6to4 relay anycast, RFC 7526
  { hex: 'c0a80000', bits: 16, addressClass: 'private' },
  { hex: 'c6120000', bits: 15, addressClass: 'benchmarking' }, // RFC 2544
  { hex: 'c6336400', bits: 24, addressClass: 'documentation' }, // TEST-NET-2
  { hex: 'cb007100', bits: 24, addressClass: 'documentation' }, // TEST-NET-3
  { hex: 'e0000000', bits: 4, addressClass: 'multicast' },
  { hex: 'f0000000', bits: 4, addressClass: 'reserved' }, // future use and limited broadcast
];

const IPV6_BLOCKS: readonly Block[] = [
  { hex: '00000000000000000000000000000000', bits: 128, addressClass: 'unspecified' },
  { hex: '00000000000000000000000000000001', bits: 128, addressClass: 'loopback' },
  { hex: '00000000000000000000ffff00000000', bits: 96, addressClass: 'ipv4-mapped' },
  { hex: 'fe800000000000000000000000000000', bits: 10, addressClass: 'link-local' },
  { hex: 'fc000000000000000000000000000000', bits: 7, addressClass: 'unique-local' }, // RFC 4193
  { hex: 'ff000000000000000000000000000000', bits: 8, addressClass: 'multicast' },
  { hex: '20010db8000000000000000000000000', bits: 32, addressClass: 'documentation' }, // RFC 3849
  { hex: '3fff0000000000000000000000000000', bits: 20, addressClass: 'documentation' }, // RFC 9637
  { hex: '20010000000000000000000000000000', bits: 32, addressClass: 'teredo' }, // RFC 4380
  { hex: '20010002000000000000000000000000', bits: 48, addressClass: 'benchmarking' }, // RFC 5180
  { hex: '20020000000000000000000000000000', bits: 16, addressClass: '6to4' }, // RFC 3056
  // Globally reachable assignments inside 2001::/23 (IANA marks them so).
  { hex: '20010001000000000000000000000001', bits: 128, addressClass: 'global' }, // PCP anycast
  { hex: '20010001000000000000000000000002', bits: 128, addressClass: 'global' }, // TURN anycast
  { hex: '20010001000000000000000000000003', bits: 128, addressClass: 'global' }, // DNS-SD SRP anycast
  { hex: '20010003000000000000000000000000', bits: 32, addressClass: 'global' }, // AMT, RFC 7450
  { hex: '20010004011200000000000000000000', bits: 48, addressClass: 'global' }, // AS112-v6, RFC 7535
  { hex: '20010020000000000000000000000000', bits: 28, addressClass: 'global' }, // ORCHIDv2, RFC 7343
  { hex: '20010030000000000000000000000000', bits: 28, addressClass: 'global' }, // DRIP, RFC 9374
  { hex: '20010000000000000000000000000000', bits: 23, addressClass: 'reserved' }, // IETF protocol assignments
  { hex: '01000000000000000000000000000000', bits: 64, addressClass: 'reserved' }, // discard-only, RFC 6666
  { hex: '5f000000000000000000000000000000', bits: 16, addressClass: 'reserved' }, // SRv6 SIDs, RFC 9602
  // Everything else outside 2000::/3 is unassigned or deprecated (IPv4-compatible, site-local…).
  { hex: '20000000000000000000000000000000', bits: 3, addressClass: 'global' },
];

const compiled = (blocks: readonly Block[]): { bytes: Uint8Array; bits: number; addressClass: AddressClass }[] =>
  blocks.map((block) => ({ bytes: hexBytes(block.hex), bits: block.bits, addressClass: block.addressClass }));
const IPV4_TABLE = compiled(IPV4_BLOCKS);
const IPV6_TABLE = compiled(IPV6_BLOCKS);

/** The class of an IPv4 address (4 bytes) from the special-purpose registry. */
export function classOfIPv4(bytes: Uint8Array): AddressClass {
  for (const block of IPV4_TABLE) if (matchesBits(bytes, block.bytes, block.bits)) return block.addressClass;
  return 'global';
}

/** The class of an IPv6 address (16 bytes), NAT64 aside. */
export function classOfIPv6(bytes: Uint8Array): AddressClass {
  for (const block of IPV6_TABLE) if (matchesBits(bytes, block.bytes, block.bits)) return block.addressClass;
  return 'reserved';
}

function describeIPv6(bytes: Uint8Array, zone: string | undefined, prefixes: readonly Nat64Prefix[]): AddressInfo {
  const canonical = formatIPv6(bytes) + (zone === undefined ? '' : `%${zone}`);
  const base = zone === undefined ? { canonical } : { canonical, zone };
  const registryClass = classOfIPv6(bytes);
  if (registryClass === 'ipv4-mapped') {
    const ipv4 = formatIPv4(bytes, 12);
    return { ...base, display: ipv4, family: 4, addressClass: 'ipv4-mapped', ipv4 };
  }
  // NAT64 before the registry: a network may well put its prefix in ULA or documentation space.
  if (registryClass !== 'unspecified' && registryClass !== 'loopback' && registryClass !== 'link-local' && registryClass !== 'multicast') {
    const nat64 = matchNat64(bytes, prefixes);
    if (nat64 !== undefined) {
      const display = nat64.prefix.length === 96 ? formatIPv6(bytes, true) : canonical;
      return { ...base, display, family: 4, addressClass: 'nat64', ipv4: nat64.ipv4, nat64Prefix: nat64.prefix.text };
    }
  }
  const info: AddressInfo = { ...base, display: canonical, family: 6, addressClass: registryClass };
  if (registryClass === '6to4') info.ipv4 = formatIPv4(bytes, 2);
  if (registryClass === 'teredo') {
    // RFC 4380 §4: server in bits 32–63; client port and address stored inverted ("obfuscated").
    const client = Uint8Array.from(bytes.subarray(12, 16), (value) => value ^ 0xff);
    info.ipv4 = formatIPv4(client);
    info.teredo = { server: formatIPv4(bytes, 4), clientPort: (((bytes[10] ?? 0) << 8) | (bytes[11] ?? 0)) ^ 0xffff };
  }
  return info;
}

/** Parses and classifies an address with the NAT64 prefixes in force. */
export function describeAddress(text: string, prefixes: readonly Nat64Prefix[] = DEFAULT_NAT64_PREFIXES): DescribeResult {
  const parsed = parseAddress(text);
  if (!parsed.ok) return parsed;
  const { bytes } = parsed;
  if (bytes.length === 4) {
    const canonical = formatIPv4(bytes);
    return { ok: true, info: { canonical, display: canonical, family: 4, addressClass: classOfIPv4(bytes) } };
  }
  return { ok: true, info: describeIPv6(bytes, parsed.zone, prefixes) };
}

export type Describer = (text: string) => AddressInfo | undefined;

/**
 * describeAddress with a bounded memo for one set of prefixes: a page reports the same few
 * addresses thousands of times, and parsing is the only per-response work that is not a lookup.
 */
export function createDescriber(prefixes: readonly Nat64Prefix[] = DEFAULT_NAT64_PREFIXES, limit = 2048): Describer {
  let memo = new Map<string, AddressInfo | undefined>();
  return (text) => {
    if (memo.has(text)) return memo.get(text);
    if (memo.size >= limit) memo = new Map();
    const result = describeAddress(text, prefixes);
    const info = result.ok ? result.info : undefined;
    memo.set(text, info);
    return info;
  };
}
