/** IP address text ↔ network-order bytes: strict parsing and RFC 5952 formatting. */

export type Family = 4 | 6;

export type ParseResult =
  | { ok: true; bytes: Uint8Array; zone?: string }
  | { ok: false; reason: string };

/** "0064ff9b…" → bytes: how the tables of special-purpose blocks are written. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIPv4Octets(text: string): Uint8Array | string {
  const parts = text.split('.');
  if (parts.length !== 4) return `"${text}" does not have four dotted parts`;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
    if (!DECIMAL_OCTET.test(part)) return `"${part}" is not a decimal octet`;
    const value = Number(part);
    if (value > 255) return `octet ${value} is out of range (0-255)`;
    out[i] = value;
  }
  return out;
}

function parseIPv6Groups(text: string): Uint8Array | string {
  const doubleColon = text.indexOf('::');
  if (doubleColon !== text.lastIndexOf('::')) return '"::" appears more than once';
  const head = doubleColon === -1 ? text : text.slice(0, doubleColon);
  const tail = doubleColon === -1 ? '' : text.slice(doubleColon + 2);
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === '' ? [] : tail.split(':');

  // An embedded IPv4 address may only stand in the last position: never before a trailing "::".
  const words: number[][] = [[], []];
  const sides = [headParts, tailParts];
  const lastSide = doubleColon === -1 ? 0 : 1;
  for (let s = 0; s < 2; s++) {
    const parts = sides[s] ?? [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      const isLast = s === lastSide && i === parts.length - 1;
      if (part.includes('.')) {
        if (!isLast) return 'an embedded IPv4 address must come last';
        const v4 = parseIPv4Octets(part);
        if (typeof v4 === 'string') return v4;
        words[s]?.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!HEX_GROUP.test(part)) return `"${part}" is not a group of 1-4 hex digits`;
        words[s]?.push(parseInt(part, 16));
      }
    }
  }
  const headWords = words[0] ?? [];
  const tailWords = words[1] ?? [];
  const given = headWords.length + tailWords.length;
  if (doubleColon === -1 && given !== 8) return `expected 8 groups, found ${given}`;
  if (doubleColon !== -1 && given > 7) return '"::" must stand for at least one group';
  const all = [...headWords, ...new Array<number>(8 - given).fill(0), ...tailWords];
  const out = new Uint8Array(16);
  all.forEach((word, i) => {
    out[i * 2] = word >> 8;
    out[i * 2 + 1] = word & 0xff;
  });
  return out;
}

/** Parses IPv4 or IPv6 text (brackets and a `%zone` allowed on IPv6) into network-order bytes. */
export function parseAddress(input: string): ParseResult {
  let text = input.trim();
  if (text === '') return { ok: false, reason: 'empty address' };
  const bracketed = text.startsWith('[') && text.endsWith(']');
  if (bracketed) text = text.slice(1, -1);
  if (!text.includes(':')) {
    if (bracketed) return { ok: false, reason: 'brackets are for IPv6 addresses only' };
    const v4 = parseIPv4Octets(text);
    return typeof v4 === 'string' ? { ok: false, reason: v4 } : { ok: true, bytes: v4 };
  }
  let zone: string | undefined;
  const percent = text.indexOf('%');
  if (percent !== -1) {
    zone = text.slice(percent + 1);
    text = text.slice(0, percent);
    if (!/^[0-9A-Za-z._~-]+$/.test(zone)) return { ok: false, reason: 'invalid zone id' };
  }
  const v6 = parseIPv6Groups(text);
  if (typeof v6 === 'string') return { ok: false, reason: v6 };
  return zone === undefined ? { ok: true, bytes: v6 } : { ok: true, bytes: v6, zone };
}

export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/**
 * RFC 5952 text: lower case, no leading zeros, the longest run (first on a tie) of two or more
 * zero groups as "::". With `embedIPv4`, the last 32 bits are written as a dotted quad.
 */
export function formatIPv6(bytes: Uint8Array, embedIPv4 = false): string {
  const groupCount = embedIPv4 ? 6 : 8;
  const groups: number[] = [];
  for (let i = 0; i < groupCount; i++) groups.push(((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groupCount; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groupCount && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const tailV4 = embedIPv4 ? formatIPv4(bytes, 12) : '';
  let text: string;
  if (bestStart === -1) {
    text = hex.join(':') + (embedIPv4 ? `:${tailV4}` : '');
  } else {
    const before = hex.slice(0, bestStart).join(':');
    const after = hex.slice(bestStart + bestLength).join(':');
    const afterAll = embedIPv4 ? (after === '' ? tailV4 : `${after}:${tailV4}`) : after;
    text = `${before}::${afterAll}`;
  }
  return text;
}

