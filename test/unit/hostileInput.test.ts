/**
 * Odd and hostile input from the browser: hosts are normalised once before anything is stored,
 * an address the parser refuses has an unknown family (never one guessed from a colon), and no
 * text from the browser or a file can reach Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { parseHistoryFile, historyExport, storedSiteRecord } from '../../src/core/history/historyFile';
import { historyIndexFrom, storedIndex } from '../../src/core/history/historyStore';
import { foldVisit } from '../../src/core/history/siteRecord';
import { visitOf } from '../../src/core/history/visit';
import { domainFamily, textKeyed, type PageView } from '../../src/core/tab/model';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { tabExport } from '../../src/core/export/tabExport';
import { parse } from 'csv-parse/sync';
import { tabCsv } from '../../src/core/export/csv';
import { drainChanges, onCommitted, onRequestStarted, setNat64Prefixes, type Tracker } from '../../src/core/tab/tracker';
import { parseNat64Prefix } from '../../src/core/address/nat64';
import { hostOf, normalizeHost } from '../../src/core/tab/url';
import { viewTotals } from '../../src/core/view/viewTotals';
import { load, navigate, newTracker, request, tick } from './trackerEvents';
import { packagedSuffixList } from '../support/packagedSuffixList';

const NOW = Date.UTC(2026, 10, 30);

describe('host normalisation', () => {
  it.each<[string, string | undefined]>([
    ['cdn.example.com', 'cdn.example.com'],
    ['cdn.example.com.', 'cdn.example.com'],
    ['CDN.Example.COM.', 'cdn.example.com'],
    ['cdn.example.com..', 'cdn.example.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    // Browsers hand over punycode; a Unicode name from elsewhere is converted the same way.
    ['bücher.example', 'xn--bcher-kva.example'],
    ['BÜCHER.example.', 'xn--bcher-kva.example'],
    ['=1+1', '=1+1'],
    ['-x.v4.test', '-x.v4.test'],
    ['__proto__', '__proto__'],
    ['.', undefined],
    ['', undefined],
  ])('%j → %j', (host, expected) => {
    expect(normalizeHost(host)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['http://cdn.example.com./x', 'cdn.example.com'],
    ['http://tdot.v4.test.:8080/', 'tdot.v4.test'],
    ['https://user@Cdn.Example.com.:443/', 'cdn.example.com'],
    ['http://[::1]:8080/', '[::1]'],
    ['http://./', undefined],
  ])('hostOf(%j) → %j', (url, expected) => {
    expect(hostOf(url)).toBe(expected);
  });

  it('records "cdn.example.com." and "cdn.example.com" as one domain, the page too', () => {
    const t = newTracker();
    const main = request('http://www.example.com./', { type: 'main_frame' });
    onRequestStarted(t, main);
    onCommitted(t, { tabId: 1, frameId: 0, url: main.url, time: tick() });
    load(t, 'https://cdn.example.com./a.js', '192.0.2.1');
    load(t, 'https://cdn.example.com/b.js', '192.0.2.1');
    load(t, 'https://CDN.example.com/c.js', '192.0.2.1');
    const view = t.tabs.get(1)?.current;
    expect(view?.mainDomain).toBe('www.example.com');
    expect([...(view?.domains.keys() ?? [])]).toEqual(['www.example.com', 'cdn.example.com']);
    expect(view?.domains.get('cdn.example.com')?.requests).toBe(3);
  });

  it('a visit with a trailing-dot third party is stored as its export imports it', () => {
    const t = newTracker();
    navigate(t, 1, 'http://www.example.com./', '192.0.2.1', 'd1');
    load(t, 'http://tracker.other.test./t.gif', '192.0.2.9');
    load(t, 'http://=1+1.other.test/t.gif', '192.0.2.9');
    load(t, 'http://-x.other.test/t.gif', '192.0.2.9');
    load(t, `http://${'a'.repeat(250)}.other.test/t.gif`, '192.0.2.9');
    const view = t.tabs.get(1)?.current as PageView;
    view.startedAt = NOW - 1000;
    const visit = visitOf(view, packagedSuffixList);
    // The 263-character host cannot be a DNS name, so it is left out rather than stored unimportable.
    expect(visit?.ipv4OnlyThirdParties).toEqual(['-x.other.test', '=1+1.other.test', 'tracker.other.test']);
    expect(visit?.site).toBe('example.com');
    const record = foldVisit(undefined, visit!);
    const parsed = parseHistoryFile(JSON.stringify(historyExport([record], NOW)), NOW);
    expect(parsed).toEqual({ ok: true, records: [record] });
  });
});

describe('history records stored by earlier versions', () => {
  it('read their trailing-dot third parties under the normalised name, so they export importably', () => {
    const visit = { site: 'example.com', time: NOW - 10, mainFamily: 4 as const, domains: { v6: 0, v4: 1, unknown: 0 }, requests: { v6: 0, v4: 1, unknown: 0 }, bytes: { v6: 0, v4: 0, unknown: 0 }, thirdPartiesWithIPv6: [] };
    const old = foldVisit(undefined, { ...visit, ipv4OnlyThirdParties: ['cdn.other.test.', 'cdn.other.test', 'ads.other.test'] });
    expect(parseHistoryFile(JSON.stringify(historyExport([old], NOW)), NOW)).toMatchObject({ ok: false, error: { where: 'sites[0].ipv4OnlyThirdParties[0]' } });
    const read = storedSiteRecord(JSON.parse(JSON.stringify(old)));
    expect(read?.ipv4OnlyThirdParties).toEqual(['cdn.other.test', 'ads.other.test']);
    expect(parseHistoryFile(JSON.stringify(historyExport([read!], NOW)), NOW)).toEqual({ ok: true, records: [read] });
    // Positive control: a record with nothing to mend is read as it is.
    const current = foldVisit(undefined, { ...visit, ipv4OnlyThirdParties: ['ads.other.test'] });
    expect(storedSiteRecord(current)).toBe(current);
  });
});

/** A tab at a.example whose cdn.example answered from `ip`. */
function trackerWithAnswer(ip: string): { t: Tracker; view: PageView } {
  const t = newTracker();
  navigate(t, 1, 'https://a.example/', '192.0.2.1', 'd1');
  load(t, 'https://cdn.example/x', ip);
  return { t, view: t.tabs.get(1)!.current };
}

