import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { historyCsv, historyExport, parseHistoryFile, planMerge, storedSiteRecord, type ImportError } from '../../src/core/history/historyFile';
import { historyIndexFrom, planVisits } from '../../src/core/history/historyStore';
import { DEFAULT_MAX_SITES, historySettingsFrom, parseMaxSites } from '../../src/core/history/settings';
import { siteOf } from '../../src/core/history/site';
import { searchSites, sortSites, type HistorySortKey } from '../../src/core/history/historyTable';
import { foldVisit, ipv6Readiness, MAX_IPV4_ONLY_KEPT, sitesToEvict, type SiteRecord, type Visit } from '../../src/core/history/siteRecord';
import { visitOf } from '../../src/core/history/visit';
import { drainChanges, onTabRemoved, onTabReplaced } from '../../src/core/tab/tracker';
import type { Verdict } from '../../src/core/readiness/readiness';
import { load, navigate, newTracker } from './trackerEvents';
import { packagedSuffixList } from '../support/packagedSuffixList';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const NOW = T0 + 30 * 86_400_000;
const counts = (v6: number, v4: number, unknown = 0) => ({ v6, v4, unknown });

function visit(site: string, time: number, over: Partial<Visit> = {}): Visit {
  return { site, time, mainFamily: 6, domains: counts(2, 1), requests: counts(10, 5), bytes: counts(1000, 500), ipv4OnlyThirdParties: [], thirdPartiesWithIPv6: [], readiness: { verdict: 'not-ready', verdictNat64: 'ready', score: 66, scoreWithPublished: 66, blockingThirdParties: [] }, ...over };
}

