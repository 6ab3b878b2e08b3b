/**
 * The registrable-domain matcher, its data file and its loader: the list's algorithm on a small
 * list of each kind of rule, the same answers as tldts (which the history used before) over the
 * packaged list, a damaged file refused with the reason, and a list read only when asked for.
 */
import { getDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { lazySuffixList, parseSuffixList, registrableDomain, SuffixListError, suffixListTrailer } from '../../src/core/history/publicSuffixList';
import { siteOf } from '../../src/core/history/site';
import { suffixListText } from '../../scripts/suffixListFromTldts';
import { packagedSuffixList, packagedSuffixListText } from '../support/packagedSuffixList';

const listOf = (...rules: string[]) => parseSuffixList([...rules.sort(), suffixListTrailer(rules.length)].join('\n'));

// One rule of each kind, as in the real list.
const SMALL = listOf('com', 'uk', 'co.uk', 'jp', 'tokyo.jp', '*.kobe.jp', '!city.kobe.jp', '*.ck', '!www.ck', 'github.io', 'io', 'xn--p1ai', 'xn--c1avg.xn--p1ai');

describe('registrableDomain: the Public Suffix List algorithm', () => {
  it.each<[string, string, string | undefined]>([
    ['a plain name', 'www.example.com', 'example.com'],
    ['the registrable domain itself', 'example.com', 'example.com'],
    ['a public suffix itself', 'com', undefined],
    ['a multi-level suffix', 'a.b.example.co.uk', 'example.co.uk'],
    ['a multi-level suffix itself', 'co.uk', undefined],
    ['the shorter rule when the longer does not match', 'example.uk', 'example.uk'],
    ['the longest matching rule', 'shop.tokyo.jp', 'shop.tokyo.jp'],
    ['a wildcard: any one label under it is a suffix', 'www.shop.kobe.jp', 'www.shop.kobe.jp'],
    ['a wildcard’s suffix itself', 'shop.kobe.jp', undefined],
    ['an exception beats the wildcard', 'www.city.kobe.jp', 'city.kobe.jp'],
    ['an exception itself is registrable', 'city.kobe.jp', 'city.kobe.jp'],
    ['a wildcard TLD', 'a.b.c.ck', 'b.c.ck'],
    ['an exception under a wildcard TLD', 'www.ck', 'www.ck'],
    ['a private-section rule', 'user.github.io', 'user.github.io'],
    ['a private-section rule itself', 'github.io', undefined],
    ['an unknown TLD: the implicit "*" rule', 'a.b.example.unknowntld', 'example.unknowntld'],
    ['an unknown single label', 'localhost', undefined],
    ['a punycode TLD', 'www.xn--e1afmkfd.xn--p1ai', 'xn--e1afmkfd.xn--p1ai'],
    ['a punycode multi-level suffix', 'a.xn--80a.xn--c1avg.xn--p1ai', 'xn--80a.xn--c1avg.xn--p1ai'],
    ['an IPv4 address', '192.0.2.1', undefined],
    ['five numeric labels are a name', '1.192.0.2.1', '2.1'],
    ['an empty label', 'a..example.com', undefined],
    ['a label starting with "-"', '-a.example.com', undefined],
    ['a label ending with "-"', 'a-.example.com', undefined],
    ['an underscore', '_dmarc.example.com', 'example.com'],
    ['a label over 63 characters', `${'a'.repeat(64)}.example.com`, undefined],
    ['a label of 63 characters', `${'a'.repeat(63)}.example.com`, 'example.com'],
    ['a name over 255 characters', `${'a.'.repeat(127)}example.com`, undefined],
  ])('%s: %s → %s', (_, host, domain) => expect(registrableDomain(host, SMALL)).toBe(domain));
});

describe('siteOf: hosts as the browser may write them', () => {
  it.each([
    ['upper case', 'WWW.Example.CO.UK', 'example.co.uk'],
    ['a trailing dot', 'www.example.com.', 'example.com'],
    ['an IPv6 literal in brackets', '[2001:DB8::1]', '[2001:db8::1]'],
    ['an IPv4 literal', '192.0.2.1', '192.0.2.1'],
    ['a public suffix', 'co.uk', 'co.uk'],
  ])('%s: %s → %s', (_, host, site) => expect(siteOf(host, SMALL)).toBe(site));
});

/**
 * Hosts over every rule of the packaged list: the rule's own name (a wildcard's "*" made a
 * label, an exception without its "!"), then one, two and three labels more, and names that are
 * not domain names or are addresses.
 */
function hostsOverEveryRule(): string[] {
  const hosts = new Set<string>();
  for (const rule of packagedSuffixList.rules()) {
    const name = rule.replace(/^!/, '').replace(/^\*/, 'wild');
    for (const prefix of ['', 'a.', 'www.a.', 'c.b.a.', '_x.a.', 'xn--bcher-kva.']) hosts.add(`${prefix}${name}`);
  }
  for (const odd of ['localhost', 'example', '192.0.2.1', '10.0.0.255', '1.2.3', '1.2.3.4.5', 'a..b.com', '-a.b.com', 'a-.b.com', `${'a'.repeat(64)}.com`, 'xn--p1ai', 'a.b.c.d.e.f.example.xn--p1ai']) hosts.add(odd);
  return [...hosts];
}

describe('the packaged list answers as tldts did', () => {
  it('on names over every rule of the list, and on odd ones', () => {
    const hosts = hostsOverEveryRule();
    expect(hosts.length).toBeGreaterThan(60_000);
    const differences = hosts.filter((host) => registrableDomain(host, packagedSuffixList) !== (getDomain(host, { allowPrivateDomains: true }) ?? undefined));
    expect(differences).toEqual([]);
  });

  it('on the history tests’ sites', () => {
    expect(siteOf('a.b.cdn.example.co.uk', packagedSuffixList)).toBe('example.co.uk');
    expect(siteOf('user.github.io', packagedSuffixList)).toBe('user.github.io');
    expect(siteOf('www.city.kawasaki.jp', packagedSuffixList)).toBe('city.kawasaki.jp');
    expect(siteOf('a.b.kawasaki.jp', packagedSuffixList)).toBe('a.b.kawasaki.jp');
  });

  it('the data file is the list of the installed tldts (run scripts/make-suffix-list.ts after updating it)', () => {
    expect(packagedSuffixListText === suffixListText()).toBe(true);
  });
});

describe('parseSuffixList: a damaged file is refused with the reason', () => {
  const good = packagedSuffixListText;
  const lines = good.split('\n');
  it.each<[string, string, RegExp]>([
    ['a line that is not a rule', good.replace('\nco.uk\n', '\nco uk\n'), /line \d+ is not a rule/],
    ['a file cut short', lines.slice(0, 5000).join('\n'), /cut short/],
    ['a rule lost', good.replace('\nco.uk\n', '\n'), /holds 10\d+ rules, not the 10\d+ it declares/],
    ['rules out of order', good.replace('\nco.uk\n', '\n').replace('\ncom\n', '\ncom\nco.uk\n'), /line \d+ is out of order/],
    ['a rule twice', good.replace('\nco.uk\n', '\nco.uk\nco.uk\n'), /line \d+ is out of order/],
    ['text past the end', `${good}com\n`, /past its end/],
    ['an empty file', '', /cut short/],
    ['not the list at all', '<html>Not found</html>', /line 1 is not a rule/],
  ])('%s', (_, text, reason) => {
    expect(() => parseSuffixList(text)).toThrow(SuffixListError);
    expect(() => parseSuffixList(text)).toThrow(reason);
  });

  it('the packaged file itself parses, with CRLF line ends too (positive control)', () => {
    expect(parseSuffixList(good.replaceAll('\n', '\r\n')).size).toBe(packagedSuffixList.size);
    expect(packagedSuffixList.size).toBeGreaterThan(9000);
    expect([...packagedSuffixList.rules()]).toHaveLength(packagedSuffixList.size);
    expect(['co.uk', '!www.ck', '*.ck', 'com', 'zw', '!city.yokohama.jp'].filter((rule) => !packagedSuffixList.has(rule))).toEqual([]);
    expect(['co.u', 'o.uk', '*.uk', 'www.ck', ''].filter((rule) => packagedSuffixList.has(rule))).toEqual([]);
  });
});

describe('lazySuffixList: read at the first need, once', () => {
  it('reads nothing until asked, then once for every later call', async () => {
    let reads = 0;
    const suffixList = lazySuffixList(() => {
      reads += 1;
      return Promise.resolve(packagedSuffixListText);
    });
    expect(reads).toBe(0);
    const [first, second] = await Promise.all([suffixList(), suffixList()]);
    expect(await suffixList()).toBe(first);
    expect(second).toBe(first);
    expect(reads).toBe(1);
  });

  it('a failed read or a damaged file is reported and tried again at the next call', async () => {
    const answers = [Promise.reject(new Error('net::ERR_FILE_NOT_FOUND')), Promise.resolve('<html>Not found</html>'), Promise.resolve(packagedSuffixListText)];
    let reads = 0;
    const suffixList = lazySuffixList(() => answers[reads++] ?? Promise.reject(new Error('read too often')));
    await expect(suffixList()).rejects.toThrow(/Public Suffix List could not be read.*ERR_FILE_NOT_FOUND/);
    await expect(suffixList()).rejects.toThrow(/Public Suffix List file is damaged/);
    expect((await suffixList()).size).toBe(packagedSuffixList.size);
    expect(reads).toBe(3);
  });
});
