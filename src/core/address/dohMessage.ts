/**
 * DNS-over-HTTPS (RFC 8484) for the optional DNS check on Chrome: the AAAA question for a host
 * name as a DNS message (RFC 1035 wire format), the GET URL that carries it, and the answer read
 * back. Whatever in an answer does not add up is refused: the check then has no evidence, which is
 * never taken for "no IPv6".
 */
import { formatIPv6 } from './address';

export const DNS_MESSAGE_TYPE = 'application/dns-message';
/** The largest DNS message (its length is 16 bits on every transport). */
export const MAX_DNS_MESSAGE = 65_535;

const TYPE_AAAA = 28;
const TYPE_CNAME = 5;
const TYPE_OPT = 41;
const CLASS_IN = 1;
const HEADER_LENGTH = 12;
/** RFC 8484 §4.1: ID 0 in every query, so that equal questions are equal URLs (HTTP-cacheable). */
const QUERY_ID = 0;
const FLAG_QR = 0x8000;
const FLAG_TC = 0x0200;
const FLAG_RD = 0x0100;
const RCODE_NXDOMAIN = 3;
/** EDNS(0) padding (RFC 7830): queries padded to a multiple of 128 octets (RFC 8467's advice), so the length does not tell the name. */
const OPTION_PADDING = 12;
const PAD_BLOCK = 128;
const EDNS_UDP_SIZE = 4096;
/** CNAMEs followed from the question's name; a longer chain is refused. */
const MAX_CHAIN = 16;

/**
 * The AAAA question for a host name (lower case, ASCII/punycode, as in URLs), as a DNS message with
 * recursion desired and EDNS(0) padding; undefined for a name DNS cannot carry.
 */
export function aaaaQuery(name: string): Uint8Array | undefined {
  const labels = encodeName(name);
  if (labels === undefined) return undefined;
  const unpadded = HEADER_LENGTH + labels.length + 4 + 11 + 4;
  const padding = (PAD_BLOCK - (unpadded % PAD_BLOCK)) % PAD_BLOCK;
  const message = new Uint8Array(unpadded + padding);
  const view = new DataView(message.buffer);
  view.setUint16(0, QUERY_ID);
  view.setUint16(2, FLAG_RD);
  view.setUint16(4, 1); // one question
  view.setUint16(10, 1); // one additional record: the OPT
  message.set(labels, HEADER_LENGTH);
  let at = HEADER_LENGTH + labels.length;
  view.setUint16(at, TYPE_AAAA);
  view.setUint16(at + 2, CLASS_IN);
  at += 4;
  // OPT: root name, type, UDP payload size as class, TTL 0 (extended rcode, version 0, no flags).
  at += 1;
  view.setUint16(at, TYPE_OPT);
  view.setUint16(at + 2, EDNS_UDP_SIZE);
  view.setUint16(at + 8, 4 + padding);
  view.setUint16(at + 10, OPTION_PADDING);
  view.setUint16(at + 12, padding);
  return message;
}

/** A name as DNS labels; undefined when empty, not ASCII, or a label or the whole is too long. */
function encodeName(name: string): Uint8Array | undefined {
  const labels = name.replace(/\.$/, '').split('.');
  const bytes: number[] = [];
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || !/^[\x21-\x7e]+$/.test(label)) return undefined;
    bytes.push(label.length, ...[...label].map((c) => c.charCodeAt(0)));
  }
  bytes.push(0);
  return bytes.length > 255 ? undefined : Uint8Array.from(bytes);
}

