import { describe, expect, it } from 'vitest';
import { combinePrefixes } from '../../src/core/address/nat64';
import { domainReadiness, hostReadinessOf, pageReadiness, withDnsAnswer, type HostReadiness, type Readiness } from '../../src/core/readiness/readiness';
import { onRequestEnded, onRequestStarted, recordDnsAnswer, setNat64Prefixes, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker, request } from './trackerEvents';

type Load = [url: string, ip: string | undefined, fromCache?: boolean];

/** A tracker with one page, https://a.example/ answered from `mainIp`, and the given loads. */
function page(mainIp: string, loads: Load[], mainUrl = 'https://a.example/'): Tracker {
  const t = newTracker();
  navigate(t, 1, mainUrl, mainIp, 'docA');
  for (const [url, ip, fromCache] of loads) load(t, url, ip, { documentId: 'docA' }, { fromCache: fromCache ?? false });
  return t;
}
const view = (t: Tracker) => t.tabs.get(1)!.current;
const readinessOf = (t: Tracker, domain: string): Readiness => domainReadiness(view(t).domains.get(domain)!, t.describe);

describe('a host’s readiness, from evidence only', () => {
  it.each<[string, Load[], string, Readiness]>([
    ['answered over native IPv6', [['https://six.example/x', '2001:db8::6']], 'six.example', 'ipv6'],
    ['answered over IPv4, no DNS evidence', [['https://four.example/x', '192.0.2.4']], 'four.example', 'unknown'],
    ['a NAT64 answer is never ipv6', [['https://nat.example/x', '64:ff9b::c000:204']], 'nat.example', 'unknown'],
    ['an IPv4-mapped answer is never ipv6', [['https://mapped.example/x', '::ffff:192.0.2.4']], 'mapped.example', 'unknown'],
    ['several addresses of both families: any native IPv6 answer proves it', [['https://both.example/1', '192.0.2.4'], ['https://both.example/2', '2001:db8::6'], ['https://both.example/3', '192.0.2.5']], 'both.example', 'ipv6'],
    ['both families, the IPv6 one only NAT64: not proven', [['https://both.example/1', '192.0.2.4'], ['https://both.example/2', '64:ff9b::c000:205']], 'both.example', 'unknown'],
    ['an IPv6 answer served from the cache still proves it', [['https://cached.example/x', '2001:db8::6', true]], 'cached.example', 'ipv6'],
    ['an unparseable address proves nothing', [['https://odd.example/x', 'not-an-ip']], 'odd.example', 'unknown'],
    ['no address reported proves nothing', [['https://quiet.example/x', undefined]], 'quiet.example', 'unknown'],
    ['an IPv4 literal host', [['http://127.0.0.1:8080/x', '127.0.0.1']], '127.0.0.1', 'ipv4-literal'],
    ['an IPv4 literal host even when reached through NAT64', [['http://192.0.2.9/x', '64:ff9b::c000:209']], '192.0.2.9', 'ipv4-literal'],
    ['an IPv6 literal host', [['http://[2001:db8::7]/x', '2001:db8::7']], '[2001:db8::7]', 'ipv6'],
    ['an IPv4-mapped literal names an IPv4 server', [['http://[::ffff:192.0.2.1]/x', '::ffff:192.0.2.1']], '[::ffff:192.0.2.1]', 'ipv4-literal'],
  ])('%s', (_name, loads, domain, expected) => {
    expect(readinessOf(page('2001:db8::a', loads), domain)).toBe(expected);
  });

  it('a learned or configured NAT64 prefix makes its addresses IPv4 servers too', () => {
    const t = page('2001:db8::a', [['https://nat.example/x', '2001:db8:64::c000:204']]);
    expect(readinessOf(t, 'nat.example')).toBe('ipv6');
    setNat64Prefixes(t, combinePrefixes(['2001:db8:64::/96'], []));
    expect(readinessOf(t, 'nat.example')).toBe('unknown');
    expect(readinessOf(t, 'a.example')).toBe('ipv6');
  });

  it.each<[string, string[] | 'failed', Readiness]>([
    ['AAAA records → published', ['2001:db8::44'], 'published'],
    ['no AAAA → ipv4-only', [], 'ipv4-only'],
    ['only synthesised (DNS64) or mapped AAAA → ipv4-only', ['64:ff9b::c000:204', '::ffff:192.0.2.4'], 'ipv4-only'],
    ['the look-up failed (error or timeout) → unknown', 'failed', 'unknown'],
  ])('DNS: %s', (_name, answer, expected) => {
    const t = page('2001:db8::a', [['https://four.example/x', '192.0.2.4']]);
    if (answer === 'failed') view(t).domains.get('four.example')!.dnsLookupFailed = true;
    else recordDnsAnswer(t, 1, view(t).id, 'four.example', answer);
    expect(readinessOf(t, 'four.example')).toBe(expected);
  });

  it('DNS evidence never overrides what the answers proved', () => {
    const t = page('2001:db8::a', [['https://six.example/x', '2001:db8::6']]);
    recordDnsAnswer(t, 1, view(t).id, 'six.example', []);
    expect(readinessOf(t, 'six.example')).toBe('ipv6');
  });

  it('counts answered requests only: a failed request is not one', () => {
    const t = page('2001:db8::a', [['https://four.example/1', '192.0.2.4']]);
    const failed = request('https://four.example/2', { documentId: 'docA' });
    onRequestStarted(t, failed);
    onRequestEnded(t, failed, true);
    const record = view(t).domains.get('four.example')!;
    expect(record.requests).toBe(2);
    expect(hostReadinessOf(record, t.describe)).toEqual({ domain: 'four.example', readiness: 'unknown', requests: 1 });
  });
});

