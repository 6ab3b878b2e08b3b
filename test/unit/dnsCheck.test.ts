import { describe, expect, it } from 'vitest';
import { createDescriber } from '../../src/core/address/addressClass';
import { domainsToCheck, ipv6In } from '../../src/core/address/dnsCheck';
import { parseNat64Prefix } from '../../src/core/address/nat64';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { decodeDomainRecord } from '../../src/core/session/sessionCodec';
import { timeBaseOfView } from '../../src/core/session/storageKeys';
import { DEFAULT_SETTINGS, settingsFrom } from '../../src/core/settings/settings';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { drainChanges, recordDnsAnswer, recordDnsFailure, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';

const describe_ = createDescriber();

/** A tracker with one page (a.example over IPv6) and the given subresources: [url, ip, fromCache]. */
function page(loads: Array<[string, string | undefined, boolean?]>): Tracker {
  const t = newTracker();
  navigate(t, 1, 'https://a.example/', '2001:db8::a', 'docA');
  for (const [url, ip, fromCache] of loads) load(t, url, ip, { documentId: 'docA' }, { fromCache: fromCache ?? false });
  return t;
}
const view = (t: Tracker) => t.tabs.get(1)!.current;

describe('which domains the DNS check asks about', () => {
  it.each<[string, Array<[string, string | undefined, boolean?]>, string[]]>([
    ['a domain reached over IPv4', [['https://v4.example/x', '192.0.2.1']], ['v4.example']],
    ['not one reached over IPv6 (the page itself)', [], []],
    ['not one reached over both', [['https://both.example/1', '192.0.2.1'], ['https://both.example/2', '2001:db8::1']], []],
    ['not one with no address yet', [['https://quiet.example/x', undefined]], []],
    ['not one known only from the cache', [['https://cached.example/x', '192.0.2.1', true]], []],
    ['an IPv4 literal host', [['http://192.0.2.7/x', '192.0.2.7']], []],
    ['an IPv6-mapped IPv4 peer counts as IPv4', [['https://mapped.example/x', '::ffff:192.0.2.2']], ['mapped.example']],
    ['not a NAT64 address: the browser used IPv6 to reach it', [['https://nat64.example/x', '64:ff9b::c000:201']], []],
    ['an unparseable address is not IPv4', [['https://odd.example/x', 'not-an-ip']], []],
  ])('%s', (_name, loads, expected) => {
    const t = page(loads);
    expect(domainsToCheck(view(t), t.describe)).toEqual(expected);
  });

  it('asks once per page view: an answer, even empty, settles it', () => {
    const t = page([['https://v4.example/x', '192.0.2.1'], ['https://w4.example/x', '192.0.2.2']]);
    recordDnsAnswer(t, 1, view(t).id, 'v4.example', []);
    expect(domainsToCheck(view(t), t.describe)).toEqual(['w4.example']);
    navigate(t, 1, 'https://a.example/', '2001:db8::a', 'docB');
    load(t, 'https://v4.example/x', '192.0.2.1', { documentId: 'docB' });
    expect(domainsToCheck(view(t), t.describe)).toEqual(['v4.example']);
  });

  it('a failed look-up settles it too (not repeated in the view)', () => {
    const t = page([['https://v4.example/x', '192.0.2.1'], ['https://w4.example/x', '192.0.2.2']]);
    recordDnsFailure(t, 1, view(t).id, 'v4.example');
    expect(domainsToCheck(view(t), t.describe)).toEqual(['w4.example']);
  });
});

describe('reading the resolver’s answer', () => {
  it.each<[string, string[], string[]]>([
    ['IPv6 addresses, canonical, distinct, sorted', ['2001:DB8::2', '192.0.2.1', '2001:db8:0::1', '2001:db8::2'], ['2001:db8::1', '2001:db8::2']],
    ['only IPv4', ['192.0.2.1', '192.0.2.2'], []],
    ['nothing', [], []],
    ['IPv4-mapped is IPv4', ['::ffff:192.0.2.1'], []],
    ['NAT64 (made up by DNS64) is IPv4', ['64:ff9b::c000:201'], []],
    ['junk is ignored', ['', 'localhost', '2001:db8::zz'], []],
    ['loopback counts', ['127.0.0.1', '::1'], ['::1']],
  ])('%s', (_name, answer, expected) => {
    expect(ipv6In(answer, describe_)).toEqual(expected);
  });

  it('a NAT64 prefix of the user’s is IPv4 too', () => {
    const prefix = parseNat64Prefix('2001:db8:64::/96');
    if (!prefix.ok) throw new Error('bad prefix');
    expect(ipv6In(['2001:db8:64::c000:201', '2001:db8::1'], createDescriber([prefix.prefix]))).toEqual(['2001:db8::1']);
  });
});

describe('an answer on the page view', () => {
  it('is kept on the domain, shown on its row while it is reached over IPv4, and written with the batch', () => {
    const t = page([['https://v4.example/x', '192.0.2.1']]);
    drainChanges(t);
    recordDnsAnswer(t, 1, view(t).id, 'v4.example', ['192.0.2.1', '2001:db8::4']);
    const row = () => buildSnapshot(view(t), t.describe).domains.find((r) => r.domain === 'v4.example');
    expect(row()?.ipv6NotUsed).toEqual(['2001:db8::4']);
    const { set } = storageWrites(t, drainChanges(t));
    expect(decodeDomainRecord(set[`d:1:${view(t).id}:v4.example`], 'v4.example', timeBaseOfView(view(t).id))).toMatchObject({ dnsIpv6: ['2001:db8::4'] });
    // Once the domain answers over IPv6, the flag has no more to say.
    load(t, 'https://v4.example/y', '2001:db8::4', { documentId: 'docA' });
    expect(row()?.ipv6NotUsed).toBeUndefined();
  });

  it('a failed look-up is kept apart from "none": flagged on the row, written with the batch, no dnsIpv6', () => {
    const t = page([['https://v4.example/x', '192.0.2.1'], ['https://w4.example/x', '192.0.2.2']]);
    drainChanges(t);
    recordDnsFailure(t, 1, view(t).id, 'v4.example');
    recordDnsAnswer(t, 1, view(t).id, 'w4.example', ['192.0.2.2']);
    const row = (domain: string) => buildSnapshot(view(t), t.describe).domains.find((r) => r.domain === domain);
    expect([row('v4.example')?.dnsLookupFailed, row('v4.example')?.ipv6NotUsed]).toEqual([true, undefined]);
    expect([row('w4.example')?.dnsLookupFailed, row('w4.example')?.ipv6NotUsed]).toEqual([undefined, undefined]);
    // The failure is about a domain reached over IPv4: once it answers over IPv6, the row drops it.
    load(t, 'https://v4.example/y', '2001:db8::5', { documentId: 'docA' });
    expect(row('v4.example')?.dnsLookupFailed).toBeUndefined();
    expect(view(t).domains.get('v4.example')?.dnsLookupFailed).toBe(true);
    const { set } = storageWrites(t, drainChanges(t));
    const stored = (domain: string) => decodeDomainRecord(set[`d:1:${view(t).id}:${domain}`], domain, timeBaseOfView(view(t).id));
    expect(stored('v4.example')).toMatchObject({ dnsLookupFailed: true });
    expect(stored('v4.example')?.dnsIpv6).toBeUndefined();
    expect(stored('w4.example')).toMatchObject({ dnsIpv6: [] });
    expect(stored('w4.example')?.dnsLookupFailed).toBeUndefined();
    // A later answer replaces the failure; a failure never replaces an answer.
    recordDnsAnswer(t, 1, view(t).id, 'v4.example', ['2001:db8::4']);
    recordDnsFailure(t, 1, view(t).id, 'w4.example');
    expect(view(t).domains.get('v4.example')).toMatchObject({ dnsIpv6: ['2001:db8::4'] });
    expect(view(t).domains.get('v4.example')?.dnsLookupFailed).toBeUndefined();
    expect(view(t).domains.get('w4.example')?.dnsLookupFailed).toBeUndefined();
  });

  it.each<[string, (t: Tracker) => [number, string, string]]>([
    ['of a view that is gone', () => [1, 'no-such-view', 'v4.example']],
    ['of a closed tab', (t) => [9, view(t).id, 'v4.example']],
    ['of a domain the view does not have', (t) => [1, view(t).id, 'other.example']],
  ])('%s changes nothing', (_name, target) => {
    const t = page([['https://v4.example/x', '192.0.2.1']]);
    drainChanges(t);
    recordDnsAnswer(t, ...target(t), ['2001:db8::4']);
    recordDnsFailure(t, ...target(t));
    expect(drainChanges(t).touched.size).toBe(0);
    expect(view(t).domains.get('v4.example')?.dnsIpv6).toBeUndefined();
    expect(view(t).domains.get('v4.example')?.dnsLookupFailed).toBeUndefined();
  });

  type Evidence = { dnsIpv6?: unknown; dnsLookupFailed?: unknown };
  it.each<[string, Evidence, Evidence]>([
    ['a stored list', { dnsIpv6: ['2001:db8::4'] }, { dnsIpv6: ['2001:db8::4'] }],
    ['an empty list (asked, none)', { dnsIpv6: [] }, { dnsIpv6: [] }],
    ['not a list', { dnsIpv6: '2001:db8::4' }, {}],
    ['a list with junk', { dnsIpv6: ['2001:db8::4', 7] }, {}],
    ['a failed look-up', { dnsLookupFailed: true }, { dnsLookupFailed: true }],
    ['a failure that is not true', { dnsLookupFailed: 'yes' }, {}],
  ])('restored from storage: %s', (_name, stored, expected) => {
    const t = page([['https://v4.example/x', '192.0.2.1']]);
    const { set } = storageWrites(t, drainChanges(t));
    const key = `d:1:${view(t).id}:v4.example`;
    const restored = newTracker('w');
    // Written in the first format (the whole record as JSON), which keeps a bad value apart from the record.
    restoreTracker(restored, { ...set, [key]: JSON.stringify({ ...view(t).domains.get('v4.example'), ...stored }) });
    const record = view(restored).domains.get('v4.example');
    expect({ dnsIpv6: record?.dnsIpv6, dnsLookupFailed: record?.dnsLookupFailed }).toEqual({ dnsIpv6: undefined, dnsLookupFailed: undefined, ...expected });
  });
});

describe('the DNS check setting', () => {
  it.each<[string, unknown, boolean]>([
    ['off by default', undefined, false],
    ['kept when on', { dnsIpv6Check: true }, true],
    ['not a boolean', { dnsIpv6Check: 'yes' }, false],
  ])('%s', (_name, stored, expected) => {
    expect(settingsFrom(stored).dnsIpv6Check).toBe(expected);
    expect(DEFAULT_SETTINGS.dnsIpv6Check).toBe(false);
  });
});
