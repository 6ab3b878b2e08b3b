import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translatorFor, type LocaleMessage } from '../../src/core/i18n';
import { HEALTH_WINDOW_MS, ipv6HealthOf, type Ipv6Health } from '../../src/core/readiness/ipv6Health';
import { newNativeIpv6Seen } from '../../src/core/readiness/nativeIpv6';
import { ipv6HealthLine } from '../../src/core/readiness/readinessText';
import type { PageProxy } from '../../src/core/proxy/pageProxy';
import type { ReportedProxy } from '../../src/core/proxy/reportedProxy';
import { noteTabPrivacy, type Tracker } from '../../src/core/tab/tracker';
import { buildSnapshot, type TabSnapshot } from '../../src/core/view/snapshot';
import Ajv from 'ajv';
import { tabMarkdown } from '../../src/core/export/markdown';
import { tabExport } from '../../src/core/export/tabExport';
import { load, navigate, newTracker } from './trackerEvents';

const tr = translatorFor(JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, LocaleMessage>);

/** Far after the shared test clock, so explicit times never meet the ticks of navigate(). */
const AT = 50_000_000;
const HTTP_PROXY: ReportedProxy = { type: 'http', host: '127.0.0.1', port: 3128, proxyDns: false };
const SIX = '2001:db8::6';
const FOUR = '192.0.2.4';
const NAT64 = '64:ff9b::c000:205';

/** An answer: [time, address, tab (1: the page's normal tab, 2: a private tab, 3: another normal tab), through a proxy]. */
type Answer = [time: number, ip: string, tab?: 1 | 2 | 3, proxied?: boolean];

/** The snapshot of tab 1 at `now`, after these answers, through the tracker. */
function snapshotIn(answers: Answer[], now: number): TabSnapshot {
  const t: Tracker = newTracker();
  navigate(t, 1, 'https://main.example/', '192.0.2.1', 'docA');
  navigate(t, 2, 'https://private.example/', '192.0.2.1', 'docB');
  navigate(t, 3, 'https://other.example/', '192.0.2.1', 'docC');
  noteTabPrivacy(t, 2, true);
  answers.forEach(([time, ip, tab = 1, proxied], index) => {
    const documentId = tab === 1 ? 'docA' : tab === 2 ? 'docB' : 'docC';
    load(t, `https://host${index}.example/x`, ip, { tabId: tab, documentId, time: time - 1 }, { time, ...(proxied === true ? { proxy: HTTP_PROXY } : {}) });
  });
  return buildSnapshot(t.tabs.get(1)!.current, t.describe, Infinity, 0, undefined, t.nativeIpv6, now);
}

/** The health the popup of tab 1 shows at `now`. */
const healthIn = (answers: Answer[], now: number): Ipv6Health => snapshotIn(answers, now).ipv6Health;

const WORKS_AT = { kind: 'works', lastNativeAt: AT } as const;
const NONE = { kind: 'none-seen' } as const;
const NAT = { kind: 'nat64', prefix: '64:ff9b::/96' } as const;

