import { describe, expect, it } from 'vitest';
import { aaaaQuery, dohGetUrl, parseAaaaAnswer, type AaaaAnswer } from '../../src/core/address/dohMessage';

const bytesOf = (base64url: string): Uint8Array => Uint8Array.from(Buffer.from(base64url, 'base64url'));
const u16 = (value: number): number[] => [value >> 8, value & 0xff];
const u32 = (value: number): number[] => [...u16(value >>> 16), ...u16(value & 0xffff)];
const name = (text: string): number[] => [...text.split('.').flatMap((label) => [label.length, ...Buffer.from(label)]), 0];
/** A pointer to an earlier name (RFC 1035 compression). */
const pointer = (offset: number): number[] => [0xc0 | (offset >> 8), offset & 0xff];
/** The offset of the question's name in every message built here: just after the header. */
const QNAME = 12;

interface Built {
  id?: number;
  flags?: number;
  counts?: [number, number, number, number];
  question?: number[];
  answers?: number[][];
  extra?: number[][];
  trailing?: number[];
}

const rr = (owner: number[], type: number, data: number[], ttl = 300, klass = 1): number[] => [...owner, ...u16(type), ...u16(klass), ...u32(ttl), ...u16(data.length), ...data];
const aaaa = (owner: number[], address: number[]): number[] => rr(owner, 28, address);
const cname = (owner: number[], target: number[]): number[] => rr(owner, 5, target);
const opt = (extendedRcode: number): number[] => [0, ...u16(41), ...u16(1232), extendedRcode, 0, 0, 0, ...u16(0)];
const v6 = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), last];

/** A response to the AAAA question for `v4.example`, NOERROR and well formed unless told otherwise. */
function response(built: Built = {}): Uint8Array {
  const answers = built.answers ?? [];
  const extra = built.extra ?? [];
  const counts = built.counts ?? [1, answers.length, 0, extra.length];
  return Uint8Array.from([
    ...u16(built.id ?? 0),
    ...u16(built.flags ?? 0x8180),
    ...counts.flatMap(u16),
    ...(built.question ?? [...name('v4.example'), ...u16(28), ...u16(1)]),
    ...answers.flat(),
    ...extra.flat(),
    ...(built.trailing ?? []),
  ]);
}

