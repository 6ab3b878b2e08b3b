import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { tabCsv } from '../../src/core/export/csv';
import { tabMarkdown } from '../../src/core/export/markdown';
import { tabExport } from '../../src/core/export/tabExport';
import { translatorFor, type LocaleMessage } from '../../src/core/i18n';
import { createDescriber } from '../../src/core/address/addressClass';
import { browserProxySettingsOf, pageProxyOf, proxySuspicionOf, SUSPECT_LOCAL_MIN_DOMAINS, SUSPECT_SHARED_MIN_DOMAINS, type BrowserProxySettings } from '../../src/core/proxy/pageProxy';
import type { ReportedProxy } from '../../src/core/proxy/reportedProxy';
import { decodeDomainRecord, encodeDomainRecord } from '../../src/core/session/sessionCodec';
import { domainFamily, newDomainRecord, type DomainRecord, type PageView } from '../../src/core/tab/model';
import { onRequestStarted, onResponseStarted, type Tracker } from '../../src/core/tab/tracker';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { viewTotals } from '../../src/core/view/viewTotals';
import { load, navigate, newTracker, request, response } from './trackerEvents';

const describeAddress = createDescriber();

const HTTP: ReportedProxy = { type: 'http', host: '127.0.0.1', port: 3128, proxyDns: false };
const SOCKS: ReportedProxy = { type: 'socks', host: '192.168.1.2', port: 1080, proxyDns: false };
const SOCKS_DNS: ReportedProxy = { type: 'socks', host: '::1', port: 9050, proxyDns: true };

function currentView(t: Tracker, tabId = 1): PageView {
  const view = t.tabs.get(tabId)?.current;
  if (view === undefined) throw new Error('no view');
  return view;
}

/** A page on `main` whose subresources come from `hosts`; each host's answer from `addressOf(host)`, through `proxy` if given. */
function page(mainIp: string, hosts: readonly string[], addressOf: (host: string) => string, proxy?: ReportedProxy): PageView {
  const t = newTracker();
  const main = request('https://site.example/', { type: 'main_frame' });
  onRequestStarted(t, main);
  onResponseStarted(t, response(main, mainIp, proxy === undefined ? {} : { proxy }));
  for (const host of hosts) load(t, `https://${host}/x.js`, addressOf(host), {}, proxy === undefined ? {} : { proxy });
  return currentView(t);
}

const hostsNamed = (count: number): string[] => Array.from({ length: count }, (_, i) => `h${i}.other${i}.example`);

