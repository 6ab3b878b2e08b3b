// The address list and badges the popup row and the report table share: the nodes they build.
import type { VNode } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import english from '../../public/_locales/en/messages.json';
import { translatorFor } from '../../src/core/i18n';
import type { AddressSnapshot, DomainSnapshot } from '../../src/core/view/snapshot';
import { addressOf, domainRowOf } from './domainSnapshots';
import { allAddresses, classBadge, familyBadge, moreAddressesButton, primaryAddress } from '../../src/ui/addressBadges';

vi.mock('webextension-polyfill', () => {
  const translate = translatorFor(english);
  return { default: { i18n: { getMessage: (key: Parameters<typeof translate>[0], substitutions?: string[]) => translate(key, substitutions) } } };
});

type Props = Record<string, unknown> & { children?: unknown };
const node = (value: unknown): VNode<Props> => value as VNode<Props>;

const address = addressOf;
const row = (addresses: AddressSnapshot[]): DomainSnapshot => domainRowOf('a.example', addresses);

describe('address badges', () => {
  it.each<[string, 4 | 6 | undefined, string, string]>([
    ['IPv6', 6, 'badge family-6', 'IPv6'],
    ['IPv4', 4, 'badge family-4', 'IPv4'],
    ['unknown', undefined, 'badge family-?', '?'],
  ])('the family badge of %s', (_, family, className, text) => {
    const badge = node(familyBadge(family));
    expect(badge.type).toBe('span');
    expect(badge.props.class).toBe(className);
    expect(badge.props.children).toBe(text);
  });

  it('the class badge names the primary address’s class, with a title only when given; none without an address', () => {
    const primary = address('2001:db8::1', { addressClass: 'documentation' });
    const badge = node(classBadge(primary));
    expect(badge.props.class).toBe('class class-documentation');
    expect(badge.props.title).toBeUndefined();
    expect(node(classBadge(primary, 'why')).props.title).toBe('why');
    expect(node(classBadge(address('junk', { addressClass: undefined }))).props.class).toBe('class class-unparseable');
    expect(classBadge(undefined)).toBe(false);
  });

  it('the primary address is the first once the row has one', () => {
    const first = address('2001:db8::1');
    expect(primaryAddress(row([first, address('192.0.2.1', { family: 4 })]))).toBe(first);
    expect(primaryAddress({ ...row([first]), address: undefined })).toBeUndefined();
  });

  it('"more" appears only with more than one address, and the list only when opened, with the page’s data attributes', () => {
    const one = row([address('2001:db8::1')]);
    const three = row([address('2001:db8::1'), address('2001:db8::2'), address('192.0.2.1', { family: 4 })]);
    const toggle = vi.fn();
    expect(moreAddressesButton(one, false, toggle)).toBe(false);
    const button = node(moreAddressesButton(three, false, toggle, -1));
    expect(button.type).toBe('button');
    expect(button.props.tabIndex).toBe(-1);
    expect(button.props['aria-expanded']).toBe(false);
    expect(button.props.children).toBe('+2 more');
    (button.props.onClick as () => void)();
    expect(toggle).toHaveBeenCalledTimes(1);

    const options = { value: (a: AddressSnapshot) => a.address, itemData: (a: AddressSnapshot) => ({ 'data-address': a.address }) };
    expect(allAddresses(three, false, options)).toBe(false);
    const list = node(allAddresses(three, true, options));
    expect(list.props.class).toBe('all-addresses');
    const items = (list.props.children as unknown[]).map(node);
    expect(items.map((item) => item.props['data-address'])).toEqual(['2001:db8::1', '2001:db8::2', '192.0.2.1']);
  });
});
