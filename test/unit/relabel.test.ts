import { describe, expect, it } from 'vitest';
import { createDescriber } from '../../src/core/address/addressClass';
import { iconPatternOf, patternKey } from '../../src/core/icon/iconPattern';
import { combinePrefixes } from '../../src/core/address/nat64';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { drainChanges, setNat64Prefixes, type Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';
import { domainKeys } from './trackerHelpers';

function rowsOf(t: Tracker, tabId = 1) {
  const view = t.tabs.get(tabId)?.current;
  if (view === undefined) throw new Error(`no tab ${tabId}`);
  return buildSnapshot(view, t.describe).domains;
}

const row = (t: Tracker, domain: string, tabId = 1) => rowsOf(t, tabId).find((r) => r.domain === domain);

describe('setNat64Prefixes re-labels open tabs at once', () => {
  it('a documentation-range address becomes NAT64 (family 4) under a user prefix, and back', () => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', '2001:db8:1::1', 'doc1');
    load(t, 'https://v4only.example/a.js', '2001:db8:122:c000:2:2100::');
    navigate(t, 2, 'https://other.example/', '192.0.2.9', 'doc2');
    drainChanges(t);
    expect(row(t, 'v4only.example')).toMatchObject({ family: 6, addressClass: 'documentation' });
    expect(patternKey(iconPatternOf(t.tabs.get(1)?.current))).toBe('6');

    setNat64Prefixes(t, combinePrefixes(['2001:db8:122::/48'], []));
    expect(row(t, 'v4only.example')).toMatchObject({ family: 4, addressClass: 'nat64', address: '2001:db8:122:c000:2:2100::' });
    expect(row(t, 'v4only.example')?.addresses[0]).toMatchObject({ ipv4: '192.0.2.33', nat64Prefix: '2001:db8:122::/48' });
    expect(patternKey(iconPatternOf(t.tabs.get(1)?.current))).toBe('64');
    const changes = drainChanges(t);
    // Only the tab that changed is redrawn and only its changed domain rewritten.
    expect([...changes.touched]).toStrictEqual([1]);
    expect(domainKeys(changes).filter((key) => key.endsWith(':v4only.example'))).toHaveLength(1);
    expect(changes.domains.size).toBe(1);

    setNat64Prefixes(t, combinePrefixes([], []));
    expect(row(t, 'v4only.example')).toMatchObject({ family: 6, addressClass: 'documentation' });
    expect(t.tabs.get(1)?.current.familyTally).toStrictEqual({ 4: 0, 6: 2 });
  });

  it('an unchanged prefix set changes nothing', () => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', '64:ff9b::c000:201', 'doc1');
    drainChanges(t);
    setNat64Prefixes(t, combinePrefixes([], []));
    const changes = drainChanges(t);
    expect(changes.touched.size + changes.domains.size).toBe(0);
    expect(row(t, 'page.example')).toMatchObject({ family: 4, addressClass: 'nat64', address: '64:ff9b::192.0.2.1' });
  });

  it('a response after the change is classified with the new prefixes', () => {
    const t = newTracker();
    setNat64Prefixes(t, combinePrefixes(['fd00:64::/96'], []));
    navigate(t, 1, 'https://page.example/', 'fd00:64::c000:201', 'doc1');
    expect(row(t, 'page.example')).toMatchObject({ family: 4, addressClass: 'nat64', address: 'fd00:64::192.0.2.1' });
  });

  it('re-labels a pending navigation’s previous page too', () => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', 'fd00:64::c000:201', 'doc1');
    load(t, 'https://next.example/', undefined, { type: 'main_frame' });
    setNat64Prefixes(t, combinePrefixes(['fd00:64::/96'], []));
    const previous = t.tabs.get(1)?.previous;
    expect(previous === undefined ? undefined : buildSnapshot(previous, t.describe).domains[0]).toMatchObject({ family: 4, addressClass: 'nat64' });
  });
});

describe('learning NAT64 prefixes', () => {
  it.each<[string, string, string, string[]]>([
    ['an IPv4-only host over IPv6', 'ipv4only.arpa', '2001:db8:64::c000:aa', ['2001:db8:64::/96']],
    ['an IPv4-only host over IPv4', 'ipv4only.arpa', '192.0.0.170', []],
    ['an IPv4-only host inside a known prefix', 'ipv4only.arpa', '64:ff9b::c000:aa', []],
    ['any other host over IPv6', 'example.com', '2001:db8:64::c000:aa', []],
  ])('%s', (_name, host, ip, learned) => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', '192.0.2.9', 'doc1');
    drainChanges(t);
    load(t, `https://${host}/`, ip);
    expect([...drainChanges(t).learnedPrefixes.keys()]).toStrictEqual(learned);
  });

  it('is noted once per address, not per response', () => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', '192.0.2.9', 'doc1');
    load(t, 'https://ipv4only.arpa/a', '2001:db8:64::c000:aa');
    drainChanges(t);
    load(t, 'https://ipv4only.arpa/b', '2001:db8:64::c000:aa');
    expect(drainChanges(t).learnedPrefixes.size).toBe(0);
  });

  it('says which tabs taught a prefix, a service worker’s response counting for the tab it serves', () => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', '192.0.2.9', 'doc1');
    navigate(t, 2, 'https://other.example/', '192.0.2.10', 'doc2');
    navigate(t, 3, 'https://third.example/', '192.0.2.11', 'doc3');
    drainChanges(t);
    load(t, 'https://ipv4only.arpa/a', '2001:db8:64::c000:aa', { tabId: 2 });
    load(t, 'https://ipv4only.arpa/b', '2001:db8:64::c000:ab', { tabId: 1 });
    // No tab of its own: attributed by its initiator to tab 3.
    load(t, 'https://v4.ipv6-test.com/c', '2001:db8:46::1', { tabId: -1, initiator: 'https://third.example' });
    const learned = drainChanges(t).learnedPrefixes;
    expect(new Map([...learned].map(([prefix, tabs]) => [prefix, [...tabs].sort()]))).toStrictEqual(
      new Map([
        ['2001:db8:64::/96', [1, 2]],
        ['2001:db8:46::/96', [3]],
      ]),
    );
  });
});

describe('the describer follows the tracker', () => {
  it('snapshots use the prefixes in force', () => {
    const t = newTracker();
    navigate(t, 1, 'https://page.example/', '2001:db8:64::c000:201', 'doc1');
    expect(rowsOf(t)[0]?.addressClass).toBe('documentation');
    setNat64Prefixes(t, combinePrefixes(['2001:db8:64::/96'], []));
    expect(t.describe('2001:db8:64::c000:201')).toStrictEqual(createDescriber(t.prefixes)('2001:db8:64::c000:201'));
    expect(rowsOf(t)[0]?.addressClass).toBe('nat64');
  });
});
