// The popup row's cells as HTML text: what an HTML parser (parse5, the spec's tree building) builds
// from it, and that the page's data stays text.
import { parseFragment } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it, vi } from 'vitest';
import english from '../../public/_locales/en/messages.json';
import { translatorFor } from '../../src/core/i18n';
import type { AddressSnapshot, DomainSnapshot } from '../../src/core/view/snapshot';
import type { RowActions } from '../../src/popup/DomainRow';
import { escapeHtml, rowCellsHtml, type RowShown } from '../../src/popup/rowHtml';
import { addressOf, domainRowOf } from './domainSnapshots';

vi.mock('webextension-polyfill', () => {
  const translate = translatorFor(english);
  return { default: { i18n: { getMessage: (key: Parameters<typeof translate>[0], substitutions?: string[]) => translate(key, substitutions) } } };
});

const address = addressOf;
const row = (domain: string, addresses: AddressSnapshot[], over: Partial<DomainSnapshot> = {}): DomainSnapshot =>
  domainRowOf(domain, addresses, { requests: 3, responses: 3, bytes: 2048, ...over });

const actions: RowActions = {
  lookUpUrl: (kind, value) => `https://look.example/${kind}?q=${encodeURIComponent(value)}&x=1`,
  lookUpTitle: () => undefined,
  highlightConnected: true,
  showIpv6NotUsed: true,
};

function shownFor(r: DomainSnapshot, over: Partial<RowShown> = {}): RowShown {
  return { primary: r.address === undefined ? undefined : r.addresses[0], remembered: false, connected: false, lastMinute: 0, expanded: false, ...over };
}

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];

/** The parsed cells, with the few DOM-like reads the tests need. */
class Parsed {
  constructor(readonly element: { childNodes: Node[] }) {}
  get children(): Parsed[] {
    return this.element.childNodes.filter((n): n is Element => 'tagName' in n).map((n) => new Parsed(n));
  }
  get tag(): string | undefined {
    return 'tagName' in this.element ? (this.element as Element).tagName : undefined;
  }
  attr(name: string): string | undefined {
    return 'attrs' in this.element ? (this.element as Element).attrs.find((a) => a.name === name)?.value : undefined;
  }
  get text(): string {
    return this.element.childNodes.map((n) => ('value' in n && n.nodeName === '#text' ? n.value : 'childNodes' in n ? new Parsed(n).text : '')).join('');
  }
  /** Every element below, in document order, that `match` accepts. */
  all(match: (e: Parsed) => boolean): Parsed[] {
    return this.children.flatMap((child) => [...(match(child) ? [child] : []), ...child.all(match)]);
  }
  first(match: (e: Parsed) => boolean): Parsed | undefined {
    return this.all(match)[0];
  }
}

const cellsOf = (html: string): Parsed => new Parsed(parseFragment(html));
const hasClass = (name: string) => (e: Parsed) => (e.attr('class') ?? '').split(' ').includes(name);
const tagged = (...tags: string[]) => (e: Parsed) => tags.includes(e.tag ?? '');

describe('escapeHtml', () => {
  it.each([
    ['plain.example', 'plain.example'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    [`a"b'c&d`, 'a&quot;b&#39;c&amp;d'],
    ['&amp;', '&amp;amp;'],
  ])('%s → %s', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });
});