describe("this browser's IPv6 health, from what normal tabs did", () => {
  it.each<[string, Answer[], number, Ipv6Health]>([
    ['a native IPv6 answer 4 s ago: works', [[AT, SIX]], AT + 4000, WORKS_AT],
    ['native IPv6 from another normal tab counts', [[AT, SIX, 3]], AT + 4000, WORKS_AT],
    ['the newest native answer is the one named', [[AT - 5000, SIX], [AT, SIX, 3], [AT + 1000, FOUR]], AT + 4000, WORKS_AT],
    ['exactly 10 minutes ago: still works', [[AT, SIX]], AT + HEALTH_WINDOW_MS, WORKS_AT],
    ['10 minutes and 1 ms ago: none seen', [[AT, SIX]], AT + HEALTH_WINDOW_MS + 1, NONE],
    ['only IPv4: none seen', [[AT, FOUR], [AT, FOUR, 3]], AT + 4000, NONE],
    ['native IPv6 only in a private tab: never counts', [[AT, SIX, 2]], AT + 4000, NONE],
    ['IPv6 only through a proxy in another tab: not native', [[AT, SIX, 3, true]], AT + 4000, NONE],
    ['through NAT64 and none native: nat64 with its prefix', [[AT, NAT64]], AT + 4000, NAT],
    ['NAT64 exactly 10 minutes ago: nat64', [[AT, NAT64]], AT + HEALTH_WINDOW_MS, NAT],
    ['NAT64 10 minutes and 1 ms ago: none seen', [[AT, NAT64]], AT + HEALTH_WINDOW_MS + 1, NONE],
    ['NAT64 only in a private tab: never counts', [[AT, NAT64, 2]], AT + 4000, NONE],
    ['NAT64 and native IPv6 in the window: works wins', [[AT - 1000, NAT64], [AT, SIX, 3]], AT + 4000, WORKS_AT],
    ['NAT64 now, native IPv6 only 11 minutes ago: nat64', [[AT - 11 * 60_000, SIX], [AT, NAT64]], AT + 1000, NAT],
    ["the page's answers through a reported proxy: proxy, whatever else worked", [[AT, SIX, 3], [AT, FOUR, 1, true]], AT + 4000, { kind: 'proxy' }],
  ])('%s', (_name, answers, now, expected) => {
    expect(healthIn(answers, now)).toEqual(expected);
  });

  const suspicion = { reason: 'loopback', address: '127.0.0.1', domains: 4 } as const;
  it.each<[string, PageProxy | undefined, Ipv6Health['kind']]>([
    ['a proxy the settings confirm', { kind: 'settings', settings: { mode: 'fixed_servers' }, suspicion }, 'proxy'],
    ['a proxy the browser reported', { kind: 'reported', endpoints: ['127.0.0.1:3128'] }, 'proxy'],
    ['a suspicion alone says nothing: the evidence decides', { kind: 'suspected', suspicion }, 'works'],
    ['no proxy (control)', undefined, 'works'],
  ])('%s', (_name, proxy, expected) => {
    const seen = newNativeIpv6Seen();
    seen.minutes.push([AT, AT]);
    expect(ipv6HealthOf({ seen, proxy, now: AT + 1 }).kind).toBe(expected);
  });

  it('with no evidence known, none seen', () => {
    expect(ipv6HealthOf({ seen: undefined, proxy: undefined, now: AT })).toEqual(NONE);
  });
});

describe('the health line in words', () => {
  it.each<[Ipv6Health, number, string]>([
    [WORKS_AT, AT + 4_999, 'IPv6 works here (last native IPv6 answer 4 s ago)'],
    [WORKS_AT, AT + 59_999, 'IPv6 works here (last native IPv6 answer 59 s ago)'],
    [WORKS_AT, AT + 180_000, 'IPv6 works here (last native IPv6 answer 3 min ago)'],
    [WORKS_AT, AT - 500, 'IPv6 works here (last native IPv6 answer 0 s ago)'],
    [NONE, AT, 'No IPv6 seen here yet'],
    [NAT, AT, 'IPv6-only with NAT64 (prefix 64:ff9b::/96)'],
    [{ kind: 'proxy' }, AT, 'Behind a proxy'],
  ])('%j at +%d', (health, now, expected) => {
    expect(ipv6HealthLine(health, now, tr)).toBe(expected);
  });
});

describe('the health in the exports', () => {
  const v3 = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync('src/core/export/report-v3.schema.json', 'utf8')) as object);
  const NOW = AT + 4000;

  it.each<[string, Answer[], unknown, string]>([
    ['works', [[AT, SIX]], { kind: 'works', lastNativeAt: new Date(AT).toISOString() }, 'IPv6 works here (last native IPv6 answer 4 s ago)'],
    ['none-seen', [[AT, FOUR]], { kind: 'none-seen' }, 'No IPv6 seen here yet'],
    ['nat64', [[AT, NAT64]], { kind: 'nat64', prefix: '64:ff9b::/96' }, 'IPv6-only with NAT64 (prefix 64:ff9b::/96)'],
    ['proxy', [[AT, FOUR, 1, true]], { kind: 'proxy' }, 'Behind a proxy'],
  ])('%s: the JSON field (valid v3) and a Markdown line', (_kind, answers, field, line) => {
    const report = tabExport(snapshotIn(answers, NOW), NOW);
    expect(report.ipv6Health).toEqual(field);
    expect(v3(JSON.parse(JSON.stringify(report))), JSON.stringify(v3.errors)).toBe(true);
    expect(tabMarkdown(report, tr).split('\n')).toContain(line);
  });

  it.each<[string, unknown]>([
    ['an unknown kind', { kind: 'maybe' }],
    ['works without its time', { kind: 'works' }],
    ['nat64 without its prefix', { kind: 'nat64' }],
    ['none-seen with a stray field', { kind: 'none-seen', prefix: '64:ff9b::/96' }],
  ])('v3 refuses %s', (_name, field) => {
    const report = JSON.parse(JSON.stringify(tabExport(snapshotIn([[AT, SIX]], NOW), NOW))) as Record<string, unknown>;
    expect(v3(report)).toBe(true);
    expect(v3({ ...report, ipv6Health: field })).toBe(false);
  });
});
