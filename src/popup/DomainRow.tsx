import { useState } from 'preact/hooks';
import { requestsInLastMinute } from '../core/live/live';
import type { LookupKind } from '../core/settings/settings';
import { onlyRemembered, type AddressSnapshot, type DomainSnapshot as Row } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { allAddresses, classBadge, familyBadge, moreAddressesButton, primaryAddress } from '../ui/addressBadges';
import { flagBadges } from '../ui/flags';
import { proxyNote } from '../ui/proxyMarks';
import { classLabel, classTitle, familyAttribute, familySpoken, sizeText, timeOfDay } from '../ui/format';

/** What a row needs from the page around it: copying, look-up links, the highlight setting. */
export interface RowActions {
  lookUpUrl(kind: LookupKind, value: string): string | undefined;
  lookUpTitle(kind: LookupKind, value: string): string | undefined;
  highlightConnected: boolean;
  /** The optional DNS check is on: show "IPv6 available, not used" where it found some. */
  showIpv6NotUsed: boolean;
}

/**
 * A value that copies itself on click, Enter or Space (one handler on the grid does it for every
 * value, see gridKeys.ts): a role=button span, cheaper to build and lay out than a <button>.
 */
function copyable(text: string, copyText: string) {
  // Not focusable until the grid's arrow keys move to it (gridKeys.ts sets its tabIndex).
  return (
    <span role="button" class="copy" data-copy={copyText}>
      {text}
    </span>
  );
}

/**
 * The look-up link beside a value. Its tooltip and label are set by describeRow. Returned as a
 * sibling of the value rather than in a fragment or component with it: those cost a component
 * diff each in the first frame.
 */
function lookupLink(kind: LookupKind, value: string, actions: RowActions) {
  const href = actions.lookUpUrl(kind, value);
  return (
    href !== undefined && (
      <a class="lookup" tabIndex={-1} href={href} target="_blank" rel="noopener noreferrer">
        ↗
      </a>
    )
  );
}

/**
 * The row's spoken label, its tooltips and its values' labels, set (afresh, from the current data)
 * whenever the pointer or focus reaches the row rather than at render: a dozen localized strings
 * per row, for rows nobody points at, were a large part of the first frame's cost.
 */
export function describeRow(element: HTMLElement, row: Row, actions: RowActions): void {
  element.title = t('rowTimes', [timeOfDay(row.firstSeen), timeOfDay(row.lastSeen)]);
  element.setAttribute('aria-label', rowLabel(row));
  const primary = primaryAddress(row);
  const badge = element.querySelector<HTMLElement>('.class');
  if (badge !== null && primary !== undefined) badge.title = classTitle(primary);
  const size = element.querySelector<HTMLElement>('.size');
  if (size !== null) {
    size.title = row.unsized > 0 ? t('sizeUnknownTitle', [String(row.bytes), String(row.unsized)]) : t('sizeTitle', String(row.bytes));
  }
  for (const value of element.querySelectorAll<HTMLElement>('.copy[data-copy]')) {
    const copyText = value.dataset.copy ?? '';
    value.setAttribute('aria-label', t('copyLabel', copyText));
    const link = value.nextElementSibling;
    if (link?.matches('a.lookup') === true) {
      const title = actions.lookUpTitle(value.closest('.domain') === null ? 'address' : 'domain', copyText);
      if (title !== undefined) {
        link.setAttribute('title', title);
        link.setAttribute('aria-label', title);
      }
    }
  }
}

/** The IPv4 address inside, where the text shown does not already spell it out. */
function embeddedShown(address: AddressSnapshot): boolean {
  return address.ipv4 !== undefined && address.addressClass !== 'ipv4-mapped' && !address.address.endsWith(address.ipv4);
}

function rowLabel(row: Row): string {
  if (row.address === undefined) return t('rowLabelNoAddress', row.domain);
  return t('rowLabel', [row.domain, familySpoken(row.family), classLabel(row.addressClass)]);
}

export function DomainRow({ row, now, deferred, first, actions }: { row: Row; now: number; deferred: boolean; first: boolean; actions: RowActions }) {
  const [expanded, setExpanded] = useState(false);
  const primary = primaryAddress(row);
  const remembered = primary !== undefined && onlyRemembered(primary);
  const connected = actions.highlightConnected && row.inflight > 0;
  const lastMinute = requestsInLastMinute(row.recent, now);
  const classes = ['row', deferred ? 'deferred' : '', row.isMain ? 'main' : '', connected ? 'connected' : ''].filter(Boolean).join(' ');
  return (
    <div
      role="row"
      class={classes}
      // Roving focus: one row is in the tab order, arrow keys move between rows.
      tabIndex={first ? 0 : -1}
      data-domain={row.domain}
      data-family={familyAttribute(row.family)}
      data-address={primary?.address}
      data-class={primary?.addressClass}
      data-remembered={remembered ? 'true' : undefined}
      data-requests={String(row.requests)}
      data-last-minute={String(lastMinute)}
      data-bytes={String(row.bytes)}
      data-unsized={String(row.unsized)}
      data-readiness={row.readiness}
      data-proxy={row.proxy?.mark}
    >
      <div role="gridcell" class="domain">
        {copyable(row.domain, row.domain)}
        {lookupLink('domain', row.domain, actions)}
      </div>
      <div role="gridcell" class="address">
        {primary === undefined ? <span class="ip">—</span> : copyable(primary.address, primary.canonical)}
        {primary !== undefined && lookupLink('address', primary.canonical, actions)}
        {proxyNote(row)}
        {remembered && (
          <span class="remembered muted" title={t('addressRememberedTitle')}>
            {' '}
            {t('addressRemembered')}
          </span>
        )}
        {primary !== undefined && embeddedShown(primary) && (
          <span class="embedded muted" title={classTitle(primary)}>
            {' '}
            → {primary.ipv4}
          </span>
        )}
        {moreAddressesButton(row, expanded, () => setExpanded(!expanded), -1)}
        {allAddresses(row, expanded, {
          value: (a) => [copyable(a.address, a.canonical), lookupLink('address', a.canonical, actions)],
          itemData: (a) => ({ 'data-address-class': a.addressClass }),
        })}
      </div>
      <div role="gridcell">
        {familyBadge(row.family)}
      </div>
      <div role="gridcell">
        {classBadge(primary)}
      </div>
      <div role="gridcell" class="flags">
        {flagBadges(row, { live: connected, ipv6NotUsed: actions.showIpv6NotUsed })}
      </div>
      <div role="gridcell" class="count" title={row.errors > 0 ? t('failedTitle', String(row.errors)) : undefined}>
        {row.requests}
      </div>
      <div role="gridcell" class={lastMinute > 0 ? 'count active' : 'count muted'}>
        {lastMinute}
      </div>
      <div role="gridcell" class="count size">
        {sizeText(row)}
      </div>
    </div>
  );
}
