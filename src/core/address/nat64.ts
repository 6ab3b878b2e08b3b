/**
 * NAT64 prefixes (RFC 6052): which IPv6 addresses stand for an IPv4 server, and which one.
 *
 * A prefix of length 32, 40, 48, 56, 64 or 96 carries the IPv4 address in the bits after it,
 * skipping bits 64–71 (the "u" octet, always zero). Prefixes come from three places: the two
 * defaults reserved for NAT64, the user's own, and the ones learned on this network.
 */
import { formatIPv4, formatIPv6, hexBytes, parseAddress } from './address';

export const NAT64_PREFIX_LENGTHS = [32, 40, 48, 56, 64, 96] as const;
export type Nat64PrefixLength = (typeof NAT64_PREFIX_LENGTHS)[number];

export type Nat64Source = 'default' | 'user' | 'learned';

export interface Nat64Prefix {
  /** Canonical text, e.g. "64:ff9b::/96". */
  text: string;
  /** All 16 bytes, zero after the prefix. */
  bytes: Uint8Array;
  length: Nat64PrefixLength;
  source: Nat64Source;
}

/** Byte positions of the embedded IPv4 address for each prefix length (RFC 6052 §2.2). */
const IPV4_BYTES: Record<Nat64PrefixLength, readonly number[]> = {
  32: [4, 5, 6, 7],
  40: [5, 6, 7, 9],
  48: [6, 7, 9, 10],
  56: [7, 9, 10, 11],
  64: [9, 10, 11, 12],
  96: [12, 13, 14, 15],
};

const U_OCTET = 8;

export const DEFAULT_NAT64_PREFIXES: readonly Nat64Prefix[] = [
  // RFC 6052 well-known prefix.
  { text: '64:ff9b::/96', bytes: hexBytes('0064ff9b000000000000000000000000'), length: 96, source: 'default' },
  // RFC 8215 local-use prefix.
  { text: '64:ff9b:1::/48', bytes: hexBytes('0064ff9b000100000000000000000000'), length: 48, source: 'default' },
];

export type Nat64PrefixError =
  | { code: 'empty' }
  | { code: 'no-length' }
  | { code: 'bad-length'; length: string }
  | { code: 'not-ipv6' }
  | { code: 'zone' }
  | { code: 'host-bits'; suggestion: string }
  | { code: 'u-octet' }
  | { code: 'special'; range: string };

export type Nat64PrefixResult = { ok: true; prefix: Nat64Prefix } | { ok: false; error: Nat64PrefixError };

/** Ranges that can never hold a NAT64 prefix: the addresses there mean something else. */
const FORBIDDEN_RANGES: readonly { bytes: Uint8Array; bits: number; text: string }[] = [
  { bytes: hexBytes('00000000000000000000000000000000'), bits: 96, text: '::/96' },
  { bytes: hexBytes('00000000000000000000ffff00000000'), bits: 96, text: '::ffff:0:0/96' },
  { bytes: hexBytes('fe800000000000000000000000000000'), bits: 10, text: 'fe80::/10' },
  { bytes: hexBytes('ff000000000000000000000000000000'), bits: 8, text: 'ff00::/8' },
];

/** True when the first `bits` bits of `bytes` equal those of `prefix`. */
export function matchesBits(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== prefix[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole] ?? 0) & mask) === ((prefix[whole] ?? 0) & mask);
}

function zeroAfter(bytes: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = bits >> 3; i < 16; i++) out[i] = 0;
  return out;
}

function isLength(value: number): value is Nat64PrefixLength {
  return (NAT64_PREFIX_LENGTHS as readonly number[]).includes(value);
}