describe('an address the browser reported that is not one', () => {
  it.each(['garbage:text', 'fe80::zz', '1:2:3:4:5:6:7:8:9', '::ffff:300.1.1.1', '300.1.1.1', 'x', '=1+1'])('%j: family unknown everywhere, never guessed', (ip) => {
    const { t, view } = trackerWithAnswer(ip);
    const record = view.domains.get('cdn.example')!;
    expect(record.addresses[ip]?.family).toBeUndefined();
    expect(domainFamily(record)).toBeUndefined();
    expect(view.familyTally).toEqual({ 4: 1, 6: 0 });
    const totals = viewTotals(view);
    expect(totals.requestsByFamily).toEqual({ v6: 0, v4: 1, unknown: 1 });
    expect(totals.domainsByFamily).toEqual({ v6: 0, v4: 1, unknown: 1 });
    const snapshot = buildSnapshot(view, t.describe);
    const row = snapshot.domains.find((r) => r.domain === 'cdn.example');
    expect(row?.family).toBeUndefined();
    expect(row?.addresses[0]).toMatchObject({ canonical: ip, family: undefined, addressClass: undefined });
    const exported = tabExport(snapshot, NOW);
    expect(exported.domains.find((d) => d.domain === 'cdn.example')?.addresses[0]).toMatchObject({ family: null, class: 'unparseable' });
    // The CSV's address_family column (11th) is empty for it.
    const csvRow = parse(tabCsv(exported)).find((cells) => cells[1] === 'cdn.example');
    expect(csvRow?.[10]).toBe('');
    // New NAT64 prefixes re-derive families: still unknown, not guessed.
    const prefix = parseNat64Prefix('2001:db8:64::/96');
    if (!prefix.ok) throw new Error(prefix.error.code);
    setNat64Prefixes(t, [prefix.prefix]);
    expect(record.addresses[ip]?.family).toBeUndefined();
    expect(view.familyTally).toEqual({ 4: 1, 6: 0 });
  });

  it('positive control: a real address beside it keeps its family', () => {
    const { t, view } = trackerWithAnswer('fe80::zz');
    load(t, 'https://cdn.example/y', '2001:db8::1');
    const record = view.domains.get('cdn.example')!;
    expect(record.addresses['2001:db8::1']?.family).toBe(6);
    expect(domainFamily(record)).toBe(6);
    expect(viewTotals(view).requestsByFamily).toEqual({ v6: 1, v4: 1, unknown: 1 });
  });

  it('an unparseable answer between two families is no switch, and does not hide the real one', () => {
    const { t, view } = trackerWithAnswer('2001:db8::1');
    load(t, 'https://cdn.example/y', 'not-an-address');
    expect(view.live.switches).toEqual([]);
    load(t, 'https://cdn.example/z', '192.0.2.7');
    expect(view.live.switches.map((s) => [s.from, s.to, s.fromFamily, s.toFamily])).toEqual([['2001:db8::1', '192.0.2.7', 6, 4]]);
  });
});

