import { describe, expect, it } from 'vitest';
import type { AddressClass } from '../../src/core/address/addressClass';
import { countRecent, newRecentRing } from '../../src/core/live/live';
import {
  NO_FILTER,
  REPORT_COLUMNS,
  classKeyOf,
  classesPresent,
  readinessPresent,
  defaultDirection,
  filterRows,
  nextSort,
  sortRows,
  type ReportColumn,
  type RowFilter,
  type SortOrder,
} from '../../src/core/view/reportTable';
import type { AddressSnapshot, DomainSnapshot } from '../../src/core/view/snapshot';

const NOW = 1_700_000_000_000;

/** An address row; 'unparseable' stands for text the browser reported that is not an address. */
function address(text: string, kind: AddressClass | 'unparseable' = 'global'): AddressSnapshot {
  const family = text.includes(':') ? 6 : 4;
  const addressClass = kind === 'unparseable' ? undefined : kind;
  return { address: text, canonical: text, family, addressClass, responses: 1, cached: 0, bytes: 0, unsized: 0, lastSeen: NOW };
}

/** A row; `address` sets the primary address (and its class and family), `lastMinute` the recent ring. */
function row(domain: string, over: Partial<DomainSnapshot> & { primary?: AddressSnapshot; lastMinute?: number } = {}): DomainSnapshot {
  const { primary, lastMinute = 0, ...rest } = over;
  const recent = newRecentRing();
  for (let i = 0; i < lastMinute; i++) countRecent(recent, NOW - 1000);
  return {
    domain,
    isMain: false,
    family: primary?.family,
    address: primary?.address,
    addressClass: primary?.addressClass,
    addresses: primary === undefined ? [] : [primary],
    requests: 0,
    responses: 0,
    errors: 0,
    inflight: 0,
    bytes: 0,
    unsized: 0,
    recent,
    flags: [],
    httpVersions: [],
    readiness: 'unknown',
    firstSeen: NOW,
    lastSeen: NOW,
    ...rest,
  };
}

const domains = (rows: DomainSnapshot[]): string[] => rows.map((r) => r.domain);
const order = (column: ReportColumn, direction: SortOrder['direction']): SortOrder => ({ column, direction });

type SortCase = [ReportColumn, DomainSnapshot[], string[], string[]];

const NUMERIC: ReportColumn[] = ['requests', 'responses', 'errors', 'bytes', 'unsized', 'firstSeen', 'lastSeen'];