describe('the AAAA question', () => {
  it('is RFC 8484’s example message with type AAAA, then an EDNS(0) OPT padded to 128 octets', () => {
    // RFC 8484 §4.1.1: the A question for www.example.com, ID 0, recursion desired.
    const rfcExample = bytesOf('AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB');
    rfcExample[rfcExample.length - 3] = 28;
    const query = aaaaQuery('www.example.com');
    expect(query).toBeDefined();
    const arcount = rfcExample.slice();
    arcount[11] = 1;
    expect([...(query as Uint8Array).subarray(0, rfcExample.length)]).toEqual([...arcount]);
    expect((query as Uint8Array).length).toBe(128);
    const opt = (query as Uint8Array).subarray(rfcExample.length);
    // Root name, type OPT, payload 4096, TTL 0, data: the padding option with zeros to the end.
    expect([...opt.subarray(0, 15)]).toEqual([0, 0, 41, 0x10, 0, 0, 0, 0, 0, ...u16(opt.length - 11), 0, 12, ...u16(opt.length - 15)]);
    expect(opt.subarray(15).every((byte) => byte === 0)).toBe(true);
  });

  it.each<[string, string, number]>([
    ['a short name', 'a.example', 128],
    ['a trailing dot is the same name', 'a.example.', 128],
    ['a name past one block takes two', `${'x'.repeat(63)}.${'y'.repeat(63)}.example`, 256],
  ])('%s is padded to a multiple of 128', (_name, host, length) => {
    expect(aaaaQuery(host)?.length).toBe(length);
  });

  it.each<[string, string]>([
    ['empty', ''],
    ['an empty label', 'a..example'],
    ['a label of 64', `${'x'.repeat(64)}.example`],
    ['over 255 octets', Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.')],
    ['not ASCII (browsers give punycode)', 'bücher.example'],
    ['a space', 'a b.example'],
  ])('refuses a name DNS cannot carry: %s', (_name, host) => {
    expect(aaaaQuery(host)).toBeUndefined();
  });

  it.each<[string, string, string]>([
    ['a plain resolver', 'https://dns.example/dns-query', 'https://dns.example/dns-query?dns='],
    ['one with a query of its own keeps it', 'https://dns.example/q?key=1', 'https://dns.example/q?key=1&dns='],
  ])('goes in the dns parameter, base64url without padding: %s', (_name, resolver, start) => {
    const query = aaaaQuery('v4.example') as Uint8Array;
    const url = dohGetUrl(resolver, query);
    expect(url.startsWith(start)).toBe(true);
    const encoded = new URL(url).searchParams.get('dns') ?? '';
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect([...bytesOf(encoded)]).toEqual([...query]);
  });
});

describe('reading the answer', () => {
  const qname = pointer(QNAME);
  it.each<[string, Built, AaaaAnswer]>([
    ['one AAAA', { answers: [aaaa(qname, v6(1))] }, { ok: true, addresses: ['2001:db8::1'] }],
    ['two AAAA, the owner written out in full', { answers: [aaaa(name('v4.example'), v6(1)), aaaa(qname, v6(2))] }, { ok: true, addresses: ['2001:db8::1', '2001:db8::2'] }],
    ['the name in another case (DNS 0x20) is the same name', { answers: [aaaa(name('V4.Example'), v6(3))] }, { ok: true, addresses: ['2001:db8::3'] }],
    ['no answer records (NODATA): none', {}, { ok: true, addresses: [] }],
    ['only A records: none', { answers: [rr(qname, 1, [192, 0, 2, 1])] }, { ok: true, addresses: [] }],
    [
      'a CNAME chain: the AAAA of the name it leads to',
      { answers: [cname(qname, name('cdn.example')), cname(pointer(40), name('edge.cdn.example')), aaaa(name('edge.cdn.example'), v6(4))] },
      { ok: true, addresses: ['2001:db8::4'] },
    ],
    ['an AAAA of a name the chain does not reach is left out', { answers: [aaaa(name('other.example'), v6(5)), aaaa(qname, v6(6))] }, { ok: true, addresses: ['2001:db8::6'] }],
    ['an AAAA of another class is left out', { answers: [rr(qname, 28, v6(7), 300, 3)] }, { ok: true, addresses: [] }],
    ['with an OPT record (extended rcode 0)', { answers: [aaaa(qname, v6(8))], extra: [opt(0)] }, { ok: true, addresses: ['2001:db8::8'] }],
    ['NXDOMAIN: no evidence', { flags: 0x8183 }, { ok: false, reason: 'nxdomain' }],
    ['SERVFAIL', { flags: 0x8182 }, { ok: false, reason: 'rcode' }],
    ['REFUSED', { flags: 0x8185 }, { ok: false, reason: 'rcode' }],
    ['an extended rcode in the OPT (BADVERS)', { extra: [opt(1)] }, { ok: false, reason: 'rcode' }],
    ['the TC bit', { flags: 0x8380, answers: [aaaa(qname, v6(1))] }, { ok: false, reason: 'truncated' }],
    ['a query, not a response (QR clear)', { flags: 0x0100 }, { ok: false, reason: 'not-a-response' }],
    ['another opcode', { flags: 0x8980 }, { ok: false, reason: 'not-a-response' }],
    ['another ID', { id: 0x1234, answers: [aaaa(qname, v6(1))] }, { ok: false, reason: 'wrong-id' }],
    ['another name in the question', { question: [...name('other.example'), ...u16(28), ...u16(1)] }, { ok: false, reason: 'wrong-question' }],
    ['another type in the question', { question: [...name('v4.example'), ...u16(1), ...u16(1)] }, { ok: false, reason: 'wrong-question' }],
    ['no question', { counts: [0, 0, 0, 0], question: [] }, { ok: false, reason: 'wrong-question' }],
    ['two questions', { counts: [2, 0, 0, 0] }, { ok: false, reason: 'wrong-question' }],
    ['more answers announced than sent', { counts: [1, 2, 0, 0], answers: [aaaa(qname, v6(1))] }, { ok: false, reason: 'truncated' }],
    ['an AAAA of 4 octets', { answers: [rr(qname, 28, [192, 0, 2, 1])] }, { ok: false, reason: 'malformed' }],
    ['record data longer than the message', { answers: [[...qname, ...u16(28), ...u16(1), ...u32(300), ...u16(16), ...v6(1).slice(0, 8)]] }, { ok: false, reason: 'truncated' }],
    ['a compression pointer to itself (a loop)', { answers: [aaaa(pointer(28), v6(1))] }, { ok: false, reason: 'malformed' }],
    ['a compression pointer forward', { answers: [aaaa(pointer(200), v6(1))] }, { ok: false, reason: 'malformed' }],
    ['a label with reserved bits (0x40)', { answers: [aaaa([0x41, 0], v6(1))] }, { ok: false, reason: 'malformed' }],
    ['bytes after the last record', { answers: [aaaa(qname, v6(1))], trailing: [0] }, { ok: false, reason: 'malformed' }],
    ['a CNAME loop', { answers: [cname(qname, name('a.example')), cname(name('a.example'), name('v4.example'))] }, { ok: false, reason: 'malformed' }],
    ['a CNAME whose data runs past its length', { answers: [[...qname, ...u16(5), ...u16(1), ...u32(300), ...u16(1), ...name('x.example')]] }, { ok: false, reason: 'malformed' }],
  ])('%s', (_name, built, expected) => {
    expect(parseAaaaAnswer(response(built), 'v4.example')).toEqual(expected);
  });

  it.each<[string, number]>([
    ['an empty body', 0],
    ['half a header', 6],
    ['a header alone', 12],
    ['the question cut short', 20],
  ])('refuses a message cut short: %s', (_name, length) => {
    expect(parseAaaaAnswer(response({ answers: [aaaa(qname, v6(1))] }).subarray(0, length), 'v4.example')).toEqual({ ok: false, reason: 'truncated' });
  });

  it('refuses every shorter cut of a good answer, and reads the whole (positive control)', () => {
    const whole = response({ answers: [aaaa(qname, v6(1))], extra: [opt(0)] });
    expect(parseAaaaAnswer(whole, 'v4.example')).toEqual({ ok: true, addresses: ['2001:db8::1'] });
    for (let length = 0; length < whole.length; length++) expect(parseAaaaAnswer(whole.subarray(0, length), 'v4.example').ok).toBe(false);
  });
});
