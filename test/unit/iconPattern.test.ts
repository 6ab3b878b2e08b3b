import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/core/address/address';
import { readFileSync } from 'node:fs';
import { createDescriber } from '../../src/core/address/addressClass';
import { translatorFor, type LocaleMessage } from '../../src/core/i18n';
import { iconPatternOf, iconTitle, patternKey, type IconPattern, type MainGlyph } from '../../src/core/icon/iconPattern';
import { domainFamily, newDomainRecord, newPageView, type DomainRecord, type PageView } from '../../src/core/tab/model';

/** A domain answered over `family` (from `ip`), or with no address yet. */
function domain(name: string, family: Family | undefined, ip?: string): DomainRecord {
  const record = newDomainRecord(name, 1);
  if (family === undefined) return record;
  const address = ip ?? (family === 4 ? '192.0.2.1' : '2001:db8::1');
  record.primary = address;
  record.addresses[address] = { family, responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: 1, lastSeen: 1 };
  record.requests = record.responses = 1;
  return record;
}

function viewOf(mainDomain: string | undefined, records: DomainRecord[]): PageView {
  const view = newPageView({ id: 'v1', mainDomain, committed: true, partial: false, startedAt: 1 });
  for (const record of records) {
    view.domains.set(record.domain, record);
    const family = domainFamily(record);
    if (family !== undefined) view.familyTally[family]++;
  }
  return view;
}

type F = Family | undefined;

const t = translatorFor(JSON.parse(readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, LocaleMessage>);

describe('iconPatternOf', () => {
  it.each<[string, F | 'absent', F[], string]>([
    ['IPv4 page alone', 4, [], '4'],
    ['IPv6 page alone', 6, [], '6'],
    ['IPv6 page, IPv6 resources', 6, [6, 6], '6'],
    ['IPv4 page, IPv4 resources', 4, [4, 4], '4'],
    ['IPv6 page, IPv4 resource', 6, [4], '64'],
    ['IPv4 page, IPv6 resource', 4, [6], '46'],
    ['IPv4 page, both', 4, [4, 6], '46'],
    ['IPv6 page, both', 6, [6, 4, 4], '64'],
    ['IPv4 page, resources with no address yet', 4, [undefined, undefined], '4'],
    ['main not answered yet, both', undefined, [4, 6], '?46'],
    ['main not answered yet, IPv6 only', undefined, [6], '?6'],
    ['main not answered yet, IPv4 only', undefined, [4], '?4'],
    ['main not answered yet, nothing else', undefined, [], '?'],
    ['main domain not among the domains, both', 'absent', [6, 4], '?46'],
    ['main domain not among the domains, nothing', 'absent', [], '?'],
  ])('%s → %s', (_name, mainFamily, others, key) => {
    const records = others.map((family, i) => domain(`r${i}.test`, family, family === 4 ? `192.0.2.${i + 10}` : `2001:db8::${i + 10}`));
    if (mainFamily !== 'absent') records.push(domain('main.test', mainFamily));
    const pattern = iconPatternOf(viewOf('main.test', records));
    expect(patternKey(pattern)).toBe(key);
  });

  it('is "?" without a view or without a main domain', () => {
    expect(iconPatternOf(undefined)).toEqual({ main: '?', has4: false, has6: false });
    expect(iconPatternOf(viewOf(undefined, [domain('a.test', 4), domain('b.test', 6)]))).toEqual({ main: '?', has4: true, has6: true });
  });

  it('reads an IPv4-mapped or NAT64 main domain as IPv4', () => {
    const main = domain('main.test', 4, '64:ff9b::c000:201');
    expect(iconPatternOf(viewOf('main.test', [main, domain('cdn.test', 6)]))).toEqual({ main: '4', has4: false, has6: true });
  });
});

describe('patternKey', () => {
  const mains: MainGlyph[] = ['4', '6', '?'];
  const cases: Array<[IconPattern, string]> = [];
  for (const main of mains) {
    cases.push([{ main, has4: false, has6: false }, main]);
    cases.push([{ main, has4: true, has6: false }, `${main}4`]);
    cases.push([{ main, has4: false, has6: true }, `${main}6`]);
    cases.push([{ main, has4: true, has6: true }, `${main}46`]);
  }
  it.each(cases)('%j → %s', (pattern, key) => {
    expect(patternKey(pattern)).toBe(key);
  });

  it('is distinct for every pattern', () => {
    expect(new Set(cases.map(([p]) => patternKey(p))).size).toBe(12);
  });
});

describe('iconTitle', () => {
  it.each<[string, PageView | undefined, string]>([
    ['no view', undefined, 'IPvLens: no data for this page'],
    ['no main domain', viewOf(undefined, [domain('a.test', 4)]), 'IPvLens: no data for this page'],
    ['one domain', viewOf('a.test', [domain('a.test', 4, '192.0.2.7')]), 'a.test — 192.0.2.7\n1 domain: 0 over IPv6, 1 over IPv4\nIPv6-only: unknown, with NAT64: ready, score 0 %'],
    [
      'several, with unknown',
      viewOf('a.test', [domain('a.test', 6, '2001:db8::7'), domain('b.test', 6), domain('c.test', 4), domain('d.test', undefined), domain('e.test', undefined)]),
      'a.test — 2001:db8::7\n5 domains: 2 over IPv6, 1 over IPv4, 2 unknown\nIPv6-only: unknown, with NAT64: ready, score 66 %',
    ],
    ['main not answered yet', viewOf('a.test', [domain('a.test', undefined)]), 'a.test — address unknown\n1 domain: 0 over IPv6, 0 over IPv4, 1 unknown\nIPv6-only: unknown, with NAT64: unknown, score 0 %'],
    ['main not among the domains', viewOf('a.test', []), 'a.test — address unknown\n0 domains: 0 over IPv6, 0 over IPv4\nIPv6-only: unknown, with NAT64: unknown, score 0 %'],
    // The address as shown in the popup: a mapped peer as IPv4, a NAT64 one with its IPv4 part.
    ['mapped main', viewOf('a.test', [domain('a.test', 4, '::ffff:7f00:2')]), 'a.test — 127.0.0.2\n1 domain: 0 over IPv6, 1 over IPv4\nIPv6-only: unknown, with NAT64: ready, score 0 %'],
    ['NAT64 main', viewOf('a.test', [domain('a.test', 4, '64:ff9b::c000:201')]), 'a.test — 64:ff9b::192.0.2.1\n1 domain: 0 over IPv6, 1 over IPv4\nIPv6-only: unknown, with NAT64: ready, score 0 %'],
    ['all IPv6', viewOf('a.test', [domain('a.test', 6, '2001:db8::7'), domain('b.test', 6)]), 'a.test — 2001:db8::7\n2 domains: 2 over IPv6, 0 over IPv4\nIPv6-only: ready, with NAT64: ready, score 100 %'],
    [
      'an IPv4 literal',
      viewOf('a.test', [domain('a.test', 6, '2001:db8::7'), domain('192.0.2.9', 4, '192.0.2.9')]),
      'a.test — 2001:db8::7\n2 domains: 1 over IPv6, 1 over IPv4\nIPv6-only: not ready, with NAT64: not ready, score 50 %',
    ],
  ])('%s', (_name, view, title) => {
    expect(iconTitle(view, createDescriber(), t)).toBe(title);
  });
});