const sortCases: SortCase[] = [
  [
    'domain',
    ['z.org', 'a.example.com', '192.0.2.1', 'example-cdn.com', 'example.com'].map((d) => row(d)),
    // Grouped under the parent domain; "example-cdn.com" never splits example.com from its subdomains.
    ['example.com', 'a.example.com', 'example-cdn.com', 'z.org', '192.0.2.1'],
    ['192.0.2.1', 'z.org', 'example-cdn.com', 'a.example.com', 'example.com'],
  ],
  [
    'address',
    [
      row('none.test'),
      row('v4-10.test', { primary: address('192.0.2.10') }),
      row('bogus.test', { primary: address('bogus', 'unparseable') }),
      row('v6-10.test', { primary: address('2001:db8::10') }),
      row('v4-9.test', { primary: address('192.0.2.9') }),
      row('v6-9.test', { primary: address('2001:db8::9') }),
    ],
    // IPv6 first, each numerically (not "…10" before "…9"), then text that is no address; none last.
    ['v6-9.test', 'v6-10.test', 'v4-9.test', 'v4-10.test', 'bogus.test', 'none.test'],
    ['bogus.test', 'v4-10.test', 'v4-9.test', 'v6-10.test', 'v6-9.test', 'none.test'],
  ],
  [
    'family',
    [row('unknown.test'), row('b6.test', { primary: address('::1') }), row('four.test', { primary: address('127.0.0.1') }), row('a6.test', { primary: address('::2') })],
    ['a6.test', 'b6.test', 'four.test', 'unknown.test'],
    ['four.test', 'a6.test', 'b6.test', 'unknown.test'],
  ],
  [
    'class',
    [
      row('none.test'),
      row('loop.test', { primary: address('127.0.0.1', 'loopback') }),
      row('bad.test', { primary: address('x', 'unparseable') }),
      row('global.test', { primary: address('192.0.2.1', 'global') }),
    ],
    ['global.test', 'loop.test', 'bad.test', 'none.test'],
    ['bad.test', 'loop.test', 'global.test', 'none.test'],
  ],
  [
    'readiness',
    [row('lit.test', { readiness: 'ipv4-literal' }), row('six.test', { readiness: 'ipv6' }), row('unk.test'), row('pub.test', { readiness: 'published' }), row('only4.test', { readiness: 'ipv4-only' }), row('six2.test', { readiness: 'ipv6' })],
    // Proven first; descending (its default) puts what blocks an IPv6-only client on top.
    ['six.test', 'six2.test', 'pub.test', 'unk.test', 'only4.test', 'lit.test'],
    ['lit.test', 'only4.test', 'unk.test', 'pub.test', 'six.test', 'six2.test'],
  ],
  [
    'flags',
    [
      row('plain.test', { flags: ['plainHttp'] }),
      row('empty.test'),
      row('tls.test', { flags: ['tls'] }),
      row('cache.test', { flags: ['cache', 'tls'] }),
      row('h2.test', { httpVersions: ['h2'] }),
    ],
    // TLS is not shown, so it is no flag to sort on: tls.test has none, like empty.test.
    ['cache.test', 'h2.test', 'plain.test', 'empty.test', 'tls.test'],
    ['plain.test', 'h2.test', 'cache.test', 'empty.test', 'tls.test'],
  ],
  [
    'addresses',
    [row('two.test', { addresses: [address('::1'), address('::2')] }), row('zero.test'), row('one.test', { primary: address('::1') })],
    ['zero.test', 'one.test', 'two.test'],
    ['two.test', 'one.test', 'zero.test'],
  ],
  [
    'lastMinute',
    [row('busy.test', { lastMinute: 7 }), row('idle.test'), row('some.test', { lastMinute: 2 }), row('also.test', { lastMinute: 2 })],
    ['idle.test', 'also.test', 'some.test', 'busy.test'],
    ['busy.test', 'also.test', 'some.test', 'idle.test'],
  ],
  // Every count and time: numeric (10 after 9), ties by domain A→Z in both directions.
  ...NUMERIC.map((column): SortCase => [
    column,
    [row('x.test', { [column]: 10 }), row('y.test', { [column]: 1 }), row('z.test', { [column]: 9 }), row('w.test', { [column]: 9 })],
    ['y.test', 'w.test', 'z.test', 'x.test'],
    ['x.test', 'w.test', 'z.test', 'y.test'],
  ]),
];

describe('sortRows', () => {
  it('has a case for every column', () => {
    expect(new Set(sortCases.map(([column]) => column))).toEqual(new Set(REPORT_COLUMNS));
  });

  it.each(sortCases)('%s', (column, rows, ascending, descending) => {
    const before = domains(rows);
    expect(domains(sortRows(rows, order(column, 'ascending'), NOW))).toEqual(ascending);
    expect(domains(sortRows(rows, order(column, 'descending'), NOW))).toEqual(descending);
    // A sorted copy: the snapshot's own order is left alone.
    expect(domains(rows)).toEqual(before);
  });

  it.each(REPORT_COLUMNS)('%s: empty input', (column) => {
    expect(sortRows([], order(column, 'ascending'), NOW)).toEqual([]);
  });

  it('counts the last minute against the clock it is given', () => {
    const rows = [row('old.test', { lastMinute: 5 }), row('new.test')];
    countRecent(rows[1]!.recent, NOW + 120_000);
    expect(domains(sortRows(rows, order('lastMinute', 'descending'), NOW))).toEqual(['old.test', 'new.test']);
    expect(domains(sortRows(rows, order('lastMinute', 'descending'), NOW + 120_000))).toEqual(['new.test', 'old.test']);
  });
});

