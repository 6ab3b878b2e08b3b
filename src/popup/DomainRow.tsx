import { requestsInLastMinute } from '../core/live/live';
import type { LookupKind } from '../core/settings/settings';
import { onlyRemembered, type DomainSnapshot as Row } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { primaryAddress } from '../ui/addressBadges';
import { classLabel, classTitle, familyAttribute, familySpoken, timeOfDay } from '../ui/format';
import { rowCellsHtml } from './rowHtml';

/** What a row needs from the page around it: copying, look-up links, the highlight setting. */
export interface RowActions {
  lookUpUrl(kind: LookupKind, value: string): string | undefined;
  lookUpTitle(kind: LookupKind, value: string): string | undefined;
  highlightConnected: boolean;
  /** The optional DNS check is on: show "IPv6 available, not used" where it found some. */
  showIpv6NotUsed: boolean;
}

/**
 * The row's spoken label, its tooltips, its values' labels and their look-up links, set (afresh,
 * from the current data) whenever the pointer or focus reaches the row rather than at render: a
 * dozen localized strings per row, for rows nobody points at, were a large part of the first
 * frame's cost, and two links per row a seventh of a long list's parsing and layout.
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
    // The cell may end the value in an ellipsis (popup.css): the tooltip holds all of it.
    value.title = copyText;
    const kind = value.closest('.domain') === null ? 'address' : 'domain';
    const sibling = value.nextElementSibling;
    const existing = sibling?.matches('a.lookup') === true ? sibling : undefined;
    const href = actions.lookUpUrl(kind, copyText);
    if (href === undefined) {
      existing?.remove();
      continue;
    }
    const link = existing ?? lookupLink();
    link.setAttribute('href', href);
    const title = actions.lookUpTitle(kind, copyText);
    if (title !== undefined) {
      link.setAttribute('title', title);
      link.setAttribute('aria-label', title);
    }
    if (existing === undefined) value.after(link);
  }
}

/** The look-up link beside a value: out of the tab order (the grid's arrow keys reach it). */
function lookupLink(): HTMLAnchorElement {
  const link = document.createElement('a');
  link.className = 'lookup';
  link.tabIndex = -1;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = '↗';
  return link;
}

function rowLabel(row: Row): string {
  if (row.address === undefined) return t('rowLabelNoAddress', row.domain);
  return t('rowLabel', [row.domain, familySpoken(row.family), classLabel(row.addressClass)]);
}

/**
 * One row: the row element with its automation attributes (data-*), its cells as HTML text (see
 * rowHtml.ts). A plain function, not a component: no instance, hook or closure per row.
 */
export function domainRow(row: Row, now: number, { deferred, first, expanded }: { deferred: boolean; first: boolean; expanded: boolean }, actions: RowActions) {
  const primary = primaryAddress(row);
  const remembered = primary !== undefined && onlyRemembered(primary);
  const connected = actions.highlightConnected && row.inflight > 0;
  const lastMinute = requestsInLastMinute(row.recent, now);
  const classes = ['row', deferred ? 'deferred' : '', row.isMain ? 'main' : '', connected ? 'connected' : ''].filter(Boolean).join(' ');
  return (
    <div
      key={row.domain}
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
      data-reason={row.reason}
      data-proxy={row.proxy?.mark}
      dangerouslySetInnerHTML={{ __html: rowCellsHtml(row, { primary, remembered, connected, lastMinute, expanded }, actions) }}
    />
  );
}
