import { describe, expect, it } from 'vitest';
import { newLiveState, newRecentRing, type LiveState, type SwitchEvent } from '../../src/core/live/live';
import { newDomainRecord, type AddressStat, type DomainRecord, type ViewMeta } from '../../src/core/tab/model';
import { newRing, ringAdd, type BucketRing } from '../../src/core/live/ring';
import { encodeRing } from '../../src/core/session/codecParts';
import {
  decodeDomainRecord,
  decodeRememberedAddress,
  decodeStoredTab,
  encodeDomainRecord,
  encodeRememberedAddress,
  encodeStoredTab,
  type StoredTab,
} from '../../src/core/session/sessionCodec';
import { decodeLiveState, encodeLiveState } from '../../src/core/session/liveCodec';

/** Chrome's event times: whole microseconds as milliseconds. */
const VIEW_START = 1_764_486_000_123.456;
const at = (ms: number): number => Math.round((VIEW_START + ms) * 1000) / 1000;

function stat(family: 4 | 6 | undefined, over: Partial<AddressStat> = {}): AddressStat {
  const base: AddressStat = { responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: at(5.125), lastSeen: at(9.001), ...over };
  if (family !== undefined) base.family = family;
  return base;
}

function record(domain: string, over: Partial<DomainRecord> = {}): DomainRecord {
  return { ...newDomainRecord(domain, at(4.5)), lastSeen: at(40.25), ...over };
}

function ring(...counts: Array<[time: number, times: number]>): DomainRecord['recent'] {
  const recent = newRecentRing();
  for (const [time, times] of counts) for (let i = 0; i < times; i++) ringAdd(recent, Math.floor(time / 5_000), 0);
  return recent;
}

/** Every own key path of a value, so an absent field and one set to undefined differ. */
function keyPaths(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [path];
  return Object.keys(value).flatMap((key) => keyPaths((value as Record<string, unknown>)[key], `${path}/${key}`));
}

function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(keyPaths(actual).sort()).toEqual(keyPaths(expected).sort());
}

// ---------------------------------------------------------------------------------------------