describe('rowCellsHtml', () => {
  it('builds the eight cells: copyable domain and address, family, class, flags, counts', () => {
    const r = row('a.example', [address('2001:db8::1', { addressClass: 'documentation' })], { flags: ['plainHttp'], httpVersions: ['h2'], errors: 1 });
    const cells = cellsOf(rowCellsHtml(r, shownFor(r, { lastMinute: 2 }), actions));
    expect(cells.children.map((cell) => cell.attr('role'))).toEqual(Array(8).fill('gridcell'));
    expect(cells.all(hasClass('copy')).map((value) => [value.attr('role'), value.attr('data-copy'), value.text])).toEqual([
      ['button', 'a.example', 'a.example'],
      ['button', '2001:db8::1', '2001:db8::1'],
    ]);
    // Look-up links come when the row is pointed at or focused (describeRow), not with every row.
    expect(cells.all(hasClass('lookup'))).toEqual([]);
    expect(cells.first(hasClass('badge'))?.attr('class')).toBe('badge family-6');
    expect(cells.first(hasClass('class'))?.attr('class')).toBe('class class-documentation');
    expect(cells.all(hasClass('flag')).map((flag) => [flag.attr('class'), flag.text])).toEqual([
      ['flag flag-plainHttp', 'HTTP'],
      ['flag', 'h2'],
    ]);
    const [requests, lastMinute, size] = cells.children.slice(5);
    expect([requests?.text, requests?.attr('title')]).toEqual(['3', translatorFor(english)('failedTitle', ['1'])]);
    expect([lastMinute?.attr('class'), lastMinute?.text]).toEqual(['count active', '2']);
    expect([size?.attr('class'), size?.text]).toEqual(['count size', '2.05 kB']);
  });

  it('keeps hostile text as text: no element or attribute comes from the page’s data', () => {
    const hostile = `x"><img src=y onerror=alert(1)>.example`;
    const hostileAddress = `1.2.3.4'><b>`;
    const r = row(hostile, [address(hostileAddress, { family: 4, addressClass: undefined })]);
    const cells = cellsOf(rowCellsHtml(r, shownFor(r), actions));
    expect(cells.all(tagged('img', 'b'))).toEqual([]);
    expect(cells.all(hasClass('copy')).map((value) => [value.attr('data-copy'), value.text])).toEqual([
      [hostile, hostile],
      [hostileAddress, hostileAddress],
    ]);
    expect(cells.first(hasClass('class'))?.attr('class')).toBe('class class-unparseable');
    // Positive control: the same text unescaped does make an element.
    expect(cellsOf(`<span>${hostile}</span>`).all(tagged('img'))).toHaveLength(1);
  });

  it('"+N more" opens the list of every address; nothing of it while closed', () => {
    const r = row('multi.example', [address('2001:db8::1'), address('192.0.2.1', { family: 4, addressClass: 'documentation', cached: 1 })]);
    const closed = cellsOf(rowCellsHtml(r, shownFor(r), actions));
    const more = closed.first(hasClass('more'));
    expect([more?.tag, more?.attr('aria-expanded'), more?.text]).toEqual(['button', 'false', translatorFor(english)('moreAddresses', ['1'])]);
    expect(closed.all(hasClass('all-addresses'))).toEqual([]);
    const open = cellsOf(rowCellsHtml(r, shownFor(r, { expanded: true }), actions));
    expect(open.first(hasClass('more'))?.attr('aria-expanded')).toBe('true');
    const items = open.first(hasClass('all-addresses'))?.all(tagged('li')) ?? [];
    expect(items.map((item) => [item.attr('data-address-class'), item.first(hasClass('copy'))?.attr('data-copy'), item.all(hasClass('lookup')).length])).toEqual([
      ['global', '2001:db8::1', 0],
      ['documentation', '192.0.2.1', 0],
    ]);
  });

  it('shows a dash without an address, and the DNS check’s findings and "live" only when asked for', () => {
    const r = row('none.example', [], { inflight: 2, ipv6NotUsed: ['2001:db8::9'], dnsLookupFailed: true });
    const on = cellsOf(rowCellsHtml(r, shownFor(r, { connected: true }), actions));
    expect(on.first(hasClass('address'))?.text).toBe('—');
    expect(on.all(hasClass('class'))).toEqual([]);
    expect(on.first(hasClass('flag-ipv6-not-used'))?.attr('data-ipv6-not-used')).toBe('2001:db8::9');
    expect(on.first(hasClass('flag-dns-lookup-failed'))?.attr('data-dns-lookup-failed')).toBe('true');
    expect(on.all(hasClass('flag-live'))).toHaveLength(1);
    const off = cellsOf(rowCellsHtml(r, shownFor(r), { ...actions, showIpv6NotUsed: false, lookUpUrl: () => undefined }));
    expect(off.all((e) => hasClass('flag')(e) || hasClass('lookup')(e))).toEqual([]);
  });

  it.each<[DomainSnapshot['reason'], DomainSnapshot['readiness'], string, string]>([
    ['fallback', 'published', 'reasonFallback', 'reasonFallbackTitle'],
    ['no-aaaa', 'ipv4-only', 'reasonNoAaaa', 'reasonNoAaaaTitle'],
    ['no-ipv6-here', 'published', 'reasonNoIpv6Here', 'reasonNoIpv6HereTitle'],
    ['nat64', 'unknown', 'reasonNat64', 'reasonNat64Title'],
    ['literal', 'ipv4-literal', 'reasonLiteral', 'reasonLiteralTitle'],
    ['proxy', 'unknown', 'reasonProxy', 'reasonProxyTitle'],
    ['unknown', 'unknown', 'reasonUnknown', 'reasonUnknownTitle'],
    ['unknown', 'published', 'reasonUnknown', 'reasonUnknownPublishedTitle'],
  ])('why IPv4 %s (%s): its word first in the flags, the sentence on hover', (reason, readiness, word, title) => {
    const translate = translatorFor(english);
    const r = row('four.example', [address('192.0.2.4', { family: 4 })], { reason, readiness, flags: ['plainHttp'] });
    const flags = cellsOf(rowCellsHtml(r, shownFor(r), actions)).all(hasClass('flag'));
    expect(flags.map((flag) => flag.attr('class'))).toEqual([`flag reason reason-${reason}`, 'flag flag-plainHttp']);
    expect([flags[0]?.text, flags[0]?.attr('title')]).toEqual([translate(word as never), translate(title as never)]);
  });

  it('no reason badge on a row with no reason (an IPv6 row)', () => {
    const r = row('six.example', [address('2001:db8::1')], { readiness: 'ipv6', flags: ['plainHttp'] });
    expect(cellsOf(rowCellsHtml(r, shownFor(r), actions)).all(hasClass('reason'))).toEqual([]);
  });
});
