import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/core/address/address';
import { createDescriber } from '../../src/core/address/addressClass';
import { newLiveState } from '../../src/core/live/live';
import { Flag, domainFamily, newDomainRecord, newPageView, type AddressStat, type DomainRecord, type PageView, type ViewMeta } from '../../src/core/tab/model';
import { buildSnapshot as buildSnapshotWith, domainSortKey, tabSummary, type TabSummary } from '../../src/core/view/snapshot';
import type { PageKind } from '../../src/core/tab/url';

// ---------------------------------------------------------------------------------------------
// Factories

function stat(family: Family, over: Partial<AddressStat> = {}): AddressStat {
  return { family, responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: 10, lastSeen: 10, ...over };
}

const describeWithDefaults = createDescriber();
const buildSnapshot = (v: PageView, rowLimit?: number) => buildSnapshotWith(v, describeWithDefaults, rowLimit);

function rec(domain: string, over: Partial<DomainRecord> = {}): DomainRecord {
  return { ...newDomainRecord(domain, 10), ...over };
}

/** A domain answered from one address. */
function v4(domain: string, ip = '192.0.2.1'): DomainRecord {
  return rec(domain, { requests: 1, responses: 1, primary: ip, addresses: { [ip]: stat(4) } });
}
function v6(domain: string, ip = '2001:db8::1'): DomainRecord {
  return rec(domain, { requests: 1, responses: 1, primary: ip, addresses: { [ip]: stat(6) } });
}