describe('domain records round trip', () => {
  const bigIpv6 = '2001:db8:85a3:1234:5678:8a2e:370:7334';
  const cases: Array<[string, DomainRecord]> = [
    ['a record with no request yet', newDomainRecord('new.example', VIEW_START)],
    [
      'every field, optional ones included',
      record('full.example', {
        requests: 9,
        responses: 7,
        errors: 2,
        flags: 63,
        bytes: 123_456,
        unsized: 3,
        recent: ring([at(10), 2], [at(20_000), 1], [at(42_000), 5]),
        addresses: {
          '192.0.2.1': stat(4, { responses: 4, cached: 2, remembered: 1, bytes: 100_000, unsized: 1 }),
          [bigIpv6]: stat(6, { responses: 3, bytes: 23_456, unsized: 2, firstSeen: at(30.5), lastSeen: at(60_000.999) }),
        },
        primary: bigIpv6,
        networkAddress: '192.0.2.1',
        httpVersions: ['HTTP/2', 'HTTP/1.1'],
        dnsIpv6: ['2001:db8::1', '2001:db8::2'],
        inflight: ['1234', '1235', 'r77'],
      }),
    ],
    ['asked for IPv6 with none found: [] is kept apart from "not asked"', record('asked.example', { dnsIpv6: [], httpVersions: [] })],
    ['a DNS look-up that failed is kept apart from "none found"', record('failed.example', { dnsLookupFailed: true })],
    [
      'large counters',
      record('big.example', {
        requests: Number.MAX_SAFE_INTEGER,
        responses: 2 ** 40,
        bytes: Number.MAX_SAFE_INTEGER,
        unsized: 2 ** 33,
        errors: 2 ** 31,
        addresses: { '192.0.2.9': stat(4, { responses: 2 ** 40, bytes: Number.MAX_SAFE_INTEGER, cached: 2 ** 35 }) },
        primary: '192.0.2.9',
      }),
    ],
    [
      'an unparseable address: no family, text with quotes and backslashes',
      record('odd.example', { addresses: { 'not "an" \\ address': stat(undefined), '::ffff:7f00:2': stat(4) }, primary: 'not "an" \\ address' }),
    ],
    ['a primary address missing from the map is kept as text', record('dangling.example', { primary: '192.0.2.77', networkAddress: '192.0.2.78' })],
    ['__proto__ as domain and address', record('__proto__', { addresses: { ['__proto__']: stat(4), constructor: stat(6) }, primary: '__proto__', networkAddress: 'constructor' })],
    ['constructor as domain', record('constructor', { addresses: { toString: stat(6) }, primary: 'toString' })],
    ['an IDN host as the browser gives it', record('xn--bcher-kva.example', { addresses: { '2001:db8::b': stat(6) }, primary: '2001:db8::b' })],
    ['non-ASCII text kept as is', record('bücher.例え.テスト', { inflight: ['ü'] })],
    ['times before the view started (a late request of the commit)', record('early.example', { firstSeen: at(-350.5), lastSeen: at(-1) })],
    ['a view that has run for days', record('long.example', { firstSeen: at(3 * 86_400_000 + 0.001), lastSeen: at(4 * 86_400_000), recent: ring([at(4 * 86_400_000), 1]) })],
    ['whole-millisecond times (Firefox)', { ...newDomainRecord('ff.example', 1_764_486_000_500), lastSeen: 1_764_486_000_900 }],
    ['a time that is not whole microseconds falls back to the full record', record('fraction.example', { lastSeen: VIEW_START + 0.123_456_7 })],
  ];

  it.each(cases)('%s', (_name, original) => {
    const stored = encodeDomainRecord(original, VIEW_START);
    expect(typeof stored).toBe('string');
    // What Chrome keeps is JSON of the string: a round trip through it first.
    const decoded = decodeDomainRecord(JSON.parse(JSON.stringify(stored)), original.domain, VIEW_START);
    expectSame(decoded, original);
    expect(Object.getPrototypeOf(decoded?.addresses)).toBeNull();
  });

  it('uses the compact form for everyday records and the full one only when it must', () => {
    for (const [name, original] of cases) {
      const compact = Array.isArray(JSON.parse(encodeDomainRecord(original, VIEW_START)));
      expect(compact, name).toBe(!name.includes('falls back'));
    }
  });

  it('an address named __proto__ is an entry of its own, not the prototype', () => {
    const original = record('p.example', { addresses: { ['__proto__']: stat(6, { responses: 5 }) }, primary: '__proto__' });
    const decoded = decodeDomainRecord(encodeDomainRecord(original, VIEW_START), 'p.example', VIEW_START);
    expect(Object.keys(decoded?.addresses ?? {})).toEqual(['__proto__']);
    expect(decoded?.addresses['__proto__']?.responses).toBe(5);
    expect(Object.getPrototypeOf(decoded?.addresses)).toBeNull();
  });

  it('reads a record of the first format (the whole object as JSON)', () => {
    const original = cases[1]?.[1] as DomainRecord;
    expectSame(decodeDomainRecord(JSON.stringify(original), original.domain, VIEW_START), original);
  });
});