/** RFC 8484 GET: the message in the `dns` parameter, base64url without padding. */
export function dohGetUrl(resolver: string, query: Uint8Array): string {
  const url = new URL(resolver);
  url.searchParams.set('dns', base64Url(query));
  return url.href;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Why an answer gives no evidence. */
export type AnswerRefusal =
  /** Ends before what its header or its records announce, or has the TC bit. */
  | 'truncated'
  /** Not a response to a standard query. */
  | 'not-a-response'
  | 'wrong-id'
  /** Does not repeat the question asked. */
  | 'wrong-question'
  /** Bad lengths, a bad name (compression loop, a pointer forward), bytes left over, a CNAME loop. */
  | 'malformed'
  /**
   * The name does not exist for this resolver. The browser reached it, so the resolver's view of
   * DNS is not the browser's (a local name, the hosts file, split-horizon DNS): no evidence.
   */
  | 'nxdomain'
  /** Any other response code (SERVFAIL, REFUSED…). */
  | 'rcode';

/** The IPv6 addresses of the name (after its CNAMEs); an empty list is an answer of "none". */
export type AaaaAnswer = { ok: true; addresses: string[] } | { ok: false; reason: AnswerRefusal };

class Refused extends Error {
  constructor(readonly reason: AnswerRefusal) {
    super(reason);
  }
}

interface ResourceRecord {
  name: string;
  type: number;
  klass: number;
  ttl: number;
  /** Offset and length of the record's data in the message. */
  data: number;
  length: number;
}

/** Reads a DNS message, every read bounds-checked: past the end is "truncated". */
class MessageReader {
  private readonly view: DataView;
  at = 0;

  constructor(readonly message: Uint8Array) {
    this.view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  }

  private need(count: number, at = this.at): void {
    if (at + count > this.message.length) throw new Refused('truncated');
  }

  uint16(): number {
    this.need(2);
    const value = this.view.getUint16(this.at);
    this.at += 2;
    return value;
  }

  uint32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at);
    this.at += 4;
    return value;
  }

  /**
   * A name at the current offset (RFC 1035 §4.1.4 compression allowed): lower case, without the
   * root's dot. A pointer must point before the label that holds it, so a loop cannot be made.
   */
  name(): string {
    const labels: string[] = [];
    let at = this.at;
    let end: number | undefined;
    let wireLength = 1;
    for (;;) {
      this.need(1, at);
      const length = this.message[at] as number;
      if (length === 0) {
        end ??= at + 1;
        break;
      }
      if ((length & 0xc0) === 0xc0) {
        this.need(2, at);
        const target = ((length & 0x3f) << 8) | (this.message[at + 1] as number);
        if (target >= at) throw new Refused('malformed');
        end ??= at + 2;
        at = target;
        continue;
      }
      if ((length & 0xc0) !== 0) throw new Refused('malformed');
      this.need(1 + length, at);
      wireLength += 1 + length;
      if (wireLength > 255) throw new Refused('malformed');
      labels.push(String.fromCharCode(...this.message.subarray(at + 1, at + 1 + length)).toLowerCase());
      at += 1 + length;
    }
    this.at = end;
    return labels.join('.');
  }

  record(): ResourceRecord {
    const name = this.name();
    const type = this.uint16();
    const klass = this.uint16();
    const ttl = this.uint32();
    const length = this.uint16();
    const data = this.at;
    this.need(length);
    this.at += length;
    return { name, type, klass, ttl, data, length };
  }
}

/**
 * Reads a resolver's answer to `aaaaQuery(name)`: its IPv6 addresses, following CNAMEs from the
 * name, or why it is refused.
 */
export function parseAaaaAnswer(message: Uint8Array, name: string): AaaaAnswer {
  try {
    return { ok: true, addresses: readAnswer(message, name.replace(/\.$/, '').toLowerCase()) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    throw error;
  }
}

function readAnswer(message: Uint8Array, name: string): string[] {
  const reader = new MessageReader(message);
  const id = reader.uint16();
  const flags = reader.uint16();
  const [questions, answers, authorities, additionals] = [reader.uint16(), reader.uint16(), reader.uint16(), reader.uint16()];
  // Opcode 0 (a standard query) and the QR bit: a response to what was asked.
  if ((flags & FLAG_QR) === 0 || (flags & 0x7800) !== 0) throw new Refused('not-a-response');
  if (id !== QUERY_ID) throw new Refused('wrong-id');
  if ((flags & FLAG_TC) !== 0) throw new Refused('truncated');
  if (questions !== 1 || reader.name() !== name || reader.uint16() !== TYPE_AAAA || reader.uint16() !== CLASS_IN) throw new Refused('wrong-question');
  const records: ResourceRecord[] = [];
  for (let i = 0; i < answers; i++) records.push(reader.record());
  let extendedRcode = 0;
  for (let i = 0; i < authorities + additionals; i++) {
    const record = reader.record();
    // The OPT's TTL carries the upper 8 bits of a 12-bit response code (RFC 6891 §6.1.3).
    if (record.type === TYPE_OPT) extendedRcode = record.ttl >>> 24;
  }
  if (reader.at !== message.length) throw new Refused('malformed');
  const rcode = (extendedRcode << 4) | (flags & 0x000f);
  if (rcode === RCODE_NXDOMAIN) throw new Refused('nxdomain');
  if (rcode !== 0) throw new Refused('rcode');
  return addressesOf(reader, records, name);
}

/** The AAAA data of the name and of the names its CNAME chain leads to. */
function addressesOf(reader: MessageReader, records: readonly ResourceRecord[], name: string): string[] {
  const aliases = new Map<string, string>();
  for (const record of records) {
    if (record.klass !== CLASS_IN || record.type !== TYPE_CNAME) continue;
    reader.at = record.data;
    const target = reader.name();
    if (reader.at !== record.data + record.length) throw new Refused('malformed');
    aliases.set(record.name, target);
  }
  const chain = new Set<string>([name]);
  for (let current = aliases.get(name); current !== undefined; current = aliases.get(current)) {
    if (chain.has(current) || chain.size > MAX_CHAIN) throw new Refused('malformed');
    chain.add(current);
  }
  const addresses: string[] = [];
  for (const record of records) {
    if (record.klass !== CLASS_IN || record.type !== TYPE_AAAA) continue;
    if (record.length !== 16) throw new Refused('malformed');
    if (chain.has(record.name)) addresses.push(formatIPv6(reader.message.subarray(record.data, record.data + 16)));
  }
  return addresses;
}