describe('a response through the proxy Firefox reports', () => {
  const cases: { name: string; proxy: ReportedProxy; ip: string | undefined; address: string; mark: string; hop: 4 | 6 }[] = [
    { name: 'HTTP proxy on loopback', proxy: HTTP, ip: '127.0.0.1', address: '127.0.0.1', mark: '127.0.0.1:3128', hop: 4 },
    { name: 'SOCKS proxy on a private address', proxy: SOCKS, ip: '192.168.1.2', address: '192.168.1.2', mark: '192.168.1.2:1080', hop: 4 },
    { name: 'SOCKS with proxy DNS, no address reported', proxy: SOCKS_DNS, ip: undefined, address: '::1', mark: '[::1]:9050', hop: 6 },
  ];
  it.each(cases)('$name: marked, shown as the proxy’s address, no server family', ({ proxy, ip, address, mark, hop }) => {
    const t = newTracker();
    navigate(t, 1, 'https://site.example/', '2001:db8::1', 'd1');
    load(t, 'https://cdn.example/a.js', ip, {}, { proxy });
    const view = currentView(t);
    const cdn = view.domains.get('cdn.example') as DomainRecord;
    expect(cdn.primary).toBe(address);
    expect(cdn.addresses[address]?.proxy).toEqual(proxy);
    expect(domainFamily(cdn)).toBeUndefined();
    // Positive control: the direct page itself keeps its family.
    expect(domainFamily(view.domains.get('site.example') as DomainRecord)).toBe(6);

    const snapshot = buildSnapshot(view, t.describe);
    const row = snapshot.domains.find((r) => r.domain === 'cdn.example');
    expect(row?.proxy).toEqual({ mark, confirmed: true, type: proxy.type, proxyDns: proxy.proxyDns, hopFamily: hop });
    expect(row?.family).toBeUndefined();
    expect(row?.readiness).toBe('unknown');
    expect(snapshot.domains.find((r) => r.domain === 'site.example')?.proxy).toBeUndefined();
    expect(snapshot.proxy).toEqual({ kind: 'reported', endpoints: [mark] });
    // One direct IPv6 domain and one proxied: the proxied one is unknown, never IPv4 or IPv6.
    expect(snapshot.domainsByFamily).toEqual({ v4: 0, v6: 1, unknown: 1 });
    expect(snapshot.requestsByFamily).toEqual({ v4: 0, v6: 1, unknown: 1 });
    expect(view.familyTally).toEqual({ 4: 0, 6: 1 });
  });

  it('a domain answered first directly, then through a proxy, follows its newest answer; each response keeps its own family', () => {
    const t = newTracker();
    navigate(t, 1, 'https://site.example/', '2001:db8::1', 'd1');
    load(t, 'https://cdn.example/a.js', '192.0.2.7');
    expect(domainFamily(currentView(t).domains.get('cdn.example') as DomainRecord)).toBe(4);
    load(t, 'https://cdn.example/b.js', '127.0.0.1', {}, { proxy: HTTP });
    const view = currentView(t);
    expect(domainFamily(view.domains.get('cdn.example') as DomainRecord)).toBeUndefined();
    expect(viewTotals(view).requestsByFamily).toEqual({ v4: 1, v6: 1, unknown: 1 });
    expect(view.familyTally).toEqual({ 4: 0, 6: 1 });
  });

  it('a proxied IPv6 answer proves nothing for the IPv6-only verdict; a direct one does', () => {
    const proxied = page('2001:db8::1', ['cdn.example'], () => '::1', SOCKS_DNS);
    const direct = page('2001:db8::1', ['cdn.example'], () => '2001:db8::2');
    expect(buildSnapshot(proxied, describeAddress).readiness.verdict).toBe('unknown');
    expect(buildSnapshot(direct, describeAddress).readiness.verdict).toBe('ready');
  });
});