describe('text from the browser or a file used as a key', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  // Host names come lower-cased: these are the ones a plain object would still inherit.
  const HOSTS = ['__proto__', 'constructor', 'prototype', '__definegetter__'];

  it.each(NAMES)('an address %j is an entry like any other; Object.prototype is untouched', (name) => {
    const { t, view } = trackerWithAnswer(name);
    load(t, 'https://cdn.example/again', name);
    const record = view.domains.get('cdn.example')!;
    expect(Object.getPrototypeOf(record.addresses)).toBeNull();
    expect(Object.keys(record.addresses)).toEqual([name]);
    expect(record.addresses[name]).toMatchObject({ responses: 2 });
    expect(record.primary).toBe(name);
    // A plain object shows no trace of it.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).responses).toBeUndefined();
    // A new domain starts empty (no inherited "constructor" or "toString" entry).
    load(t, 'https://other.example/x', '192.0.2.1');
    expect(Object.keys(view.domains.get('other.example')!.addresses)).toEqual(['192.0.2.1']);
    expect(view.domains.get('other.example')!.addresses[name]).toBeUndefined();
  });

  it.each(HOSTS)('a host %j is a domain like any other, and survives storage', (name) => {
    const t = newTracker();
    const main = request(`http://${name}/`, { type: 'main_frame' });
    onRequestStarted(t, main);
    onCommitted(t, { tabId: 1, frameId: 0, url: main.url, time: tick() });
    load(t, `http://${name}/x`, '192.0.2.1');
    load(t, 'http://cdn.example/x', name);
    const view = t.tabs.get(1)!.current;
    expect(view.mainDomain).toBe(name);
    // The page's own request and /x.
    expect(view.domains.get(name)?.requests).toBe(2);

    const { set } = storageWrites(t, drainChanges(t));
    const restored = newTracker();
    expect(restoreTracker(restored, set)).toEqual([]);
    const again = restored.tabs.get(1)!.current;
    expect(again.domains.get(name)?.addresses['192.0.2.1']?.family).toBe(4);
    const cdn = again.domains.get('cdn.example')!;
    expect(Object.getPrototypeOf(cdn.addresses)).toBeNull();
    expect(Object.keys(cdn.addresses)).toEqual([name]);
    expect(cdn.addresses[name]?.responses).toBe(1);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it.each(HOSTS)('a site %j goes through the history index and an import', (name) => {
    const index = new Map([[name, 5], ['example.com', 7]]);
    const stored = storedIndex(index);
    expect(historyIndexFrom(JSON.parse(JSON.stringify(stored)))).toEqual(index);
    const record = foldVisit(undefined, { site: name, time: NOW - 10, mainFamily: 4, domains: { v6: 0, v4: 1, unknown: 0 }, requests: { v6: 0, v4: 1, unknown: 0 }, bytes: { v6: 0, v4: 0, unknown: 0 }, ipv4OnlyThirdParties: [], thirdPartiesWithIPv6: [] });
    expect(parseHistoryFile(JSON.stringify(historyExport([record], NOW)), NOW)).toEqual({ ok: true, records: [record] });
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('textKeyed copies own entries only, into an object with no prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"responses": 1}, "toString": {"responses": 2}}') as Record<string, { responses: number }>;
    const keyed = textKeyed(parsed);
    expect(Object.getPrototypeOf(keyed)).toBeNull();
    expect(Object.keys(keyed).sort()).toEqual(['__proto__', 'toString']);
    expect(keyed.__proto__).toEqual({ responses: 1 });
    expect(textKeyed<number>().constructor).toBeUndefined();
  });
});