describe('tabs, live states and remembered addresses round trip', () => {
  const meta = (over: Partial<ViewMeta> = {}): ViewMeta => ({ id: 'milden7f.0', committed: true, partial: false, startedAt: VIEW_START, ...over });
  it.each<[string, StoredTab]>([
    ['a committed view only', { tabId: 7, current: meta({ url: 'https://a.example/x?y="1"', origin: 'https://a.example', mainDomain: 'a.example', mainRequestId: '42', documentId: 'D0C' }) }],
    ['a pending view and the previous one', { tabId: 7, current: meta({ id: 'milden7f.1', committed: false, mainRequestId: '43', url: 'https://b.example/' }), previous: meta({ documentId: 'D0C' }) }],
    ['a partial view with no url yet', { tabId: 7, current: meta({ partial: true }) }],
    ['a view started at time 0', { tabId: 7, current: meta({ startedAt: 0, committed: false }) }],
  ])('tab: %s', (_name, tab) => {
    expectSame(decodeStoredTab(JSON.parse(JSON.stringify(encodeStoredTab(tab))), 7), tab);
    expectSame(decodeStoredTab(JSON.stringify(tab), 7), tab);
  });

  function switchEvent(over: Partial<SwitchEvent> = {}): SwitchEvent {
    return { domain: 'cdn.example', from: '192.0.2.1', to: '2001:db8::1', fromFamily: 4, toFamily: 6, time: at(1_500.5), count: 3, lastTime: at(9_000.25), now: '192.0.2.1', nowFamily: 4, ...over };
  }
  function liveWith(counts: Array<[time: number, series: number]>, switches: SwitchEvent[] = []): LiveState {
    const live = newLiveState();
    for (const [time, series] of counts) ringAdd(live.timeline, Math.floor(time / 10_000), series);
    live.switches = switches;
    return live;
  }
  it.each<[string, LiveState]>([
    ['an empty timeline', newLiveState()],
    ['a timeline over every series and an hour', liveWith([[at(0), 0], [at(5), 1], [at(12_000), 2], [at(3_000_000), 3], [at(3_500_000), 0]])],
    ['switches, __proto__ as a domain', liveWith([[at(10), 0]], [switchEvent(), switchEvent({ domain: '__proto__', count: 1, time: at(-2), lastTime: at(-2) })])],
  ])('live: %s', (_name, live) => {
    expectSame(decodeLiveState(JSON.parse(JSON.stringify(encodeLiveState(live, VIEW_START))), VIEW_START), live);
    expectSame(decodeLiveState(JSON.stringify(live), VIEW_START), live);
  });

  /** A ring of 4 slots and 2 series with `counts` as [bucket, series, amount]. */
  function smallRing(counts: Array<[bucket: number, series: number, amount: number]>): BucketRing {
    const ring = newRing(2, 4);
    for (const [bucket, series, amount] of counts) ringAdd(ring, bucket, series, amount);
    return ring;
  }
  it.each<[string, BucketRing, unknown]>([
    ['never counted', smallRing([]), 0],
    ['the head only', smallRing([[5, 0, 3]]), [5 - 2, [3]]],
    ['a gap, the second series empty', smallRing([[3, 0, 1], [5, 0, 3]]), [3, [3, 0, 1]]],
    ['wrapped past slot 0, both series', smallRing([[4, 0, 2], [6, 0, 1], [3, 1, 4]]), [4, [1, 0, 2], [0, 0, 0, 4]]],
    ['the second series only', smallRing([[7, 1, 1]]), [5, 0, [1]]],
    ['counts that fell off the ring', smallRing([[1, 0, 9], [9, 0, 1]]), [7, [1]]],
  ])('ring encoding: %s', (_name, ring, expected) => {
    expect(encodeRing(ring, 2)).toEqual(expected);
  });

  it('a ring encodes as its counts from the head backwards, each series cut after its last non-zero count', () => {
    // The plain reading of the format, against the encoder, over rings of every fill.
    const reference = (ring: BucketRing, base: number): unknown => {
      if (ring.head === -1) return 0;
      const slots = ring.counts[0]?.length ?? 0;
      const rows = ring.counts.map((row) => {
        const backwards = Array.from({ length: slots }, (_, age) => row[(((ring.head - age) % slots) + slots) % slots] ?? 0);
        while (backwards.length > 0 && backwards[backwards.length - 1] === 0) backwards.pop();
        return backwards.length === 0 ? 0 : backwards;
      });
      const encoded: unknown[] = [ring.head - base, ...rows];
      while (encoded.length > 0 && encoded[encoded.length - 1] === 0) encoded.pop();
      return encoded;
    };
    let seed = 7;
    const next = (below: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % below;
    for (let trial = 0; trial < 300; trial++) {
      const live = newLiveState();
      for (let i = next(40); i > 0; i--) ringAdd(live.timeline, 1_000 + next(500), next(4), 1 + next(3));
      expect(encodeRing(live.timeline, 900)).toEqual(reference(live.timeline, 900));
    }
  });

  it('an empty live state takes a few bytes, not the 1,440 counts of its timeline', () => {
    expect(encodeLiveState(newLiveState(), VIEW_START)).toBe('[]');
    expect(JSON.stringify(newLiveState()).length).toBeGreaterThan(2_800);
  });

  it.each([
    ['192.0.2.1', 1_764_486_000_123],
    ['2001:db8::1', 1.5],
  ])('remembered address %s', (address, usedAt) => {
    expect(decodeRememberedAddress(encodeRememberedAddress({ address, usedAt }))).toEqual({ address, usedAt });
    expect(decodeRememberedAddress(JSON.stringify({ address, usedAt }))).toEqual({ address, usedAt });
  });
});

// ---------------------------------------------------------------------------------------------

const text = (value: unknown): string => JSON.stringify(value);
/** Values of any kind that are no entry at all. */
const NOT_ENTRIES: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['an object (not JSON text)', { requests: 1 }],
  ['bad JSON text', '{"requests": '],
  ['empty text', ''],
  ['JSON null', 'null'],
  ['JSON number', '42'],
  ['JSON string', '"x"'],
];