/** Parses "2001:db8:122::/48" as a NAT64 prefix, or says precisely why it is not one. */
export function parseNat64Prefix(input: string, source: Nat64Source = 'user'): Nat64PrefixResult {
  const text = input.trim();
  if (text === '') return { ok: false, error: { code: 'empty' } };
  const slash = text.indexOf('/');
  if (slash === -1) return { ok: false, error: { code: 'no-length' } };
  const lengthText = text.slice(slash + 1);
  const length = /^\d{1,3}$/.test(lengthText) ? Number(lengthText) : NaN;
  if (!isLength(length)) return { ok: false, error: { code: 'bad-length', length: lengthText } };
  const addressText = text.slice(0, slash);
  if (addressText.includes('%')) return { ok: false, error: { code: 'zone' } };
  const parsed = parseAddress(addressText);
  if (!parsed.ok || parsed.bytes.length !== 16) return { ok: false, error: { code: 'not-ipv6' } };
  const bytes = parsed.bytes;
  const cleared = zeroAfter(bytes, length);
  if (cleared.some((value, i) => value !== bytes[i])) {
    return { ok: false, error: { code: 'host-bits', suggestion: `${formatIPv6(cleared)}/${length}` } };
  }
  if (length === 96 && bytes[U_OCTET] !== 0) return { ok: false, error: { code: 'u-octet' } };
  for (const range of FORBIDDEN_RANGES) {
    if (length >= range.bits ? matchesBits(bytes, range.bytes, range.bits) : matchesBits(range.bytes, bytes, length)) {
      return { ok: false, error: { code: 'special', range: range.text } };
    }
  }
  return { ok: true, prefix: { text: `${formatIPv6(bytes)}/${length}`, bytes, length, source } };
}

/** The IPv4 address an IPv6 address embeds under a prefix, or undefined if it is not inside it. */
export function embeddedIPv4(bytes: Uint8Array, prefix: Nat64Prefix): string | undefined {
  if (bytes.length !== 16 || !matchesBits(bytes, prefix.bytes, prefix.length)) return undefined;
  // Below /96 the u octet sits after the prefix and must be zero in a translated address.
  if (prefix.length < 96 && bytes[U_OCTET] !== 0) return undefined;
  const positions = IPV4_BYTES[prefix.length];
  return formatIPv4(Uint8Array.from(positions, (position) => bytes[position] ?? 0));
}

/** The first prefix (in the order given) that an address falls in, with its IPv4 address. */
export function matchNat64(bytes: Uint8Array, prefixes: readonly Nat64Prefix[]): { prefix: Nat64Prefix; ipv4: string } | undefined {
  for (const prefix of prefixes) {
    const ipv4 = embeddedIPv4(bytes, prefix);
    if (ipv4 !== undefined) return { prefix, ipv4 };
  }
  return undefined;
}

/**
 * Hosts that publish only IPv4 addresses. If one of them answers over IPv6, a DNS64 resolver
 * synthesised the address, so its /96 is this network's NAT64 prefix (the heuristic IPvFoo uses).
 * ipv4only.arpa is the name RFC 7050 reserves for exactly this discovery.
 */
export const IPV4_ONLY_HOSTS: ReadonlySet<string> = new Set([
  'ipv4only.arpa',
  'ipv4.google.com',
  'ipv4.icanhazip.com',
  'ipv4.lookup.test-ipv6.com',
  'v4.ipv6-test.com',
  'v4.testmyipv6.com',
]);

/**
 * The /96 prefix to learn from an IPv6 answer (`address`, as text) for an IPv4-only host, or
 * undefined. The host is checked first: almost none can teach one, and the address is parsed only
 * for those (parsing every new IPv6 answer was ~2 % of a page load's worker time).
 */
export function learnablePrefix(host: string, address: string): string | undefined {
  if (!IPV4_ONLY_HOSTS.has(host.toLowerCase())) return undefined;
  const parsed = parseAddress(address);
  if (!parsed.ok || parsed.bytes.length !== 16) return undefined;
  const result = parseNat64Prefix(`${formatIPv6(zeroAfter(parsed.bytes, 96))}/96`, 'learned');
  return result.ok ? result.prefix.text : undefined;
}

/** Defaults first, then the user's, then learned ones; duplicates and invalid texts dropped. */
export function combinePrefixes(user: readonly string[], learned: readonly string[]): Nat64Prefix[] {
  const out: Nat64Prefix[] = [...DEFAULT_NAT64_PREFIXES];
  const seen = new Set(out.map((prefix) => prefix.text));
  const add = (texts: readonly string[], source: Nat64Source): void => {
    for (const text of texts) {
      const result = parseNat64Prefix(text, source);
      if (!result.ok || seen.has(result.prefix.text)) continue;
      seen.add(result.prefix.text);
      out.push(result.prefix);
    }
  };
  add(user, 'user');
  add(learned, 'learned');
  return out;
}
