import { describe, expect, it } from 'vitest';
import { hostReadinessOf } from '../../src/core/readiness/readiness';
import { FALLBACK_WINDOW_MS, NO_IPV6_WINDOW_MS, reasonForHost, type HostReason } from '../../src/core/readiness/reason';
import { NATIVE_IPV6_MINUTES, decodeNativeIpv6, encodeNativeIpv6, nativeIpv6CoversSince, nativeIpv6Within, newNativeIpv6Seen, noteNativeIpv6, noteWatching } from '../../src/core/readiness/nativeIpv6';
import type { ReportedProxy } from '../../src/core/proxy/reportedProxy';
import { drainChanges, noteTabPrivacy, onRequestStarted, recordDnsAnswer, type Tracker } from '../../src/core/tab/tracker';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { buildSnapshot } from '../../src/core/view/snapshot';
import { load, navigate, newTracker, request } from './trackerEvents';

/** Far after the shared test clock, so explicit times never meet the ticks of navigate(). */
const AT = 50_000_000;
const HTTP_PROXY: ReportedProxy = { type: 'http', host: '127.0.0.1', port: 3128, proxyDns: false };

interface Scene {
  /** The host under test: its URL and the address that answered it, at AT. */
  url: string;
  ip: string;
  proxy?: ReportedProxy;
  /** The DNS check's answer for it (absent: not asked). */
  dns?: string[];
  /** Other answers: [offset from AT in ms, address, tab (1 normal, 2 private), through a proxy]. */
  others?: [offset: number, ip: string, tab?: 1 | 2, proxied?: boolean][];
}

function reasonIn(scene: Scene): HostReason | undefined {
  const t: Tracker = newTracker();
  navigate(t, 1, 'https://main.example/', '192.0.2.1', 'docA');
  navigate(t, 2, 'https://private.example/', '192.0.2.1', 'docB');
  noteTabPrivacy(t, 2, true);
  const host = new URL(scene.url).hostname;
  const extra = scene.proxy === undefined ? { time: AT } : { time: AT, proxy: scene.proxy };
  load(t, scene.url, scene.ip, { documentId: 'docA', time: AT - 1 }, extra);
  for (const [offset, ip, tab, proxied] of scene.others ?? []) {
    const other = { time: AT + offset, ...(proxied === true ? { proxy: HTTP_PROXY } : {}) };
    load(t, `https://other${offset}.example/x`, ip, { tabId: tab ?? 1, documentId: tab === 2 ? 'docB' : 'docA', time: AT + offset - 1 }, other);
  }
  const view = t.tabs.get(1)!.current;
  if (scene.dns !== undefined) recordDnsAnswer(t, 1, view.id, host, scene.dns);
  const record = view.domains.get(host)!;
  const readiness = hostReadinessOf(record, t.describe);
  return reasonForHost(record, t.describe, { readiness: readiness.readiness, proxied: readiness.proxied === true, nativeIpv6: t.nativeIpv6 });
}

const AAAA = ['2001:db8::44'];
const SIX = '2001:db8::6';