describe('header clicks', () => {
  it.each<[ReportColumn, SortOrder['direction']]>([
    ['domain', 'ascending'],
    ['address', 'ascending'],
    ['family', 'ascending'],
    ['class', 'ascending'],
    ['flags', 'ascending'],
    ['firstSeen', 'ascending'],
    ['lastSeen', 'ascending'],
    ['requests', 'descending'],
    ['responses', 'descending'],
    ['errors', 'descending'],
    ['lastMinute', 'descending'],
    ['bytes', 'descending'],
    ['unsized', 'descending'],
    ['addresses', 'descending'],
    ['readiness', 'descending'],
  ])('%s starts %s', (column, direction) => {
    expect(defaultDirection(column)).toBe(direction);
    expect(nextSort(order('domain', 'descending'), column === 'domain' ? 'requests' : column)).toEqual(
      column === 'domain' ? order('requests', 'descending') : order(column, direction),
    );
  });

  it.each<[SortOrder, ReportColumn, SortOrder]>([
    [order('requests', 'descending'), 'requests', order('requests', 'ascending')],
    [order('requests', 'ascending'), 'requests', order('requests', 'descending')],
    [order('domain', 'ascending'), 'domain', order('domain', 'descending')],
    [order('requests', 'ascending'), 'bytes', order('bytes', 'descending')],
    [order('bytes', 'descending'), 'domain', order('domain', 'ascending')],
  ])('%j, click %s → %j', (current, column, expected) => {
    expect(nextSort(current, column)).toEqual(expected);
  });
});

describe('filterRows', () => {
  const rows = [
    row('www.example.com', { primary: address('2001:db8::1', 'documentation') }),
    row('cdn.example.net', { primary: address('192.0.2.7', 'documentation'), addresses: [address('192.0.2.7', 'documentation'), address('198.51.100.3', 'documentation')] }),
    row('local.test', { primary: address('127.0.0.1', 'loopback') }),
    row('six-local.test', { primary: address('::1', 'loopback') }),
    row('pending.test'),
    row('odd.test', { primary: { ...address('weird', 'unparseable'), family: 4 } }),
    row('mapped.test', { primary: { ...address('127.0.0.2', 'ipv4-mapped'), canonical: '::ffff:127.0.0.2' } }),
  ];

  it.each<[string, RowFilter, string[]]>([
    ['no filter', NO_FILTER, domains(rows)],
    ['IPv6', { families: new Set(['6']), classes: 'all' }, ['www.example.com', 'six-local.test']],
    ['IPv4', { families: new Set(['4']), classes: 'all' }, ['cdn.example.net', 'local.test', 'odd.test', 'mapped.test']],
    ['unknown family', { families: new Set(['?']), classes: 'all' }, ['pending.test']],
    ['IPv6 and unknown', { families: new Set(['6', '?']), classes: 'all' }, ['www.example.com', 'six-local.test', 'pending.test']],
    ['no family at all', { families: new Set(), classes: 'all' }, []],
    ['loopback', { families: 'all', classes: new Set(['loopback']) }, ['local.test', 'six-local.test']],
    ['no address yet', { families: 'all', classes: new Set(['none']) }, ['pending.test']],
    ['unparseable', { families: 'all', classes: new Set(['unparseable']) }, ['odd.test']],
    ['two classes', { families: 'all', classes: new Set(['ipv4-mapped', 'documentation']) }, ['www.example.com', 'cdn.example.net', 'mapped.test']],
    ['IPv4 and loopback', { families: new Set(['4']), classes: new Set(['loopback']) }, ['local.test']],
    ['IPv6 and loopback', { families: new Set(['6']), classes: new Set(['loopback']) }, ['six-local.test']],
    ['text in the domain', { ...NO_FILTER, text: 'EXAMPLE' }, ['www.example.com', 'cdn.example.net']],
    ['text in the primary address', { ...NO_FILTER, text: '2001:db8' }, ['www.example.com']],
    ['text in another address', { ...NO_FILTER, text: '198.51' }, ['cdn.example.net']],
    ['text in the canonical address', { ...NO_FILTER, text: '::ffff:' }, ['mapped.test']],
    ['text trimmed', { ...NO_FILTER, text: '  local  ' }, ['local.test', 'six-local.test']],
    ['empty text', { ...NO_FILTER, text: '   ' }, domains(rows)],
    ['text matching nothing', { ...NO_FILTER, text: 'nowhere' }, []],
    ['all three', { families: new Set(['4', '6']), classes: new Set(['loopback', 'documentation']), text: '.test' }, ['local.test', 'six-local.test']],
  ])('%s', (_name, filter, expected) => {
    expect(domains(filterRows(rows, filter))).toEqual(expected);
  });

  it.each<[string, RowFilter, string[]]>([
    ['every readiness', { ...NO_FILTER, readiness: 'all' }, ['six.test', 'pub.test', 'lit.test', 'unk.test']],
    ['ipv6 only', { ...NO_FILTER, readiness: new Set(['ipv6']) }, ['six.test']],
    ['what blocks', { ...NO_FILTER, readiness: new Set(['ipv4-only', 'ipv4-literal']) }, ['lit.test']],
    ['readiness and text', { ...NO_FILTER, readiness: new Set(['ipv6', 'published']), text: 'pub' }, ['pub.test']],
  ])('readiness: %s', (_name, filter, expected) => {
    const rows = [row('six.test', { readiness: 'ipv6' }), row('pub.test', { readiness: 'published' }), row('lit.test', { readiness: 'ipv4-literal' }), row('unk.test')];
    expect(domains(filterRows(rows, filter))).toEqual(expected);
    expect(readinessPresent(rows)).toEqual(['ipv6', 'published', 'unknown', 'ipv4-literal']);
  });

  it('of nothing is nothing', () => {
    expect(filterRows([], { families: new Set(['6']), classes: new Set(['global']), text: 'x' })).toEqual([]);
  });

  it('lists the classes present, in the registry order, with unparseable and none last', () => {
    expect(classesPresent(rows)).toEqual(['loopback', 'documentation', 'ipv4-mapped', 'unparseable', 'none']);
    expect(classesPresent([])).toEqual([]);
    expect(rows.map(classKeyOf)).toEqual(['documentation', 'documentation', 'loopback', 'loopback', 'none', 'unparseable', 'ipv4-mapped']);
  });
});