describe('withDnsAnswer', () => {
  it.each<[Readiness, 'aaaa' | 'none' | 'failed', Readiness]>([
    ['unknown', 'aaaa', 'published'],
    ['unknown', 'none', 'ipv4-only'],
    ['unknown', 'failed', 'unknown'],
    ['ipv6', 'none', 'ipv6'],
    ['ipv4-literal', 'aaaa', 'ipv4-literal'],
    ['published', 'none', 'published'],
    ['ipv4-only', 'aaaa', 'ipv4-only'],
  ])('%s + %s → %s', (readiness, dns, expected) => expect(withDnsAnswer(readiness, dns)).toBe(expected));
});

const host = (domain: string, readiness: Readiness, requests: number): HostReadiness => ({ domain, readiness, requests });

describe('a page’s verdicts and scores', () => {
  it.each<[string, HostReadiness[], string | undefined, { verdict: string; verdictNat64: string; score: number; scoreWithPublished: number }]>([
    ['every host over IPv6', [host('a.example', 'ipv6', 10), host('cdn.example', 'ipv6', 30)], 'a.example', { verdict: 'ready', verdictNat64: 'ready', score: 100, scoreWithPublished: 100 }],
    ['an IPv4-only third party', [host('a.example', 'ipv6', 6), host('fonts.example', 'ipv4-only', 2)], 'a.example', { verdict: 'not-ready', verdictNat64: 'ready', score: 75, scoreWithPublished: 75 }],
    ['an unready main host scores 0', [host('a.example', 'ipv4-only', 1), host('cdn.example', 'ipv6', 9)], 'a.example', { verdict: 'not-ready', verdictNat64: 'ready', score: 0, scoreWithPublished: 0 }],
    ['a main host without evidence scores 0 and is unknown', [host('a.example', 'unknown', 1), host('cdn.example', 'ipv6', 9)], 'a.example', { verdict: 'unknown', verdictNat64: 'ready', score: 0, scoreWithPublished: 0 }],
    ['a published main host counts only with published', [host('a.example', 'published', 1), host('cdn.example', 'ipv6', 3)], 'a.example', { verdict: 'ready', verdictNat64: 'ready', score: 0, scoreWithPublished: 100 }],
    ['a published third party', [host('a.example', 'ipv6', 1), host('cdn.example', 'published', 2)], 'a.example', { verdict: 'ready', verdictNat64: 'ready', score: 33, scoreWithPublished: 100 }],
    ['an IPv4 literal blocks both networks', [host('a.example', 'ipv6', 3), host('127.0.0.1', 'ipv4-literal', 1)], 'a.example', { verdict: 'not-ready', verdictNat64: 'not-ready', score: 75, scoreWithPublished: 75 }],
    ['unknown hosts leave the IPv6-only verdict unknown', [host('a.example', 'ipv6', 3), host('x.example', 'unknown', 1)], 'a.example', { verdict: 'unknown', verdictNat64: 'ready', score: 75, scoreWithPublished: 75 }],
    ['a blocking host outweighs unknown ones', [host('a.example', 'ipv6', 3), host('x.example', 'unknown', 1), host('y.example', 'ipv4-only', 1)], 'a.example', { verdict: 'not-ready', verdictNat64: 'ready', score: 60, scoreWithPublished: 60 }],
    ['hosts never answered do not count', [host('a.example', 'ipv6', 4), host('dead.example', 'ipv4-only', 0), host('10.0.0.1', 'ipv4-literal', 0)], 'a.example', { verdict: 'ready', verdictNat64: 'ready', score: 100, scoreWithPublished: 100 }],
    ['nothing answered yet', [host('a.example', 'unknown', 0)], 'a.example', { verdict: 'unknown', verdictNat64: 'unknown', score: 0, scoreWithPublished: 0 }],
    ['no main domain known', [host('cdn.example', 'ipv6', 2)], undefined, { verdict: 'ready', verdictNat64: 'ready', score: 0, scoreWithPublished: 0 }],
    ['the score is rounded down: 100 only when every request is', [host('a.example', 'ipv6', 199), host('b.example', 'ipv4-only', 1)], 'a.example', { verdict: 'not-ready', verdictNat64: 'ready', score: 99, scoreWithPublished: 99 }],
  ])('%s', (_name, hosts, main, expected) => {
    const { verdict, verdictNat64, score, scoreWithPublished } = pageReadiness(hosts, main);
    expect({ verdict, verdictNat64, score, scoreWithPublished }).toEqual(expected);
  });

  it('lists the hosts that are not proven: literals, then ipv4-only, unknown, published; most requests first', () => {
    const result = pageReadiness(
      [host('a.example', 'ipv6', 5), host('p.example', 'published', 9), host('u.example', 'unknown', 1), host('o1.example', 'ipv4-only', 1), host('o2.example', 'ipv4-only', 4), host('192.0.2.1', 'ipv4-literal', 1), host('gone.example', 'ipv4-only', 0)],
      'a.example',
    );
    expect(result.hosts.map((h) => h.domain)).toEqual(['192.0.2.1', 'o2.example', 'o1.example', 'u.example', 'p.example']);
    expect(result.answeredHosts).toBe(6);
    expect(result.answeredRequests).toBe(21);
  });

  it('from a tracked page: NAT64 answers and a literal', () => {
    const t = page('2001:db8::a', [['https://nat.example/x', '64:ff9b::c000:204'], ['https://cdn.example/x', '2001:db8::c'], ['http://127.0.0.1:9/x', '127.0.0.1']]);
    const hosts = [...view(t).domains.values()].map((record) => hostReadinessOf(record, t.describe));
    const result = pageReadiness(hosts, view(t).mainDomain);
    expect(result).toMatchObject({ verdict: 'not-ready', verdictNat64: 'not-ready', score: 50, scoreWithPublished: 50 });
    expect(result.hosts).toEqual([host('127.0.0.1', 'ipv4-literal', 1), host('nat.example', 'unknown', 1)]);
  });
});
