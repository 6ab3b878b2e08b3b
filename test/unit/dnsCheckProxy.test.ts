/**
 * No DNS look-up for a name the browser did not resolve itself: a name answered through a proxy
 * (Firefox reports it per request; Chrome's settings confirm it for a whole page) is never asked,
 * by the core's choice (domainsToCheck) nor by the background's check (createDnsCheck with a
 * resolver that counts). Each row has its positive control: the same name unproxied is asked.
 */
import { describe, expect, it } from 'vitest';
import { createDnsCheck } from '../../src/background/dnsCheck';
import type { Resolver } from '../../src/background/dnsResolvers';
import { domainsToCheck } from '../../src/core/address/dnsCheck';
import type { ProxyContext } from '../../src/core/proxy/pageProxy';
import type { ReportedProxy } from '../../src/core/proxy/reportedProxy';
import { readinessTitle } from '../../src/core/readiness/readinessText';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { noteTabPrivacy, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';

const SOCKS_REMOTE_DNS: ReportedProxy = { type: 'socks', host: '127.0.0.1', port: 1080, proxyDns: true };
const SOCKS_LOCAL_DNS: ReportedProxy = { type: 'socks', host: '127.0.0.1', port: 1080, proxyDns: false };
const HTTP_PROXY: ReportedProxy = { type: 'http', host: '127.0.0.1', port: 3128, proxyDns: false };

/** A page over IPv6 and one IPv4 host, whose answers came through the given proxies (undefined: direct). */
function firefoxPage(answers: Array<ReportedProxy | undefined>): Tracker {
  const t = newTracker();
  navigate(t, 1, 'https://page.example/', '2001:db8::1', 'docA');
  for (const [index, proxy] of answers.entries()) {
    load(t, `https://v4.example/${index}`, proxy === undefined ? '192.0.2.4' : proxy.host, { documentId: 'docA' }, proxy === undefined ? {} : { proxy });
  }
  return t;
}

async function askedBy(t: Tracker, proxyContext?: () => ProxyContext): Promise<string[]> {
  const asked: string[] = [];
  const resolve: Resolver = (name) => {
    asked.push(name);
    return Promise.resolve({ kind: 'answer', addresses: [] });
  };
  const check = createDnsCheck({ resolver: () => resolve, isNormalTab: () => Promise.resolve(true), record: () => undefined, ...(proxyContext === undefined ? {} : { proxyContext }) });
  await check(t, t.tabs.keys(), true);
  return asked.sort();
}

describe('Firefox: a name answered through a proxy is never looked up', () => {
  it.each<[string, Array<ReportedProxy | undefined>, string[]]>([
    ['unproxied, the IPv4 name is asked (control)', [undefined], ['v4.example']],
    ['through SOCKS with the proxy resolving the name', [SOCKS_REMOTE_DNS], []],
    ['through SOCKS with the browser resolving it (still the proxy’s address: no evidence to add)', [SOCKS_LOCAL_DNS], []],
    ['through an HTTP proxy', [HTTP_PROXY], []],
    ['once proxied, even with direct answers too', [undefined, SOCKS_REMOTE_DNS], []],
  ])('%s', async (_name, answers, expected) => {
    const t = firefoxPage(answers);
    const view = t.tabs.get(1)!.current;
    expect(domainsToCheck(view, t.describe)).toEqual(expected);
    expect(await askedBy(t)).toEqual(expected);
  });
});

/** Chrome: four hosts all answering from one loopback address (a suspected proxy) and the settings given. */
function chromePage(hosts: string[], address = '127.0.0.1'): Tracker {
  const t = newTracker();
  navigate(t, 1, `https://${hosts[0]}/`, address, 'docA');
  for (const host of hosts.slice(1)) load(t, `https://${host}/x`, address, { documentId: 'docA' });
  return t;
}
const FOUR = ['a.example', 'b.example', 'c.example', 'd.example'];

describe('Chrome: the names of a page its proxy settings confirm as proxied are never looked up', () => {
  it.each<[string, string[], ProxyContext, string[]]>([
    ['no settings read: suspected only, asked as before (control)', FOUR, { suspect: true }, FOUR],
    ['settings direct: asked (control)', FOUR, { suspect: true, settings: { mode: 'direct' } }, FOUR],
    ['a fixed proxy confirms the suspicion: none asked', FOUR, { suspect: true, settings: { mode: 'fixed_servers', endpoint: '127.0.0.1:3128' } }, []],
    ['a PAC script confirms it too: none asked', FOUR, { suspect: true, settings: { mode: 'pac_script' } }, []],
    ['under proxy settings, a page not yet judged (one address, under the threshold) waits', FOUR.slice(0, 2), { suspect: true, settings: { mode: 'fixed_servers' } }, []],
    ['under proxy settings, a page answered from two addresses is no proxy’s: asked (control)', FOUR.slice(0, 2), { suspect: true, settings: { mode: 'fixed_servers' } }, ['b.example']],
  ])('%s', async (name, hosts, context, expected) => {
    const t = chromePage(hosts);
    // The last control: its main host answered from elsewhere over IPv6.
    if (name.includes('two addresses')) load(t, 'https://a.example/y', '2001:db8::a', { documentId: 'docA' });
    const view = t.tabs.get(1)!.current;
    expect(domainsToCheck(view, t.describe, context)).toEqual(expected);
    expect(await askedBy(t, () => context)).toEqual(expected);
  });
});

describe('a private tab the core knows of is never asked about, whatever the background says', () => {
  it.each<[string, boolean, string[]]>([
    ['a normal tab (control)', false, ['v4.example']],
    ['a private tab', true, []],
  ])('%s', async (_name, isPrivate, expected) => {
    const t = firefoxPage([undefined]);
    noteTabPrivacy(t, 1, isPrivate);
    expect(await askedBy(t)).toEqual(expected);
  });
});

describe('the readiness of a proxied name says why it has no DNS evidence', () => {
  const t = (key: string): string => key;
  it.each<[string, ReportedProxy | undefined, string]>([
    ['unproxied: unknown, the usual words (control)', undefined, 'readinessUnknownTitle'],
    ['through a proxy: unknown, reached through a proxy', SOCKS_REMOTE_DNS, 'readinessProxiedTitle'],
  ])('%s', (_name, proxy, expected) => {
    const tracker = firefoxPage([proxy]);
    const row = buildSnapshot(tracker.tabs.get(1)!.current, tracker.describe).domains.find((domain) => domain.domain === 'v4.example');
    expect(row?.readiness).toBe('unknown');
    expect(readinessTitle(row!.readiness, t, row!.proxy?.confirmed === true)).toBe(expected);
  });
});