describe('corrupted entries decode to undefined without throwing', () => {
  const good = encodeDomainRecord(record('a.example', { addresses: { '192.0.2.1': stat(4) }, primary: '192.0.2.1' }), VIEW_START);
  it('(control) the good entry decodes', () => {
    expect(decodeDomainRecord(good, 'a.example', VIEW_START)?.primary).toBe('192.0.2.1');
  });

  it.each<[string, unknown]>([
    ...NOT_ENTRIES,
    ['a counter as text', text(['1', 1, 32])],
    ['a counter null', text([1, null, 32])],
    ['a time as text', text([1, 1, 32, 0, '4.5'])],
    ['a time beyond any date', text([1, 1, 32, 0, 1e300])],
    ['an address stat null', text([1, 1, 32, 0, 0, 0, [null]])],
    ['an address list that is an object', text([1, 1, 32, 0, 0, 0, { '192.0.2.1': [] }])],
    ['an address that is not text', text([1, 1, 32, 0, 0, 0, [[7, 4, 1]]])],
    ['an unknown family', text([1, 1, 32, 0, 0, 0, [['192.0.2.1', 5, 1]]])],
    ['the same address twice', text([1, 1, 32, 0, 0, 0, [['192.0.2.1', 4], ['192.0.2.1', 4]]])],
    ['a primary index past the list', text([1, 1, 32, 0, 0, 0, [['192.0.2.1', 4, 1]], 2])],
    ['a primary index of 0.5', text([1, 1, 32, 0, 0, 0, [['192.0.2.1', 4, 1]], 0.5])],
    ['a ring with a negative head', text([1, 1, 32, 0, 0, 0, 0, 0, 0, [-1e12, [1]]])],
    ['a ring with two series', text([1, 1, 32, 0, 0, 0, 0, 0, 0, [0, [1], [1]]])],
    ['a ring longer than its slots', text([1, 1, 32, 0, 0, 0, 0, 0, 0, [0, new Array(13).fill(1)]])],
    ['a ring count as text', text([1, 1, 32, 0, 0, 0, 0, 0, 0, [0, ['1']]])],
    ['inflight ids that are numbers', text([1, 1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, [1, 2]])],
    ['httpVersions that is text', text([1, 1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'HTTP/2'])],
    ['dnsIpv6 with null', text([1, 1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, [null]])],
    ['dnsLookupFailed that is not 0 or 1', text([1, 1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])],
    ['dnsLookupFailed as text', text([1, 1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'yes'])],
    ['first format: an address stat null (threw on main)', text({ ...record('a.example'), addresses: { '192.0.2.1': null } })],
    ['first format: addresses null', text({ ...record('a.example'), addresses: null })],
    ['first format: addresses a list', text({ ...record('a.example'), addresses: [stat(4)] })],
    ['first format: an address stat without times', text({ ...record('a.example'), addresses: { '192.0.2.1': { family: 4, responses: 1 } } })],
    ['first format: another domain than its key', text(record('b.example'))],
    ['first format: inflight missing', text({ ...record('a.example'), inflight: undefined })],
    ['first format: inflight with null', text({ ...record('a.example'), inflight: [null] })],
    ['first format: primary a number', text({ ...record('a.example'), primary: 4 })],
    ['first format: no times', text({ ...record('a.example'), firstSeen: undefined })],
  ])('d: %s', (_name, stored) => {
    let decoded: unknown = 'not run';
    expect(() => (decoded = decodeDomainRecord(stored, 'a.example', VIEW_START))).not.toThrow();
    expect(decoded).toBeUndefined();
  });

  it('d: a view start that is not a time', () => {
    expect(decodeDomainRecord(good, 'a.example', NaN)).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ...NOT_ENTRIES,
    ['no view', text([])],
    ['three views', text([['v1'], ['v2'], ['v3']])],
    ['a view that is not a list', text([{ id: 'v1' }])],
    ['a view without id', text([[0, 1, 1]])],
    ['a start as text', text([['v1', '1', 1]])],
    ['a url that is a number', text([['v1', 1, 1, 5]])],
    ['a previous view null', text([['v1', 1, 1], null])],
    ['first format: another tab than its key', text({ tabId: 8, current: { id: 'v1', committed: true, partial: false, startedAt: 1 } })],
    ['first format: committed as text', text({ tabId: 7, current: { id: 'v1', committed: 'yes', startedAt: 1 } })],
    ['first format: a bad previous view', text({ tabId: 7, current: { id: 'v1', committed: true, startedAt: 1 }, previous: { id: 7 } })],
  ])('t: %s', (_name, stored) => {
    expect(decodeStoredTab(text([['v1', 1, 1]]), 7)?.current.id).toBe('v1');
    let decoded: unknown = 'not run';
    expect(() => (decoded = decodeStoredTab(stored, 7))).not.toThrow();
    expect(decoded).toBeUndefined();
  });

  const swap = ['cdn.example', '192.0.2.1', '2001:db8::1', 4, 6, 1, 1, 0, '2001:db8::1', 6];
  it.each<[string, unknown]>([
    ...NOT_ENTRIES,
    ['a timeline with five series', text([[0, [1], [1], [1], [1], [1]]])],
    ['a timeline longer than an hour', text([[0, new Array(361).fill(1)]])],
    ['a timeline head as text', text([['0', [1]]])],
    ['a switch with family 5', text([0, [swap.map((v, i) => (i === 3 ? 5 : v))]])],
    ['a switch with a count as text', text([0, [swap.map((v, i) => (i === 6 ? '1' : v))]])],
    ['a switch that is null', text([0, [null]])],
    ['more switches than are kept', text([0, new Array(51).fill(swap)])],
    ['first format: a timeline of the wrong size', text({ timeline: { head: 1, counts: [[1]] }, switches: [] })],
  ])('l: %s', (_name, stored) => {
    expect(decodeLiveState(text([0, [swap]]), VIEW_START)?.switches).toHaveLength(1);
    let decoded: unknown = 'not run';
    expect(() => (decoded = decodeLiveState(stored, VIEW_START))).not.toThrow();
    expect(decoded).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ...NOT_ENTRIES,
    ['an empty address', text(['', 1])],
    ['an address too long to be one', text(['1'.repeat(65), 1])],
    ['a time as text', text(['192.0.2.1', 'now'])],
    ['no time', text(['192.0.2.1'])],
    ['first format: address a number', text({ address: 1, usedAt: 1 })],
  ])('a: %s', (_name, stored) => {
    expect(decodeRememberedAddress(text(['192.0.2.1', 1]))?.address).toBe('192.0.2.1');
    let decoded: unknown = 'not run';
    expect(() => (decoded = decodeRememberedAddress(stored))).not.toThrow();
    expect(decoded).toBeUndefined();
  });
});