describe('why IPv4: a reason per host, from evidence only', () => {
  it.each<[string, Scene, HostReason | undefined]>([
    // Control: native IPv6 has no reason.
    ['answered over native IPv6: no reason', { url: 'https://six.example/x', ip: SIX }, undefined],
    ['DNS has no AAAA', { url: 'https://four.example/x', ip: '192.0.2.4', dns: [] }, 'no-aaaa'],
    ['DNS only synthesised (DNS64) AAAA: no AAAA of its own', { url: 'https://four.example/x', ip: '192.0.2.4', dns: ['64:ff9b::c000:204'] }, 'no-aaaa'],
    ['no DNS evidence', { url: 'https://four.example/x', ip: '192.0.2.4' }, 'unknown'],
    ['an IPv4 literal', { url: 'http://192.0.2.9/x', ip: '192.0.2.9' }, 'literal'],
    ['through a NAT64 prefix', { url: 'https://nat.example/x', ip: '64:ff9b::c000:204' }, 'nat64'],
    ['through a reported proxy', { url: 'https://four.example/x', ip: '127.0.0.1', proxy: HTTP_PROXY }, 'proxy'],
    // Fallback: AAAA published, native IPv6 reached within a minute either side.
    ['AAAA, IPv6 elsewhere a minute before', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[-FALLBACK_WINDOW_MS, SIX]] }, 'fallback'],
    ['AAAA, IPv6 elsewhere a minute after', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[FALLBACK_WINDOW_MS, SIX]] }, 'fallback'],
    ['AAAA, IPv6 elsewhere at the same moment', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[0, SIX]] }, 'fallback'],
    // Just outside the minute but within ten: the evidence does not say which.
    ['AAAA, IPv6 a minute and 1 ms before: not the same minute', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[-FALLBACK_WINDOW_MS - 1, SIX]] }, 'unknown'],
    ['AAAA, IPv6 ten minutes before exactly', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[-NO_IPV6_WINDOW_MS, SIX]] }, 'unknown'],
    // No IPv6 here: none in the ten minutes before (or since start), nor in the minute after.
    ['AAAA, no IPv6 answer ever', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA }, 'no-ipv6-here'],
    ['AAAA, IPv6 ten minutes and 1 ms before', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[-NO_IPV6_WINDOW_MS - 1, SIX]] }, 'no-ipv6-here'],
    ['AAAA, IPv6 only a minute and 1 ms after', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[FALLBACK_WINDOW_MS + 1, SIX]] }, 'no-ipv6-here'],
    ['AAAA, IPv6 only in a private tab: excluded', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[0, SIX, 2]] }, 'no-ipv6-here'],
    ['AAAA, the same in a normal tab (control)', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[0, SIX, 1]] }, 'fallback'],
    ['AAAA, IPv6 only through a proxy: not native', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[0, SIX, 1, true]] }, 'no-ipv6-here'],
    ['AAAA, IPv6 only through NAT64: not native', { url: 'https://fb.example/x', ip: '192.0.2.4', dns: AAAA, others: [[0, '64:ff9b::c000:205']] }, 'no-ipv6-here'],
    // Precedence: literal > proxy > nat64 > DNS.
    ['a literal through a proxy is a literal', { url: 'http://192.0.2.9/x', ip: '127.0.0.1', proxy: HTTP_PROXY }, 'literal'],
    ['a literal through NAT64 is a literal', { url: 'http://192.0.2.9/x', ip: '64:ff9b::c000:209' }, 'literal'],
    ['NAT64 with AAAA published and IPv6 elsewhere is nat64', { url: 'https://nat.example/x', ip: '64:ff9b::c000:204', dns: AAAA, others: [[0, SIX]] }, 'nat64'],
    ['a proxy with no AAAA is a proxy', { url: 'https://four.example/x', ip: '127.0.0.1', proxy: HTTP_PROXY, dns: [] }, 'proxy'],
  ])('%s → %s', (_name, scene, expected) => {
    expect(reasonIn(scene)).toBe(expected);
  });

  it('a host with no answer yet has no reason; the same host once answered over IPv4 has one', () => {
    const t = newTracker();
    navigate(t, 1, 'https://main.example/', '192.0.2.1', 'docA');
    onRequestStarted(t, request('https://pending.example/x', { documentId: 'docA' }));
    const record = t.tabs.get(1)!.current.domains.get('pending.example')!;
    const evidence = { readiness: hostReadinessOf(record, t.describe).readiness, proxied: false, nativeIpv6: t.nativeIpv6 };
    expect(reasonForHost(record, t.describe, evidence)).toBeUndefined();
    expect(reasonForHost(t.tabs.get(1)!.current.domains.get('main.example')!, t.describe, evidence)).toBe('unknown');
  });

  it.each<[string, number | 'no evidence', HostReason]>([
    ['watched from exactly ten minutes before its answer', NO_IPV6_WINDOW_MS, 'no-ipv6-here'],
    ['watched from 1 ms less (the worker started since)', NO_IPV6_WINDOW_MS - 1, 'unknown'],
    ['no native-IPv6 evidence at hand at all', 'no evidence', 'unknown'],
  ])('no IPv6 here needs the ten minutes before the answer all watched: %s → %s', (_name, watched, expected) => {
    const t = newTracker();
    navigate(t, 1, 'https://main.example/', '192.0.2.1', 'docA');
    const view = t.tabs.get(1)!.current;
    recordDnsAnswer(t, 1, view.id, 'main.example', AAAA);
    const record = view.domains.get('main.example')!;
    const at = record.addresses['192.0.2.1']!.lastSeen;
    const nativeIpv6 = watched === 'no evidence' ? undefined : { ...t.nativeIpv6, since: at - watched };
    expect(reasonForHost(record, t.describe, { readiness: 'published', proxied: false, nativeIpv6 })).toBe(expected);
  });

  it('the snapshot carries the reason on IPv4 rows and in the blocking-hosts list, none on IPv6 rows', () => {
    const t = newTracker();
    navigate(t, 1, 'https://main.example/', SIX, 'docA');
    load(t, 'https://four.example/x', '192.0.2.4', { documentId: 'docA' });
    recordDnsAnswer(t, 1, t.tabs.get(1)!.current.id, 'four.example', AAAA);
    const snapshot = buildSnapshot(t.tabs.get(1)!.current, t.describe, Infinity, 0, undefined, t.nativeIpv6);
    const rows = Object.fromEntries(snapshot.domains.map((row) => [row.domain, row]));
    expect(rows['main.example']!.reason).toBeUndefined();
    expect(rows['four.example']!.reason).toBe('fallback');
    expect(snapshot.readiness.hosts.map((host) => [host.domain, host.reason])).toEqual([['four.example', 'fallback']]);
  });
});