describe('siteOf: the registrable domain by the Public Suffix List', () => {
  it.each([
    ['www.example.com', 'example.com'],
    ['example.com', 'example.com'],
    ['a.b.cdn.example.co.uk', 'example.co.uk'],
    ['user.github.io', 'user.github.io'],
    ['other.github.io', 'other.github.io'],
    ['static.cdn.v6.test', 'v6.test'],
    ['WWW.Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['192.0.2.1', '192.0.2.1'],
    ['[2001:db8::1]', '[2001:db8::1]'],
    ['2001:db8::1', '[2001:db8::1]'],
    ['localhost', 'localhost'],
    ['co.uk', 'co.uk'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('%s → %s', (host, site) => expect(siteOf(host, packagedSuffixList)).toBe(site));
});

describe('visitOf: what a finished page view adds', () => {
  function finishedView(build: (t: ReturnType<typeof newTracker>) => void) {
    const t = newTracker();
    build(t);
    onTabRemoved(t, 1);
    return drainChanges(t).finished;
  }

  it('counts requests, bytes and domains by family, and finds IPv4-only third parties', () => {
    const [ended] = finishedView((t) => {
      navigate(t, 1, 'https://www.example.com/', '2001:db8::1', 'doc1');
      load(t, 'https://static.example.com/a.js', '192.0.2.1');
      load(t, 'https://tracker.example.net/p.gif', '192.0.2.2');
      load(t, 'https://tracker.example.net/q.gif', '192.0.2.2');
      load(t, 'https://cdn.other.org/x.css', '2001:db8::2');
      load(t, 'https://cdn.other.org/y.css', '192.0.2.3');
      load(t, 'https://fonts.example.org/f.woff', '2001:db8::3');
    });
    const v = visitOf(ended!.view, packagedSuffixList)!;
    expect(v).toMatchObject({ site: 'example.com', mainFamily: 6, requests: counts(3, 4) });
    expect(v.domains).toEqual(counts(2, 3));
    // static.example.com is first party; cdn.other.org answered over IPv6 once: not IPv4-only.
    expect(v.ipv4OnlyThirdParties).toEqual(['tracker.example.net']);
    expect(v.thirdPartiesWithIPv6.sort()).toEqual(['cdn.other.org', 'fonts.example.org']);
  });

  it('takes the verdicts, with the third parties that block an IPv6-only client (first party left out)', () => {
    const [ended] = finishedView((t) => {
      navigate(t, 1, 'https://www.example.com/', '2001:db8::1', 'doc1');
      load(t, 'https://static.example.com/a.js', '192.0.2.1');
      load(t, 'http://192.0.2.9/stream', '192.0.2.9');
      load(t, 'http://192.0.2.9/stream2', '192.0.2.9');
      load(t, 'https://cdn.other.org/x.css', '64:ff9b::c000:203');
      load(t, 'https://fonts.example.org/f.woff', '2001:db8::3');
    });
    const v = visitOf(ended!.view, packagedSuffixList)!;
    // static.example.com and cdn.other.org have no DNS evidence: unknown, not blocking.
    expect(v.readiness).toEqual({ verdict: 'not-ready', verdictNat64: 'not-ready', score: 33, scoreWithPublished: 33, blockingThirdParties: ['192.0.2.9'] });
  });

  it.each([
    ['a browser page', 'chrome://settings/', undefined],
    ['a page with no answer', 'https://example.com/', undefined],
  ])('records nothing for %s', (_name, url) => {
    const [ended] = finishedView((t) => {
      navigate(t, 1, url, '', 'doc1');
    });
    expect(ended === undefined || visitOf(ended.view, packagedSuffixList) === undefined).toBe(true);
  });

  it('records nothing for a view that began before IPvLens (partial)', () => {
    const [ended] = finishedView((t) => {
      load(t, 'https://example.com/a.js', '192.0.2.1');
    });
    expect(ended?.view.partial).toBe(true);
    expect(visitOf(ended!.view, packagedSuffixList)).toBeUndefined();
  });

  it('a view ends when its tab navigates on or closes, not when it moves to another tab id', () => {
    const t = newTracker();
    navigate(t, 1, 'https://one.example/', '192.0.2.1', 'doc1');
    navigate(t, 1, 'https://two.example/', '192.0.2.1', 'doc2');
    expect(drainChanges(t).finished.map(({ tabId, view }) => [tabId, view.mainDomain])).toEqual([[1, 'one.example']]);
    onTabReplaced(t, 9, 1);
    expect(drainChanges(t).finished).toEqual([]);
    onTabRemoved(t, 9);
    expect(drainChanges(t).finished.map(({ tabId, view }) => [tabId, view.mainDomain])).toEqual([[9, 'two.example']]);
  });
});

describe('foldVisit', () => {
  it('starts a record from a first visit', () => {
    const v = visit('example.com', T0, { ipv4OnlyThirdParties: ['a.net'] });
    expect(foldVisit(undefined, v)).toEqual({
      site: 'example.com',
      firstVisit: T0,
      lastVisit: T0,
      visits: 1,
      lastMainFamily: 6,
      domains: counts(2, 1),
      requests: counts(10, 5),
      bytes: counts(1000, 500),
      ipv4OnlyThirdParties: ['a.net'],
      lastReadiness: { verdict: 'not-ready', verdictNat64: 'ready', score: 66, scoreWithPublished: 66, blockingThirdParties: [] },
    });
  });

  it('keeps the newest visit’s verdicts; an older one only fills in a record that has none', () => {
    const ready = { verdict: 'ready' as const, verdictNat64: 'ready' as const, score: 100, scoreWithPublished: 100, blockingThirdParties: [] };
    const blocked = { verdict: 'not-ready' as const, verdictNat64: 'not-ready' as const, score: 40, scoreWithPublished: 40, blockingThirdParties: ['192.0.2.1'] };
    const first = foldVisit(undefined, visit('example.com', T0, { readiness: ready }));
    expect(foldVisit(first, visit('example.com', T0 + 1, { readiness: blocked })).lastReadiness).toEqual(blocked);
    expect(foldVisit(first, visit('example.com', T0 - 1, { readiness: blocked })).lastReadiness).toEqual(ready);
    const { lastReadiness: _none, ...before } = first;
    expect(foldVisit(before, visit('example.com', T0 - 1, { readiness: blocked })).lastReadiness).toEqual(blocked);
  });

  it('sums requests and bytes, takes the last visit for domains and main family', () => {
    const first = foldVisit(undefined, visit('example.com', T0));
    const second = foldVisit(first, visit('example.com', T0 + 60_000, { mainFamily: 4, domains: counts(0, 3), requests: counts(0, 7, 1), bytes: counts(0, 70) }));
    expect(second).toMatchObject({ firstVisit: T0, lastVisit: T0 + 60_000, visits: 2, lastMainFamily: 4, domains: counts(0, 3), requests: counts(10, 12, 1), bytes: counts(1000, 570) });
    expect(first.visits).toBe(1);
  });

  it('an older visit finishing late adds its counts but not its "last" fields', () => {
    const newer = foldVisit(undefined, visit('example.com', T0 + 60_000, { mainFamily: 6 }));
    const both = foldVisit(newer, visit('example.com', T0, { mainFamily: 4, domains: counts(0, 9), ipv4OnlyThirdParties: ['old.net'] }));
    expect(both).toMatchObject({ firstVisit: T0, lastVisit: T0 + 60_000, visits: 2, lastMainFamily: 6, domains: counts(2, 1), ipv4OnlyThirdParties: ['old.net'] });
  });

  it.each([
    ['a new IPv4-only domain goes first', ['b.net'], [], ['a.net'], ['b.net', 'a.net']],
    ['a domain seen over IPv6 leaves the list', [], ['a.net'], ['a.net', 'c.net'], ['c.net']],
    ['a domain IPv4-only again moves to the front once', ['c.net'], [], ['a.net', 'c.net'], ['c.net', 'a.net']],
  ])('IPv4-only third parties: %s', (_name, ipv4Only, withIPv6, before, after) => {
    const record = { ...foldVisit(undefined, visit('example.com', T0)), ipv4OnlyThirdParties: before };
    expect(foldVisit(record, visit('example.com', T0 + 1, { ipv4OnlyThirdParties: ipv4Only, thirdPartiesWithIPv6: withIPv6 })).ipv4OnlyThirdParties).toEqual(after);
  });

  it(`keeps at most ${MAX_IPV4_ONLY_KEPT} IPv4-only third parties, newest first`, () => {
    const many = Array.from({ length: 80 }, (_, i) => `t${i}.net`);
    const record = foldVisit(foldVisit(undefined, visit('example.com', T0, { ipv4OnlyThirdParties: many.slice(0, 40) })), visit('example.com', T0 + 1, { ipv4OnlyThirdParties: many.slice(40) }));
    expect(record.ipv4OnlyThirdParties).toEqual([...many.slice(40), ...many.slice(0, 10)]);
  });
});

describe('ipv6Readiness: share of requests over IPv6 among those of known family', () => {
  it.each([
    [counts(3, 1), 0.75],
    [counts(0, 5), 0],
    [counts(5, 0, 100), 1],
    [counts(0, 0, 4), undefined],
    [counts(0, 0), undefined],
  ])('%j → %s', (requests, readiness) => expect(ipv6Readiness({ requests })).toBe(readiness));
});

describe('eviction: the least recently visited go first', () => {
  const index = new Map([
    ['c.example', T0 + 3],
    ['a.example', T0 + 1],
    ['b.example', T0 + 1],
    ['d.example', T0 + 4],
  ]);
  it.each([
    [10, []],
    [4, []],
    [3, ['a.example']],
    [2, ['a.example', 'b.example']],
    [0, ['a.example', 'b.example', 'c.example', 'd.example']],
  ])('limit %i drops %j', (max, dropped) => expect(sitesToEvict(index, max)).toEqual(dropped));

  it('planVisits folds visits of one batch into one record per site and keeps the limit', () => {
    const current = new Map(index);
    const stored = new Map<string, SiteRecord>([['c.example', foldVisit(undefined, visit('c.example', T0 + 3))]]);
    const plan = planVisits(current, stored, [visit('c.example', T0 + 10), visit('new.example', T0 + 11), visit('new.example', T0 + 12)], 4);
    expect(plan.evict).toEqual(['a.example']);
    expect(plan.write.map((r) => [r.site, r.visits, r.lastVisit])).toEqual([
      ['c.example', 2, T0 + 10],
      ['new.example', 2, T0 + 12],
    ]);
    expect([...current.keys()].sort()).toEqual(['b.example', 'c.example', 'd.example', 'new.example']);
  });

  it('a site folded and evicted in the same batch is not written', () => {
    const current = new Map([['a.example', T0 + 100]]);
    const plan = planVisits(current, new Map(), [visit('old.example', T0)], 1);
    expect(plan).toEqual({ write: [], evict: ['old.example'] });
  });

  it('holds the default limit of 5,000 sites over 6,000 visits', () => {
    const current = new Map<string, number>();
    for (let i = 0; i < 6000; i++) planVisits(current, new Map(), [visit(`s${i}.example`, T0 + i)], DEFAULT_MAX_SITES);
    expect(current.size).toBe(5000);
    expect(current.has('s999.example')).toBe(false);
    expect(current.has('s1000.example')).toBe(true);
  });
});

describe('history settings and the stored index', () => {
  it.each([
    [undefined, { enabled: false, maxSites: 5000 }],
    [{ enabled: true }, { enabled: true, maxSites: 5000 }],
    [{ enabled: 'yes', maxSites: 20 }, { enabled: false, maxSites: 20 }],
    [{ enabled: true, maxSites: 5 }, { enabled: true, maxSites: 5000 }],
    [{ enabled: true, maxSites: 2.5e4 }, { enabled: true, maxSites: 5000 }],
    [{ enabled: true, maxSites: 12.5 }, { enabled: true, maxSites: 5000 }],
  ])('%j → %j', (stored, settings) => expect(historySettingsFrom(stored)).toEqual(settings));

  it.each([
    ['5000', 5000],
    [' 10 ', 10],
    ['20000', 20000],
    ['9', undefined],
    ['20001', undefined],
    ['1e3', undefined],
    ['', undefined],
    ['-5', undefined],
  ])('site limit %j → %s', (text, value) => {
    const parsed = parseMaxSites(text);
    expect(parsed.ok ? parsed.value : undefined).toBe(value);
  });

  it('reads the index forgivingly', () => {
    expect([...historyIndexFrom({ 'a.example': 5, 'b.example': 'x', 'c.example': null })]).toEqual([['a.example', 5]]);
    expect(historyIndexFrom([1, 2]).size).toBe(0);
    expect(historyIndexFrom(undefined).size).toBe(0);
  });
});

describe('history file: export and import', () => {
  const records: SiteRecord[] = [
    foldVisit(undefined, visit('example.com', T0, { ipv4OnlyThirdParties: ['ads.example.net', 'x.example.org'] })),
    // Last visited before the verdicts existed: exported with lastReadiness null.
    (({ lastReadiness: _none, ...record }) => record)(foldVisit(undefined, visit('[2001:db8::1]', T0 + 5000, { mainFamily: null, requests: counts(0, 0, 3) }))),
    foldVisit(undefined, visit('ipv4.example', T0 + 1000, { mainFamily: 4, requests: counts(1, 2), readiness: { verdict: 'not-ready', verdictNat64: 'ready', score: 0, scoreWithPublished: 0, blockingThirdParties: ['cdn.example.net'] } })),
  ];
  const exported = historyExport(records, T0 + 10_000);
  const text = JSON.stringify(exported);
  const schema = JSON.parse(readFileSync('src/core/history/history-v2.schema.json', 'utf8')) as object;
  const validate = new Ajv({ allErrors: true }).compile(schema);
  const validateV1 = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync('src/core/history/history-v1.schema.json', 'utf8')) as object);

  it('lists the most recently visited first, with readiness', () => {
    expect(exported.sites.map((s) => [s.site, s.ipv6Readiness, s.lastMainFamily])).toEqual([
      ['[2001:db8::1]', null, null],
      ['ipv4.example', 0.3333, 'IPv4'],
      ['example.com', 0.6667, 'IPv6'],
    ]);
    expect(exported.exportedAt).toBe('2026-11-23T12:00:10.000Z');
  });

  it('is valid against its JSON Schema (and an empty history too)', () => {
    expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(historyExport([], T0))).toBe(true);
  });

  it('carries each site’s last verdicts, null where none is known', () => {
    expect(exported.version).toBe(2);
    expect(exported.sites.map((s) => [s.site, s.lastReadiness?.verdict ?? null, s.lastReadiness?.blockingThirdParties ?? null])).toEqual([
      ['[2001:db8::1]', null, null],
      ['ipv4.example', 'not-ready', ['cdn.example.net']],
      ['example.com', 'not-ready', []],
    ]);
  });

  it('still imports a version 1 file (before the verdicts): its sites have no last verdict', () => {
    const v1 = {
      format: 'ipvlens-site-history',
      version: 1,
      exportedAt: '2026-11-23T12:00:10.000Z',
      sites: [
        {
          site: 'old.example',
          firstVisit: '2026-11-20T08:00:00.000Z',
          lastVisit: '2026-11-23T12:00:00.000Z',
          visits: 4,
          lastMainFamily: 'IPv4',
          domainsLastVisit: { v6: 1, v4: 2, unknown: 0 },
          requests: { v6: 3, v4: 9, unknown: 1 },
          bytes: { v6: 100, v4: 900, unknown: 0 },
          ipv6Readiness: 0.25,
          ipv4OnlyThirdParties: ['ads.example.net'],
        },
      ],
    };
    expect(validateV1(v1), JSON.stringify(validateV1.errors)).toBe(true);
    const parsed = parseHistoryFile(JSON.stringify(v1), NOW);
    expect(parsed).toEqual({
      ok: true,
      records: [
        {
          site: 'old.example',
          firstVisit: Date.UTC(2026, 10, 20, 8),
          lastVisit: Date.UTC(2026, 10, 23, 12),
          visits: 4,
          lastMainFamily: 4,
          domains: counts(1, 2),
          requests: counts(3, 9, 1),
          bytes: counts(100, 900),
          ipv4OnlyThirdParties: ['ads.example.net'],
        },
      ],
    });
    // A version 1 file names no verdict, and a version 2 one must.
    expect(parseHistoryFile(JSON.stringify({ ...v1, sites: [{ ...v1.sites[0], lastReadiness: null }] }), NOW)).toEqual({ ok: false, error: { code: 'malformed', where: 'sites[0].lastReadiness' } });
    expect(parseHistoryFile(JSON.stringify({ ...v1, version: 2 }), NOW)).toEqual({ ok: false, error: { code: 'malformed', where: 'sites[0].lastReadiness' } });
  });

  it('round-trips through the importer', () => {
    const parsed = parseHistoryFile(text, NOW);
    const byVisit = (a: SiteRecord, b: SiteRecord): number => a.lastVisit - b.lastVisit;
    expect(parsed.ok && parsed.records.sort(byVisit)).toEqual([...records].sort(byVisit));
  });

  const withSite = (change: (site: Record<string, unknown>) => void): string => {
    const copy = JSON.parse(text) as { sites: Record<string, unknown>[] };
    change(copy.sites[1]!);
    return JSON.stringify(copy);
  };
  const withTop = (change: (top: Record<string, unknown>) => void): string => {
    const copy = JSON.parse(text) as Record<string, unknown>;
    change(copy);
    return JSON.stringify(copy);
  };
  it.each<[string, string, ImportError]>([
    ['not JSON', '{"format": "ipvlens-site-hist', { code: 'not-json' }],
    ['an empty file', '', { code: 'not-json' }],
    ['JSON of another kind', '[1,2,3]', { code: 'foreign' }],
    ['another program’s file', '{"format":"something-else","sites":[]}', { code: 'foreign' }],
    ['a tab report', JSON.stringify({ format: 'ipvlens-tab-report', version: 1 }), { code: 'tab-report' }],
    ['a newer version', withTop((top) => (top.version = 3)), { code: 'newer-version', version: 3 }],
    ['version 0', withTop((top) => (top.version = 0)), { code: 'malformed', where: 'version' }],
    ['an unknown verdict', withSite((s) => ((s.lastReadiness as { verdict: string }).verdict = 'maybe')), { code: 'malformed', where: 'sites[1].lastReadiness.verdict' }],
    ['a score above 100', withSite((s) => ((s.lastReadiness as { score: number }).score = 101)), { code: 'malformed', where: 'sites[1].lastReadiness.score' }],
    ['a bad blocking host', withSite((s) => ((s.lastReadiness as { blockingThirdParties: unknown[] }).blockingThirdParties = ['A B'])), { code: 'malformed', where: 'sites[1].lastReadiness.blockingThirdParties[0]' }],
    ['an unknown verdict field', withSite((s) => ((s.lastReadiness as Record<string, unknown>).extra = 1)), { code: 'malformed', where: 'sites[1].lastReadiness.extra' }],
    ['a missing last verdict', withSite((s) => delete s.lastReadiness), { code: 'malformed', where: 'sites[1].lastReadiness' }],
    ['version as text', withTop((top) => (top.version = '1')), { code: 'malformed', where: 'version' }],
    ['an unknown top-level field', withTop((top) => (top.extra = true)), { code: 'malformed', where: 'file.extra' }],
    ['sites not a list', withTop((top) => (top.sites = {})), { code: 'malformed', where: 'sites' }],
    ['a missing field', withSite((s) => delete s.visits), { code: 'malformed', where: 'sites[1].visits' }],
    ['an unknown field', withSite((s) => (s.note = 'x')), { code: 'malformed', where: 'sites[1].note' }],
    ['negative requests', withSite((s) => ((s.requests as { v4: number }).v4 = -1)), { code: 'malformed', where: 'sites[1].requests.v4' }],
    ['fractional bytes', withSite((s) => ((s.bytes as { v6: number }).v6 = 1.5)), { code: 'malformed', where: 'sites[1].bytes.v6' }],
    ['zero visits', withSite((s) => (s.visits = 0)), { code: 'malformed', where: 'sites[1].visits' }],
    ['a local time', withSite((s) => (s.lastVisit = '2026-11-23T12:00:00+01:00')), { code: 'malformed', where: 'sites[1].lastVisit' }],
    ['last visit before the first', withSite((s) => (s.firstVisit = '2026-12-08T00:00:00.000Z')), { code: 'malformed', where: 'sites[1].lastVisit' }],
    ['a bad family', withSite((s) => (s.lastMainFamily = 'IPv5')), { code: 'malformed', where: 'sites[1].lastMainFamily' }],
    ['a site with a space', withSite((s) => (s.site = 'exa mple.com')), { code: 'malformed', where: 'sites[1].site' }],
    ['a site in capitals', withSite((s) => (s.site = 'Example.com')), { code: 'malformed', where: 'sites[1].site' }],
    ['a bad third party', withSite((s) => (s.ipv4OnlyThirdParties = ['ok.net', 7])), { code: 'malformed', where: 'sites[1].ipv4OnlyThirdParties[1]' }],
    ['readiness above 1', withSite((s) => (s.ipv6Readiness = 1.2)), { code: 'malformed', where: 'sites[1].ipv6Readiness' }],
    ['the same site twice', withSite((s) => (s.site = 'example.com')), { code: 'duplicate-site', site: 'example.com' }],
  ])('refuses %s', (_name, input, error) => {
    expect(parseHistoryFile(input, NOW)).toEqual({ ok: false, error });
    // The schema agrees wherever it can say (it has no notion of time order or duplicates).
    if (error.code === 'malformed' && !['sites[1].lastVisit'].includes(error.where) && input.startsWith('{')) expect(validate(JSON.parse(input))).toBe(false);
  });

  it('reads stored records forgivingly', () => {
    expect(storedSiteRecord(records[0])).toEqual(records[0]);
    expect(storedSiteRecord({ ...records[0], visits: 'x' })).toBeUndefined();
    expect(storedSiteRecord({ ...records[0], requests: { v4: 1 } })).toBeUndefined();
    expect(storedSiteRecord(null)).toBeUndefined();
    // A damaged verdict costs the verdict, not the site.
    const { lastReadiness: _damaged, ...withoutVerdict } = records[0]!;
    expect(storedSiteRecord({ ...records[0], lastReadiness: { verdict: 'maybe' } })).toEqual(withoutVerdict);
    expect(storedSiteRecord(withoutVerdict)).toEqual(withoutVerdict);
  });

  it('writes CSV with a header and one row per site', () => {
    const lines = historyCsv(exported).split('\r\n');
    // Text quoted, numbers bare, a missing value (null) empty.
    expect(lines[0]).toBe(
      '"site","first_visit","last_visit","visits","last_main_family","domains_ipv6","domains_ipv4","domains_unknown","requests_ipv6","requests_ipv4","requests_unknown","bytes_ipv6","bytes_ipv4","bytes_unknown","ipv6_readiness_percent","ipv4_only_third_parties","last_verdict","last_verdict_nat64","last_score","last_score_with_published","blocking_third_parties"',
    );
    expect(lines[3]).toBe('"example.com","2026-11-23T12:00:00.000Z","2026-11-23T12:00:00.000Z",1,"IPv6",2,1,0,10,5,0,1000,500,0,66.7,"ads.example.net x.example.org","not-ready","ready",66,66,""');
    expect(lines[2]?.split(',').slice(16)).toEqual(['"not-ready"', '"ready"', '0', '0', '"cdn.example.net"']);
    expect(lines[1]?.split(',')[14]).toBe('');
    expect(lines[1]?.split(',').slice(16)).toEqual(['', '', '', '', '']);
    expect(lines).toHaveLength(5);
  });
});

describe('planMerge: importing into an existing history', () => {
  const record = (site: string, lastVisit: number): SiteRecord => foldVisit(undefined, visit(site, lastVisit));
  it('adds new sites, replaces older records, leaves newer ones', () => {
    const existing = new Map([
      ['a.example', T0 + 10],
      ['b.example', T0 + 10],
    ]);
    const plan = planMerge(existing, [record('a.example', T0 + 20), record('b.example', T0 + 5), record('c.example', T0)], 100);
    expect(plan).toMatchObject({ added: 1, replaced: 1, unchanged: 1, evict: [] });
    expect(plan.write.map((r) => r.site)).toEqual(['a.example', 'c.example']);
  });

  it('importing the same records twice changes nothing the second time', () => {
    const existing = new Map([['a.example', T0]]);
    expect(planMerge(existing, [record('a.example', T0)], 100)).toMatchObject({ write: [], added: 0, replaced: 0, unchanged: 1 });
  });

  it('keeps the limit over the merged whole', () => {
    const existing = new Map([['old.example', T0]]);
    const plan = planMerge(existing, [record('x.example', T0 + 2), record('y.example', T0 + 1)], 2);
    expect(plan.evict).toEqual(['old.example']);
    expect(plan.write.map((r) => r.site)).toEqual(['x.example', 'y.example']);
    const tight = planMerge(existing, [record('x.example', T0 + 2), record('older.example', T0 - 1)], 2);
    expect(tight.evict).toEqual(['older.example']);
    expect(tight.write.map((r) => r.site)).toEqual(['x.example']);
  });
});

describe('history page list: sort and search', () => {
  const verdicts = (verdict: Verdict, verdictNat64: Verdict, score: number, blockingThirdParties: string[] = []) => ({ verdict, verdictNat64, score, scoreWithPublished: score, blockingThirdParties });
  const make = (site: string, lastVisit: number, visits: number, requests: [number, number, number], ipv4Only: string[] = [], lastReadiness?: SiteRecord['lastReadiness']): SiteRecord => ({
    site,
    firstVisit: lastVisit,
    lastVisit,
    visits,
    lastMainFamily: 6,
    domains: counts(1, 1),
    requests: counts(...requests),
    bytes: counts(0, 0),
    ipv4OnlyThirdParties: ipv4Only,
    ...(lastReadiness === undefined ? {} : { lastReadiness }),
  });
  const sites = [
    make('b.example', T0 + 2, 3, [5, 5, 0], ['ads.net'], verdicts('not-ready', 'ready', 50, ['fonts.net'])),
    make('a.example', T0 + 1, 1, [0, 0, 4]),
    make('c.example', T0 + 3, 3, [9, 1, 0], ['ads.net', 'cdn.org'], verdicts('ready', 'ready', 90)),
    make('d.example', T0 + 2, 2, [0, 6, 0], [], verdicts('not-ready', 'not-ready', 0, ['192.0.2.1'])),
  ];
  const order = (key: HistorySortKey, direction: 'ascending' | 'descending'): string[] => sortSites(sites, key, direction).map((s) => s.site);
  it.each<[HistorySortKey, 'ascending' | 'descending', string[]]>([
    ['site', 'ascending', ['a.example', 'b.example', 'c.example', 'd.example']],
    ['site', 'descending', ['d.example', 'c.example', 'b.example', 'a.example']],
    ['lastVisit', 'descending', ['c.example', 'b.example', 'd.example', 'a.example']],
    ['lastVisit', 'ascending', ['a.example', 'b.example', 'd.example', 'c.example']],
    ['visits', 'descending', ['b.example', 'c.example', 'd.example', 'a.example']],
    ['requests', 'ascending', ['a.example', 'd.example', 'b.example', 'c.example']],
    // No known family for a.example: last both ways.
    ['readiness', 'descending', ['c.example', 'b.example', 'd.example', 'a.example']],
    ['readiness', 'ascending', ['d.example', 'b.example', 'c.example', 'a.example']],
    ['ipv4Only', 'descending', ['c.example', 'b.example', 'a.example', 'd.example']],
    // No verdict for a.example (recorded before them): last both ways; NAT64 breaks the tie.
    ['verdict', 'descending', ['c.example', 'b.example', 'd.example', 'a.example']],
    ['verdict', 'ascending', ['d.example', 'b.example', 'c.example', 'a.example']],
    ['score', 'descending', ['c.example', 'b.example', 'd.example', 'a.example']],
    ['score', 'ascending', ['d.example', 'b.example', 'c.example', 'a.example']],
  ])('by %s %s', (key, direction, expected) => expect(order(key, direction)).toEqual(expected));

  it.each([
    ['', ['b.example', 'a.example', 'c.example', 'd.example']],
    ['  C.EX ', ['c.example']],
    ['ads', ['b.example', 'c.example']],
    ['cdn.org', ['c.example']],
    ['fonts', ['b.example']],
    ['192.0.2', ['d.example']],
    ['nothing', []],
  ])('search %j', (text, expected) => expect(searchSites(sites, text).map((s) => s.site)).toEqual(expected));
});
