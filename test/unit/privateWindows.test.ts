/**
 * Private windows leave nothing behind: a NAT64 prefix taught by a private tab alone is not
 * remembered, and the DNS check asks nothing about a private tab's domains. Each negative case has
 * its normal-tab positive control beside it.
 */
import { describe, expect, it, vi } from 'vitest';
import { createDnsCheck } from '../../src/background/dnsCheck';
import { dohResolver, type Resolver } from '../../src/background/dnsResolvers';
import { prefixesToRemember } from '../../src/background/learnedPrefixes';
import { drainChanges, recordDnsAnswer, recordDnsFailure, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';

const NORMAL = 1;
const PRIVATE = 2;
const privacy = (tabId: number): Promise<boolean> => Promise.resolve(tabId === NORMAL);

describe('which learned prefixes are remembered', () => {
  it.each<[string, Array<[string, number[]]>, string[]]>([
    ['one taught by a normal tab', [['2001:db8:64::/96', [NORMAL]]], ['2001:db8:64::/96']],
    ['not one taught by a private tab alone', [['2001:db8:46::/96', [PRIVATE]]], []],
    ['one taught by both', [['2001:db8:64::/96', [PRIVATE, NORMAL]]], ['2001:db8:64::/96']],
    ['each on its own tabs', [['2001:db8:64::/96', [NORMAL]], ['2001:db8:46::/96', [PRIVATE]]], ['2001:db8:64::/96']],
    ['not one from a tab the browser does not know (-1)', [['2001:db8:64::/96', [-1]]], []],
  ])('%s', async (_name, learned, expected) => {
    const map = new Map(learned.map(([prefix, tabs]) => [prefix, new Set(tabs)]));
    expect(await prefixesToRemember(map, privacy)).toStrictEqual(expected);
  });

  it('from the tracker’s change log: the private tab’s prefix is dropped, the normal tab’s kept', async () => {
    const t = newTracker();
    navigate(t, NORMAL, 'https://open.example/', '192.0.2.1', 'docN');
    navigate(t, PRIVATE, 'https://secret.example/', '192.0.2.2', 'docP');
    drainChanges(t);
    load(t, 'https://ipv4only.arpa/n', '2001:db8:64::c000:aa', { tabId: NORMAL });
    load(t, 'https://v4.ipv6-test.com/p', '2001:db8:46::c000:aa', { tabId: PRIVATE });
    expect(await prefixesToRemember(drainChanges(t).learnedPrefixes, privacy)).toStrictEqual(['2001:db8:64::/96']);
  });

  it('a tab that cannot be told about counts as private (asked once per tab)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ask = vi.fn((tabId: number) => (tabId === 7 ? Promise.reject(new Error('storage gone')) : privacy(tabId)));
    const map = new Map([
      ['2001:db8:64::/96', new Set([7])],
      ['2001:db8:65::/96', new Set([7, NORMAL])],
    ]);
    expect(await prefixesToRemember(map, ask)).toStrictEqual(['2001:db8:65::/96']);
    expect(ask.mock.calls.map(([tabId]) => tabId).sort()).toStrictEqual([NORMAL, 7]);
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });
});

/** Two tabs, each with one domain reached over IPv4 only. */
function twoTabs(): Tracker {
  const t = newTracker();
  navigate(t, NORMAL, 'https://open.example/', '2001:db8::1', 'docN');
  load(t, 'https://v4.open.example/x', '192.0.2.1', { tabId: NORMAL, documentId: 'docN' });
  navigate(t, PRIVATE, 'https://secret.example/', '2001:db8::2', 'docP');
  load(t, 'https://v4.secret.example/x', '192.0.2.2', { tabId: PRIVATE, documentId: 'docP' });
  drainChanges(t);
  return t;
}

function fakeResolver(): { resolve: Resolver; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: (name: string) => {
      asked.push(name);
      return Promise.resolve({ kind: 'answer', addresses: ['2001:db8::99'] });
    },
  };
}

/** Runs one check to the end: every answer it asked for recorded. */
async function runCheck(t: Tracker, options: { hasResolver: boolean; enabled?: boolean; isNormal?: (tabId: number) => Promise<boolean>; resolver?: Resolver }) {
  const dns = fakeResolver();
  const recorded: Array<[number, string]> = [];
  const check = createDnsCheck({
    resolver: () => (options.hasResolver ? (options.resolver ?? dns.resolve) : undefined),
    isNormalTab: options.isNormal ?? privacy,
    record: (tabId, viewId, domain, lookup) => {
      recorded.push([tabId, domain]);
      if (lookup.kind === 'answer') recordDnsAnswer(t, tabId, viewId, domain, lookup.addresses);
      else recordDnsFailure(t, tabId, viewId, domain);
    },
  });
  await check(t, [NORMAL, PRIVATE], options.enabled ?? true);
  return { asked: dns.asked.sort(), recorded: recorded.sort() };
}

describe('the DNS check and private windows', () => {
  it('asks about the normal tab’s IPv4 domain, never the private tab’s', async () => {
    const t = twoTabs();
    expect(await runCheck(t, { hasResolver: true })).toStrictEqual({ asked: ['v4.open.example'], recorded: [[NORMAL, 'v4.open.example']] });
    expect(t.tabs.get(NORMAL)?.current.domains.get('v4.open.example')?.dnsIpv6).toStrictEqual(['2001:db8::99']);
    expect(t.tabs.get(PRIVATE)?.current.domains.get('v4.secret.example')?.dnsIpv6).toBeUndefined();
  });

  it('asks nothing where there is no resolver to ask (Chrome with no valid custom URL), even with the setting on', async () => {
    expect(await runCheck(twoTabs(), { hasResolver: false })).toStrictEqual({ asked: [], recorded: [] });
  });

  it('sends the DNS-over-HTTPS resolver the normal tab’s name, never the private tab’s', async () => {
    const urls: string[] = [];
    const fetchSpy = (url: string): Promise<Response> => {
      urls.push(url);
      return Promise.resolve(new Response(null, { status: 503 }));
    };
    const t = twoTabs();
    const { recorded } = await runCheck(t, { hasResolver: true, resolver: dohResolver('https://dns.example/dns-query', fetchSpy as unknown as typeof fetch) });
    expect(urls.map((url) => new URL(url).origin)).toStrictEqual(['https://dns.example']);
    expect(recorded).toStrictEqual([[NORMAL, 'v4.open.example']]);
    expect(t.tabs.get(NORMAL)?.current.domains.get('v4.open.example')?.dnsLookupFailed).toBe(true);
    expect(t.tabs.get(PRIVATE)?.current.domains.get('v4.secret.example')?.dnsLookupFailed).toBeUndefined();
  });

  it('asks nothing with the setting off', async () => {
    expect(await runCheck(twoTabs(), { hasResolver: true, enabled: false })).toStrictEqual({ asked: [], recorded: [] });
  });

  it('a tab whose window cannot be told is not asked about', async () => {
    const isNormal = (tabId: number): Promise<boolean> => (tabId === NORMAL ? Promise.resolve(true) : Promise.reject(new Error('no such tab')));
    expect((await runCheck(twoTabs(), { hasResolver: true, isNormal })).asked).toStrictEqual(['v4.open.example']);
  });
});