describe('2,000 rows', () => {
  const big = Array.from({ length: 2000 }, (_, i) =>
    row(`d${String(i).padStart(4, '0')}.${i % 3 === 0 ? 'v6' : 'v4'}.test`, {
      primary: i % 7 === 0 ? undefined : address(i % 3 === 0 ? `2001:db8::${(i % 50).toString(16)}` : `192.0.2.${i % 50}`, i % 2 === 0 ? 'global' : 'loopback'),
      requests: (i * 7919) % 97,
      bytes: (i * 104_729) % 10_007,
    }),
  );

  it.each(REPORT_COLUMNS)('sorts by %s both ways, keeping every row', (column) => {
    for (const direction of ['ascending', 'descending'] as const) {
      const sorted = sortRows(big, order(column, direction), NOW);
      expect(sorted).toHaveLength(2000);
      expect(new Set(sorted)).toEqual(new Set(big));
    }
  });

  it('sorts requests descending with ties by domain', () => {
    const sorted = sortRows(big, order('requests', 'descending'), NOW);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      expect(a.requests > b.requests || (a.requests === b.requests && a.domain < b.domain), `${a.domain} ${b.domain}`).toBe(true);
    }
  });

  it('filters by family and class', () => {
    const six = filterRows(big, { families: new Set(['6']), classes: new Set(['global']) });
    expect(six.length).toBe(big.filter((r, i) => i % 3 === 0 && i % 7 !== 0 && i % 2 === 0).length);
    expect(six.every((r) => r.family === 6 && r.addressClass === 'global')).toBe(true);
    expect(filterRows(big, { families: new Set(['?']), classes: 'all' })).toHaveLength(Math.ceil(2000 / 7));
  });
});