describe('the Chrome heuristic: many domains answering from one address', () => {
  const cases: { name: string; view: () => PageView; reason: string | undefined }[] = [
    { name: 'one loopback address for 10 domains', view: () => page('127.0.0.1', hostsNamed(9), () => '127.0.0.1'), reason: 'loopback' },
    { name: 'one IPv6 loopback address for 10 domains', view: () => page('::1', hostsNamed(9), () => '::1'), reason: 'loopback' },
    { name: 'one private address for 4 domains', view: () => page('10.0.0.8', hostsNamed(SUSPECT_LOCAL_MIN_DOMAINS - 1), () => '10.0.0.8'), reason: 'private' },
    { name: 'one global address for 10 domains', view: () => page('198.51.100.9', hostsNamed(SUSPECT_SHARED_MIN_DOMAINS - 1), () => '198.51.100.9'), reason: 'same' },
    { name: 'below the threshold: 3 domains on loopback', view: () => page('127.0.0.1', hostsNamed(SUSPECT_LOCAL_MIN_DOMAINS - 2), () => '127.0.0.1'), reason: undefined },
    { name: 'below the threshold: 9 domains on one global address', view: () => page('198.51.100.9', hostsNamed(SUSPECT_SHARED_MIN_DOMAINS - 2), () => '198.51.100.9'), reason: undefined },
    {
      name: 'a real page with two CDNs on one anycast address',
      view: () => page('192.0.2.10', ['cdn.one.example', 'static.two.example', 'img.two.example', 'js.one.example'], () => '203.0.113.1'),
      reason: undefined,
    },
    { name: '10 domains, one of them elsewhere', view: () => page('127.0.0.1', hostsNamed(9), (h) => (h === 'h3.other3.example' ? '192.0.2.1' : '127.0.0.1')), reason: undefined },
  ];
  it.each(cases)('$name', ({ view, reason }) => {
    expect(proxySuspicionOf(view().domains.values(), describeAddress)?.reason).toBe(reason);
  });

  it('suspected is a mark only: families, shares and verdict are unchanged', () => {
    const view = page('127.0.0.1', hostsNamed(9), () => '127.0.0.1');
    const snapshot = buildSnapshot(view, describeAddress);
    expect(snapshot.proxy).toMatchObject({ kind: 'suspected', suspicion: { reason: 'loopback', address: '127.0.0.1', domains: 10 } });
    expect(snapshot.domains.every((row) => row.proxy?.mark === 'suspected' && !row.proxy.confirmed && row.family === 4)).toBe(true);
    expect(snapshot.domainsByFamily).toEqual({ v4: 10, v6: 0, unknown: 0 });
  });

  const settingsCases: { name: string; settings: BrowserProxySettings | undefined; mark: string | undefined; v4: number }[] = [
    { name: 'no settings read', settings: undefined, mark: 'suspected', v4: 10 },
    { name: 'direct', settings: { mode: 'direct' }, mark: 'suspected', v4: 10 },
    { name: 'fixed servers', settings: { mode: 'fixed_servers', endpoint: '127.0.0.1:3128' }, mark: '127.0.0.1:3128', v4: 0 },
    { name: 'PAC script', settings: { mode: 'pac_script' }, mark: 'settings', v4: 0 },
    { name: 'system', settings: { mode: 'system' }, mark: 'settings', v4: 0 },
  ];
  it.each(settingsCases)('browser settings "$name": a confirmed proxy takes the suspected page out of shares and verdict', ({ settings, mark, v4 }) => {
    const view = page('127.0.0.1', hostsNamed(9), () => '127.0.0.1');
    const snapshot = buildSnapshot(view, describeAddress, Infinity, 0, settings === undefined ? { suspect: true } : { suspect: true, settings });
    expect(snapshot.domains.map((row) => row.proxy?.mark)).toEqual(Array<string | undefined>(10).fill(mark));
    expect(snapshot.domainsByFamily).toEqual({ v4, v6: 0, unknown: 10 - v4 });
    expect(snapshot.requestsByFamily.v4).toBe(v4);
  });

  it('where the browser reports proxies (Firefox), nothing is suspected', () => {
    const view = page('127.0.0.1', hostsNamed(9), () => '127.0.0.1');
    expect(pageProxyOf(view, describeAddress, { suspect: true })?.kind).toBe('suspected');
    expect(pageProxyOf(view, describeAddress, { suspect: false })).toBeUndefined();
    expect(buildSnapshot(view, describeAddress, Infinity, 0, { suspect: false }).domains.some((row) => row.proxy !== undefined)).toBe(false);
  });

  it('settings confirm nothing on a page not suspected', () => {
    const view = page('192.0.2.10', ['cdn.one.example'], () => '203.0.113.1');
    expect(pageProxyOf(view, describeAddress, { suspect: true, settings: { mode: 'fixed_servers' } })).toBeUndefined();
    expect(buildSnapshot(view, describeAddress, Infinity, 0, { suspect: true, settings: { mode: 'fixed_servers' } }).domainsByFamily).toEqual({ v4: 2, v6: 0, unknown: 0 });
  });
});

describe('the proxy mark in storage', () => {
  const BASE = 1_764_486_000_123;
  const cases: { name: string; proxy: ReportedProxy | undefined }[] = [
    { name: 'HTTP', proxy: HTTP },
    { name: 'SOCKS with proxy DNS, IPv6 host', proxy: SOCKS_DNS },
    { name: 'none', proxy: undefined },
  ];
  it.each(cases)('round trip: $name', ({ proxy }) => {
    const record = newDomainRecord('cdn.example', BASE + 1);
    record.addresses['127.0.0.1'] = { responses: 2, cached: 0, bytes: 10, unsized: 0, firstSeen: BASE + 2, lastSeen: BASE + 3, ...(proxy === undefined ? { family: 4 as const } : { proxy }) };
    record.primary = '127.0.0.1';
    const decoded = decodeDomainRecord(encodeDomainRecord(record, BASE), 'cdn.example', BASE);
    expect(decoded?.addresses['127.0.0.1']).toEqual(record.addresses['127.0.0.1']);
    // The first (JSON) format keeps it too.
    expect(decodeDomainRecord(JSON.stringify(record), 'cdn.example', BASE)?.addresses['127.0.0.1']).toEqual(record.addresses['127.0.0.1']);
  });

  it('stored state from before the proxy field reads as direct; a malformed proxy is refused', () => {
    const before = JSON.stringify([1, 1, 0, 0, 1, 0, [['127.0.0.1', 4, 1, 0, 1]], 1]);
    expect(decodeDomainRecord(before, 'a.example', BASE)?.addresses['127.0.0.1']?.proxy).toBeUndefined();
    expect(decodeDomainRecord(before, 'a.example', BASE)?.addresses['127.0.0.1']?.family).toBe(4);
    const withProxy = (type: string): string => JSON.stringify([1, 1, 0, 0, 1, 0, [['127.0.0.1', 0, 1, 0, 1, 0, 0, 0, 0, [type, 'h', 1]]], 1]);
    expect(decodeDomainRecord(withProxy('http'), 'a.example', BASE)?.addresses['127.0.0.1']?.proxy).toEqual({ type: 'http', host: 'h', port: 1, proxyDns: false });
    expect(decodeDomainRecord(withProxy('ftp'), 'a.example', BASE)).toBeUndefined();
  });
});