function view(mainDomain: string | undefined, records: DomainRecord[], meta: Partial<ViewMeta> = {}): PageView {
  const base: ViewMeta = { id: 'v1', committed: true, partial: false, startedAt: 7, ...meta };
  if (mainDomain !== undefined) {
    base.mainDomain = mainDomain;
    base.url ??= `https://${mainDomain}/`;
  }
  const v = newPageView(base);
  for (const r of records) {
    v.domains.set(r.domain, r);
    const family = domainFamily(r);
    if (family !== undefined) v.familyTally[family]++;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------

describe('domainSortKey', () => {
  // Labels are reversed and joined with NUL (below every host character).
  it.each([
    ['example.com', 'com\u0000example'],
    ['a.cdn.example.com', 'com\u0000example\u0000cdn\u0000a'],
    ['localhost', 'localhost'],
    ['192.0.2.1', '~192.0.2.1'],
    ['[2001:db8::1]', '~[2001:db8::1]'],
    ['[::1]', '~[::1]'],
  ])('%s → %s', (domain, key) => {
    expect(domainSortKey(domain)).toBe(key);
  });
});

describe('buildSnapshot ordering', () => {
  it('puts the main domain first, then groups subdomains by reversed labels, addresses last', () => {
    const scrambled = [
      '[2001:db8::1]',
      'static.cdn.example.com',
      'example.org',
      'zzz.com',
      '192.0.2.1',
      'b.example.com',
      'a.example.net',
      'example.com',
      'cdn.example.com',
      'www.example.com',
    ];
    const snap = buildSnapshot(view('www.example.com', scrambled.map((d) => v4(d))));
    expect(snap.domains.map((d) => d.domain)).toEqual([
      'www.example.com',
      'example.com',
      'b.example.com',
      'cdn.example.com',
      'static.cdn.example.com',
      'zzz.com',
      'a.example.net',
      'example.org',
      '192.0.2.1',
      '[2001:db8::1]',
    ]);
    expect(snap.domains.map((d) => d.isMain)).toEqual([true, false, false, false, false, false, false, false, false, false]);
  });

  it('puts the main domain first even when it would sort last', () => {
    const snap = buildSnapshot(view('zzz.test', [v4('a.test'), v4('zzz.test'), v4('b.test')]));
    expect(snap.domains.map((d) => d.domain)).toEqual(['zzz.test', 'a.test', 'b.test']);
  });

  it('with no main domain, only sorts', () => {
    const snap = buildSnapshot(view(undefined, [v4('b.test'), v4('a.test')]));
    expect(snap.domains.map((d) => [d.domain, d.isMain])).toEqual([
      ['a.test', false],
      ['b.test', false],
    ]);
  });

  it('keeps subdomains under their parent when a sibling name has a hyphen', () => {
    const snap = buildSnapshot(view(undefined, [v4('example-cdn.com'), v4('a.example.com'), v4('example.com'), v4('example0.com')]));
    expect(snap.domains.map((d) => d.domain)).toEqual(['example.com', 'a.example.com', 'example-cdn.com', 'example0.com']);
  });

  it('lists addresses primary first, then newest first', () => {
    const r = rec('cdn.test', {
      requests: 4,
      responses: 4,
      primary: '192.0.2.3',
      addresses: {
        '192.0.2.1': stat(4, { lastSeen: 30 }),
        '2001:db8::1': stat(6, { lastSeen: 50, responses: 2, cached: 1 }),
        '192.0.2.3': stat(4, { lastSeen: 10 }),
        '64:ff9b::c000:204': stat(4, { lastSeen: 40 }),
      },
    });
    const row = buildSnapshot(view('main.test', [r])).domains[0];
    expect(row?.addresses.map((a) => a.address)).toEqual(['192.0.2.3', '2001:db8::1', '64:ff9b::192.0.2.4', '192.0.2.1']);
    expect(row?.addresses[1]).toEqual({
      address: '2001:db8::1',
      canonical: '2001:db8::1',
      family: 6,
      addressClass: 'documentation',
      responses: 2,
      cached: 1,
      bytes: 0,
      unsized: 0,
      lastSeen: 50,
    });
    expect(row?.addresses[2]).toMatchObject({ canonical: '64:ff9b::c000:204', addressClass: 'nat64', ipv4: '192.0.2.4', nat64Prefix: '64:ff9b::/96' });
    expect(row?.addressClass).toBe('documentation');
  });
});

describe('buildSnapshot rows and counts', () => {
  it('copies each domain’s figures into a row', () => {
    const r = rec('cdn.test', {
      requests: 9,
      responses: 6,
      errors: 2,
      flags: Flag.cache | Flag.tls | Flag.serviceWorker,
      primary: '2001:db8::1',
      addresses: { '2001:db8::1': stat(6, { responses: 6, bytes: 1200, unsized: 1 }) },
      bytes: 1500,
      unsized: 2,
      httpVersions: ['HTTP/1.1', 'HTTP/2'],
      inflight: ['r1', 'r2', 'r3'],
      firstSeen: 3,
      lastSeen: 99,
    });
    const snap = buildSnapshot(view('main.test', [r], { url: 'https://main.test/page', partial: true, startedAt: 2 }));
    expect(snap).toMatchObject({ url: 'https://main.test/page', mainDomain: 'main.test', partial: true, startedAt: 2 });
    expect(snap.domains[0]).toEqual({
      domain: 'cdn.test',
      isMain: false,
      family: 6,
      address: '2001:db8::1',
      addressClass: 'documentation',
      addresses: [
        { address: '2001:db8::1', canonical: '2001:db8::1', family: 6, addressClass: 'documentation', responses: 6, cached: 0, bytes: 1200, unsized: 1, lastSeen: 10 },
      ],
      requests: 9,
      responses: 6,
      errors: 2,
      inflight: 3,
      bytes: 1500,
      unsized: 2,
      recent: r.recent,
      flags: ['cache', 'serviceWorker', 'tls'],
      httpVersions: ['HTTP/1.1', 'HTTP/2'],
      readiness: 'ipv6',
      firstSeen: 3,
      lastSeen: 99,
    });
  });

  it.each<[number, string[]]>([
    [0, []],
    [Flag.cache, ['cache']],
    [Flag.prefetch, ['prefetch']],
    [Flag.serviceWorker, ['serviceWorker']],
    [Flag.websocket | Flag.plainHttp, ['websocket', 'plainHttp']],
    [Flag.tls | Flag.plainHttp, ['plainHttp', 'tls']],
    [63, ['cache', 'prefetch', 'serviceWorker', 'websocket', 'plainHttp', 'tls']],
  ])('flags %i → %j', (flags, names) => {
    expect(buildSnapshot(view('a.test', [rec('a.test', { flags })])).domains[0]?.flags).toEqual(names);
  });

  it('a domain with no address has no family, no address and no HTTP versions', () => {
    const row = buildSnapshot(view('a.test', [rec('a.test', { requests: 2 })])).domains[0];
    expect(row).toMatchObject({ family: undefined, address: undefined, addresses: [], httpVersions: [], inflight: 0 });
  });

  it('counts domains by their family and requests by the family that answered them', () => {
    const records = [
      rec('mixed.test', {
        requests: 7,
        responses: 5,
        primary: '2001:db8::1',
        addresses: { '2001:db8::1': stat(6, { responses: 3 }), '192.0.2.1': stat(4, { responses: 2 }) },
      }),
      rec('mapped.test', { requests: 4, responses: 4, primary: '::ffff:7f00:2', addresses: { '::ffff:7f00:2': stat(4, { responses: 4 }) } }),
      rec('nat.test', { requests: 1, responses: 1, primary: '64:ff9b::102:304', addresses: { '64:ff9b::102:304': stat(4) } }),
      rec('pending.test', { requests: 5 }),
      v6('six.test'),
    ];
    const snap = buildSnapshot(view('mixed.test', records));
    expect(snap.domainsByFamily).toEqual({ v4: 2, v6: 2, unknown: 1 });
    expect(snap.requestsByFamily).toEqual({ v4: 2 + 4 + 1, v6: 3 + 1, unknown: 2 + 5 });
    expect(snap.domains.find((d) => d.domain === 'mixed.test')?.family).toBe(6);
    expect(snap.domains.find((d) => d.domain === 'mapped.test')).toMatchObject({ address: '127.0.0.2', addressClass: 'ipv4-mapped' });
    expect(snap.domains.find((d) => d.domain === 'nat.test')).toMatchObject({ address: '64:ff9b::1.2.3.4', addressClass: 'nat64' });
    expect(snap.domains.find((d) => d.domain === 'pending.test')).toMatchObject({ address: undefined, addressClass: undefined });
  });

  it('an empty view gives an empty snapshot', () => {
    const snap = buildSnapshot(view('a.test', []));
    expect(snap).toEqual({
      url: 'https://a.test/',
      mainDomain: 'a.test',
      partial: false,
      startedAt: 7,
      domains: [],
      domainCount: 0,
      omittedRows: 0,
      domainsByFamily: { v4: 0, v6: 0, unknown: 0 },
      requestsByFamily: { v4: 0, v6: 0, unknown: 0 },
      bytesByFamily: { v4: 0, v6: 0, unknown: 0 },
      unsizedByFamily: { v4: 0, v6: 0, unknown: 0 },
      timeline: newLiveState().timeline,
      switches: [],
      readiness: { verdict: 'unknown', verdictNat64: 'unknown', score: 0, scoreWithPublished: 0, hosts: [], answeredHosts: 0, answeredRequests: 0 },
      ipv6Health: { kind: 'none-seen' },
    });
  });

  it('gives each row its readiness and the page its verdicts over every domain, rows left out included', () => {
    const records = [v6('a.test'), v4('b.test'), rec('c.test', { requests: 2, responses: 2, primary: '64:ff9b::102:304', addresses: { '64:ff9b::102:304': stat(4, { responses: 2 }) }, dnsIpv6: [] })];
    const full = buildSnapshot(view('a.test', records));
    expect(full.domains.map((d) => [d.domain, d.readiness])).toEqual([
      ['a.test', 'ipv6'],
      ['b.test', 'unknown'],
      ['c.test', 'ipv4-only'],
    ]);
    const limited = buildSnapshot(view('a.test', records), 1);
    expect(limited.domains).toHaveLength(1);
    expect(limited.readiness).toEqual(full.readiness);
    expect(full.readiness).toMatchObject({ verdict: 'not-ready', verdictNat64: 'ready', answeredHosts: 3 });
    expect(full.readiness.hosts.map((h) => h.domain)).toEqual(['c.test', 'b.test']);
  });

  it('counts bytes and unsized responses by the family of the address that sent them', () => {
    const records = [
      rec('mixed.test', {
        bytes: 1000 + 300 + 50,
        unsized: 2 + 1 + 4,
        primary: '2001:db8::1',
        addresses: { '2001:db8::1': stat(6, { bytes: 1000, unsized: 2 }), '192.0.2.1': stat(4, { bytes: 300, unsized: 1 }) },
      }),
      rec('nat.test', { bytes: 70, primary: '64:ff9b::102:304', addresses: { '64:ff9b::102:304': stat(4, { bytes: 70 }) } }),
      // A network response with no address (a page's service worker answered, say).
      rec('sw.test', { bytes: 9, unsized: 1 }),
    ];
    const snap = buildSnapshot(view('mixed.test', records));
    expect(snap.bytesByFamily).toEqual({ v6: 1000, v4: 300 + 70, unknown: 50 + 9 });
    expect(snap.unsizedByFamily).toEqual({ v6: 2, v4: 1, unknown: 4 + 1 });
  });

  it('is plain data that survives serialisation', () => {
    const snap = buildSnapshot(view('a.test', [v4('a.test'), v6('b.test'), rec('c.test', { requests: 1, httpVersions: ['HTTP/3'] })]));
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(structuredClone(snap)).toEqual(snap);
  });

  it('does not change the view', () => {
    const v = view('a.test', [v4('b.test'), v6('a.test')]);
    const before = structuredClone({ domains: [...v.domains.entries()], tally: v.familyTally });
    buildSnapshot(v);
    expect({ domains: [...v.domains.entries()], tally: v.familyTally }).toEqual(before);
  });
});

describe('buildSnapshot with a row limit (the first screen)', () => {
  const domains = (n: number): DomainRecord[] => Array.from({ length: n }, (_, i) => v4(`d${String(i).padStart(3, '0')}.test`));

  it.each([
    [0, 3, 0, 0],
    [3, 3, 3, 0],
    [4, 3, 3, 1],
    [300, 30, 30, 270],
    [5, 0, 0, 5],
  ])('of %i rows, limit %i: %i rows built, %i omitted, the same as the first rows of the full snapshot', (total, limit, built, omitted) => {
    const v = view('d000.test', domains(total));
    const full = buildSnapshot(v);
    const first = buildSnapshot(v, limit);
    expect(first.domains).toEqual(full.domains.slice(0, built));
    expect(first.omittedRows).toBe(omitted);
    expect(first.domainCount).toBe(total);
    expect(first.domainsByFamily).toEqual(full.domainsByFamily);
    expect(first.requestsByFamily).toEqual(full.requestsByFamily);
    expect(full.omittedRows).toBe(0);
  });

  it('keeps the main domain first even when it sorts last', () => {
    const first = buildSnapshot(view('zzz.test', [v4('a.test'), v4('b.test'), v4('zzz.test')]), 2);
    expect(first.domains.map((d) => [d.domain, d.isMain])).toEqual([
      ['zzz.test', true],
      ['a.test', false],
    ]);
  });

  it('passes through tabSummary', () => {
    const report = tabSummary(1, view('d000.test', domains(10)), undefined, describeWithDefaults, 4);
    expect(report.state === 'ok' && [report.snapshot.domains.length, report.snapshot.omittedRows]).toEqual([4, 6]);
  });
});

describe('tabSummary', () => {
  type Expected = { state: 'not-seen'; pageKind: PageKind; url: string | undefined } | { state: 'ok'; domains: number };
  it.each<[string, PageView | undefined, string | undefined, Expected]>([
    ['no view, https tab', undefined, 'https://a.test/', { state: 'not-seen', pageKind: 'web', url: 'https://a.test/' }],
    ['no view, http tab', undefined, 'http://a.test/x', { state: 'not-seen', pageKind: 'web', url: 'http://a.test/x' }],
    ['no view, chrome://', undefined, 'chrome://extensions/', { state: 'not-seen', pageKind: 'browser-page', url: 'chrome://extensions/' }],
    ['no view, about:blank', undefined, 'about:blank', { state: 'not-seen', pageKind: 'browser-page', url: 'about:blank' }],
    ['no view, file:', undefined, 'file:///tmp/a.html', { state: 'not-seen', pageKind: 'local-file', url: 'file:///tmp/a.html' }],
    ['no view, no url', undefined, undefined, { state: 'not-seen', pageKind: 'unknown', url: undefined }],
    [
      'empty committed browser page',
      view(undefined, [], { url: 'chrome://newtab/' }),
      'chrome://newtab/',
      { state: 'not-seen', pageKind: 'browser-page', url: 'chrome://newtab/' },
    ],
    [
      'empty committed browser page, tab URL not known',
      view(undefined, [], { url: 'chrome://newtab/' }),
      undefined,
      { state: 'not-seen', pageKind: 'browser-page', url: 'chrome://newtab/' },
    ],
    [
      'empty local file',
      view(undefined, [], { url: 'file:///home/me/a.html' }),
      'file:///home/me/a.html',
      { state: 'not-seen', pageKind: 'local-file', url: 'file:///home/me/a.html' },
    ],
    [
      'empty partial view with no URL yet',
      view(undefined, [], { partial: true }),
      'https://a.test/',
      { state: 'not-seen', pageKind: 'web', url: 'https://a.test/' },
    ],
    ['empty committed web page (back/forward cache)', view('a.test', []), 'https://a.test/', { state: 'ok', domains: 0 }],
    ['a page with domains', view('a.test', [v4('a.test'), v6('cdn.test')]), 'https://a.test/', { state: 'ok', domains: 2 }],
    [
      'a browser page that loaded something',
      view(undefined, [v6('cdn.test')], { url: 'chrome://newtab/' }),
      'chrome://newtab/',
      { state: 'ok', domains: 1 },
    ],
  ])('%s', (_name, v, tabUrl, expected) => {
    const report: TabSummary = tabSummary(12, v, tabUrl, describeWithDefaults);
    expect(report.tabId).toBe(12);
    if (expected.state === 'ok') {
      expect(report.state).toBe('ok');
      if (report.state !== 'ok' || v === undefined) return;
      expect(report.snapshot.domains).toHaveLength(expected.domains);
      expect(report.snapshot).toEqual(buildSnapshot(v));
    } else {
      expect(report).toEqual({ tabId: 12, ...expected });
    }
  });
});
