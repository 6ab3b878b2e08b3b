/**
 * A domain's addresses and its family and class badges, as the popup's rows and the report's table
 * both show them. Plain nodes from functions, not components: a table of 2,000 rows costs no
 * component per cell (see flags.tsx).
 */
import type { ComponentChildren } from 'preact';
import type { Family } from '../core/address/address';
import type { AddressSnapshot, DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { addressDetail, classLabel, classTitle, familyAttribute, familyLabel } from './format';

/** The address a row shows first, once one is known. */
export function primaryAddress(row: DomainSnapshot): AddressSnapshot | undefined {
  return row.address === undefined ? undefined : row.addresses[0];
}

/** "IPv4" / "IPv6" / "?" in the family's colour. */
export function familyBadge(family: Family | undefined) {
  return <span class={`badge family-${familyAttribute(family)}`}>{familyLabel(family)}</span>;
}

/**
 * The primary address's class ("global", "private"…); nothing while no address is known. `title`
 * is left out where the page sets it later (the popup does, when the row is pointed at).
 */
export function classBadge(primary: AddressSnapshot | undefined, title?: string) {
  return (
    primary !== undefined && (
      <span class={`class class-${primary.addressClass ?? 'unparseable'}`} title={title}>
        {classLabel(primary.addressClass)}
      </span>
    )
  );
}

/**
 * "+N more" when a domain answered from more than one address. Its own node, not a fragment with
 * the list: a fragment costs a diff per row in the popup's first frame.
 */
export function moreAddressesButton(row: DomainSnapshot, expanded: boolean, toggle: () => void, tabIndex?: number) {
  const extra = row.addresses.length - 1;
  return (
    extra > 0 && (
      <button type="button" class="more" tabIndex={tabIndex} aria-expanded={expanded} onClick={toggle}>
        {t('moreAddresses', String(extra))}
      </button>
    )
  );
}

export interface AddressListOptions {
  /** One address as the page shows it: the popup's copies itself and has a look-up link. */
  value: (address: AddressSnapshot) => ComponentChildren;
  /** The data-* attributes of each address's item, as the page's automation reads them. */
  itemData: (address: AddressSnapshot) => Record<string, string | undefined>;
}

/** Every address of the domain with its family and class, once the row is opened. */
export function allAddresses(row: DomainSnapshot, expanded: boolean, { value, itemData }: AddressListOptions) {
  return (
    expanded && (
      <ul class="all-addresses">
        {row.addresses.map((a) => (
          <li key={a.canonical} {...itemData(a)}>
            {value(a)}{' '}
            <span class="muted" title={classTitle(a)}>
              ({addressDetail(a)})
            </span>
          </li>
        ))}
      </ul>
    )
  );
}