describe('the exports carry the proxy mark', () => {
  const translate = translatorFor(JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, LocaleMessage>);
  const schema = JSON.parse(readFileSync('src/core/export/report-v3.schema.json', 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  const cases: { name: string; view: () => PageView; mark: string | undefined; markdown: string | undefined }[] = [
    { name: 'reported (Firefox)', view: () => page('127.0.0.1', ['cdn.example'], () => '127.0.0.1', HTTP), mark: '127.0.0.1:3128', markdown: 'via proxy 127.0.0.1:3128, HTTP' },
    { name: 'suspected (Chrome)', view: () => page('127.0.0.1', hostsNamed(9), () => '127.0.0.1'), mark: 'suspected', markdown: 'proxy?' },
    { name: 'none (positive control)', view: () => page('192.0.2.10', ['cdn.example'], () => '203.0.113.1'), mark: undefined, markdown: undefined },
  ];
  it.each(cases)('$name', ({ view, mark, markdown }) => {
    const report = tabExport(buildSnapshot(view(), describeAddress), 1_795_440_100_000);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const main = report.domains.find((d) => d.domain === 'site.example');
    expect(main?.proxy?.mark).toBe(mark);
    const csv = parse(tabCsv(report));
    expect(csv[0]?.at(-2)).toBe('proxy');
    expect(csv.find((cells) => cells[1] === 'site.example')?.at(-2)).toBe(mark ?? '');
    const md = tabMarkdown(report, translate);
    if (markdown === undefined) expect(md).not.toMatch(/proxy/);
    else expect(md).toContain(markdown);
  });
  it('the schema refuses a proxy without its mark', () => {
    const report = tabExport(buildSnapshot(page('127.0.0.1', ['cdn.example'], () => '127.0.0.1', HTTP), describeAddress), 1_795_440_100_000);
    const domains = report.domains.map(({ proxy, ...d }) => (proxy === undefined ? d : { ...d, proxy: { confirmed: true } }));
    expect(validate({ ...report, domains })).toBe(false);
  });
});

describe('browserProxySettingsOf: chrome.proxy.settings as read', () => {
  const cases: { name: string; value: unknown; expected: BrowserProxySettings | undefined }[] = [
    { name: 'direct', value: { mode: 'direct' }, expected: { mode: 'direct' } },
    { name: 'a fixed single proxy', value: { mode: 'fixed_servers', rules: { singleProxy: { scheme: 'http', host: '127.0.0.1', port: 3128 } } }, expected: { mode: 'fixed_servers', endpoint: '127.0.0.1:3128' } },
    { name: 'fixed, IPv6 host', value: { mode: 'fixed_servers', rules: { singleProxy: { host: '::1', port: 8080 } } }, expected: { mode: 'fixed_servers', endpoint: '[::1]:8080' } },
    { name: 'fixed per scheme (no single proxy)', value: { mode: 'fixed_servers', rules: { proxyForHttp: { host: 'p', port: 1 } } }, expected: { mode: 'fixed_servers' } },
    { name: 'PAC script', value: { mode: 'pac_script', pacScript: { url: 'http://wpad/wpad.dat' } }, expected: { mode: 'pac_script' } },
    { name: 'system', value: { mode: 'system' }, expected: { mode: 'system' } },
    { name: 'an unknown mode', value: { mode: 'teleport' }, expected: undefined },
    { name: 'nothing', value: undefined, expected: undefined },
  ];
  it.each(cases)('$name', ({ value, expected }) => {
    expect(browserProxySettingsOf(value)).toEqual(expected);
  });
});