describe('native IPv6 evidence: bounded, exact at its edges', () => {
  it.each<[string, number[], [number, number], boolean]>([
    ['an answer inside', [120_000], [100_000, 130_000], true],
    ['an answer at the range start', [100_000], [100_000, 160_000], true],
    ['an answer at the range end', [160_000], [100_000, 160_000], true],
    ['an answer 1 ms before', [99_999], [100_000, 160_000], false],
    ['an answer 1 ms after', [160_001], [100_000, 160_000], false],
    ['no answer at all', [], [0, 1e12], false],
  ])('%s', (_name, times, [from, to], expected) => {
    const seen = newNativeIpv6Seen();
    for (const time of times) noteNativeIpv6(seen, time);
    expect(nativeIpv6Within(seen, from, to)).toBe(expected);
  });

  it(`keeps ${NATIVE_IPV6_MINUTES} minutes, one [first, last] each, and says what it covers: watched, nothing let go`, () => {
    const seen = newNativeIpv6Seen();
    noteWatching(seen, 0);
    for (let minute = 0; minute < NATIVE_IPV6_MINUTES + 10; minute++) {
      noteNativeIpv6(seen, minute * 60_000 + 5);
      noteNativeIpv6(seen, minute * 60_000 + 50_000);
    }
    expect(seen.minutes).toHaveLength(NATIVE_IPV6_MINUTES);
    expect(seen.minutes[0]).toEqual([10 * 60_000 + 5, 10 * 60_000 + 50_000]);
    expect(nativeIpv6CoversSince(seen, 10 * 60_000 + 5)).toBe(true);
    expect(nativeIpv6CoversSince(seen, 10 * 60_000 + 4)).toBe(false);
    const young = newNativeIpv6Seen();
    noteNativeIpv6(young, 900_000);
    expect(nativeIpv6CoversSince(young, 0)).toBe(false);
    noteWatching(young, 0);
    expect(nativeIpv6CoversSince(young, 0)).toBe(true);
    expect(nativeIpv6CoversSince(young, -1)).toBe(false);
  });
});

describe('native IPv6 evidence in session storage', () => {
  it('survives a worker restart: written with the tabs, read back equal, the reason unchanged', () => {
    const t = newTracker();
    navigate(t, 1, 'https://main.example/', '2001:db8::1', 'docA');
    load(t, 'https://fb.example/x', '192.0.2.4', { documentId: 'docA' });
    recordDnsAnswer(t, 1, t.tabs.get(1)!.current.id, 'fb.example', AAAA);
    const { set } = storageWrites(t, drainChanges(t));
    expect(set.nativeIpv6).toBeDefined();
    const restored = newTracker('w');
    expect(restoreTracker(restored, JSON.parse(JSON.stringify(set)) as Record<string, unknown>)).toEqual([]);
    expect(restored.nativeIpv6).toEqual(t.nativeIpv6);
    const reasonAfter = buildSnapshot(restored.tabs.get(1)!.current, restored.describe, Infinity, 0, undefined, restored.nativeIpv6).domains.find((row) => row.domain === 'fb.example')?.reason;
    expect(reasonAfter).toBe('fallback');
    // Control: the same restore without the key has no evidence that IPv6 worked here.
    const { nativeIpv6: _evidence, ...withoutEvidence } = set;
    const bare = newTracker('x');
    restoreTracker(bare, JSON.parse(JSON.stringify(withoutEvidence)) as Record<string, unknown>);
    expect(buildSnapshot(bare.tabs.get(1)!.current, bare.describe, Infinity, 0, undefined, bare.nativeIpv6).domains.find((row) => row.domain === 'fb.example')?.reason).toBe('unknown');
  });

  it.each<[string, unknown]>([
    ['not text', 5],
    ['not JSON', '[1,'],
    ['not a list', '{}'],
    ['a since that is not a time', '["x"]'],
    ['a minute the wrong way round', '[0,[2000,1000]]'],
    ['a minute longer than a minute', '[0,[0,60000]]'],
    ['minutes out of order', '[0,[120000,120001],[60000,60001]]'],
    ['too many minutes', JSON.stringify([0, ...Array.from({ length: NATIVE_IPV6_MINUTES + 1 }, (_, i) => [i * 60_000, i * 60_000])])],
  ])('refuses %s (restore reports the key)', (_name, stored) => {
    expect(decodeNativeIpv6(stored)).toBeUndefined();
    expect(restoreTracker(newTracker(), { nativeIpv6: stored })).toEqual(['nativeIpv6']);
  });

  it('reads back what it wrote, full or empty (control of the refusals)', () => {
    const seen = newNativeIpv6Seen();
    expect(decodeNativeIpv6(encodeNativeIpv6(seen))).toEqual(seen);
    noteWatching(seen, 5);
    for (let minute = 0; minute < NATIVE_IPV6_MINUTES; minute++) noteNativeIpv6(seen, minute * 60_000 + 10);
    expect(decodeNativeIpv6(encodeNativeIpv6(seen))).toEqual(seen);
  });
});
