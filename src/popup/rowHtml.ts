/**
 * A popup row's cells as HTML text, set as the row's innerHTML (see DomainRow.tsx). A 2,000-domain
 * popup built its ~40,000 cell nodes one DOM call at a time through Preact (each element created,
 * each attribute set from script); the browser's HTML parser builds the same nodes several times
 * faster, and Preact then diffs one string per row: an unchanged row costs nothing on update.
 * Every value from the page (domain, address, look-up URL) goes through escapeHtml.
 */
import type { AddressSnapshot, DomainSnapshot as Row } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { addressDetail, classLabel, classTitle, familyAttribute, familyLabel, sizeText } from '../ui/format';
import { rowFlagBadges } from '../ui/flags';
import { rowProxyNote } from '../ui/proxyMarks';
import type { RowActions } from './DomainRow';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `name="value"`, or nothing without a value. */
function attribute(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeHtml(value)}"`;
}

/**
 * A value that copies itself on click, Enter or Space (one handler on the grid does it for every
 * value, see gridKeys.ts): a role=button span, not focusable until the grid's arrow keys move to it.
 */
function copyable(text: string, copyText: string): string {
  return `<span role="button" class="copy"${attribute('data-copy', copyText)}>${escapeHtml(text)}</span>`;
}

/** The IPv4 address inside, where the text shown does not already spell it out. */
function embeddedShown(address: AddressSnapshot): boolean {
  return address.ipv4 !== undefined && address.addressClass !== 'ipv4-mapped' && !address.address.endsWith(address.ipv4);
}

function addressCell(row: Row, primary: AddressSnapshot | undefined, remembered: boolean, expanded: boolean): string {
  if (primary === undefined) return '<span class="ip">—</span>';
  // Its look-up link is added when the row is pointed at or focused (describeRow).
  let html = copyable(primary.address, primary.canonical);
  const proxy = rowProxyNote(row);
  if (proxy !== undefined) html += `<span class="proxy-note muted"${attribute('title', proxy.title)}> ${escapeHtml(proxy.text)}</span>`;
  if (remembered) html += `<span class="remembered muted"${attribute('title', t('addressRememberedTitle'))}> ${escapeHtml(t('addressRemembered'))}</span>`;
  if (embeddedShown(primary)) html += `<span class="embedded muted"${attribute('title', classTitle(primary))}> → ${escapeHtml(primary.ipv4 ?? '')}</span>`;
  const extra = row.addresses.length - 1;
  if (extra > 0) {
    html += `<button type="button" class="more" tabindex="-1" aria-expanded="${String(expanded)}">${escapeHtml(t('moreAddresses', String(extra)))}</button>`;
  }
  if (expanded) {
    html += '<ul class="all-addresses">';
    for (const a of row.addresses) {
      html += `<li${attribute('data-address-class', a.addressClass)}>${copyable(a.address, a.canonical)} `;
      html += `<span class="muted"${attribute('title', classTitle(a))}>(${escapeHtml(addressDetail(a))})</span></li>`;
    }
    html += '</ul>';
  }
  return html;
}

/** The flags, HTTP versions, DNS check findings and "live": the list the report's table shows too. */
function flagsCell(row: Row, live: boolean, ipv6NotUsed: boolean): string {
  let html = '';
  for (const badge of rowFlagBadges(row, { live, ipv6NotUsed })) {
    const data = badge.data === undefined ? '' : attribute(`data-${badge.data[0]}`, badge.data[1]);
    html += `<span class="${badge.className}"${data}${attribute('title', badge.title)}>${escapeHtml(badge.label)}</span>`;
  }
  return html;
}

/** What the cells show beyond the row's data: the clock's count, the highlight, the open address list. */
export interface RowShown {
  primary: AddressSnapshot | undefined;
  remembered: boolean;
  connected: boolean;
  lastMinute: number;
  expanded: boolean;
}

/** The row's eight cells. */
export function rowCellsHtml(row: Row, shown: RowShown, actions: RowActions): string {
  const { primary } = shown;
  const classBadge =
    primary === undefined ? '' : `<span class="class class-${escapeHtml(primary.addressClass ?? 'unparseable')}">${escapeHtml(classLabel(primary.addressClass))}</span>`;
  return (
    `<div role="gridcell" class="domain">${copyable(row.domain, row.domain)}</div>` +
    `<div role="gridcell" class="address">${addressCell(row, primary, shown.remembered, shown.expanded)}</div>` +
    `<div role="gridcell"><span class="badge family-${escapeHtml(familyAttribute(row.family))}">${escapeHtml(familyLabel(row.family))}</span></div>` +
    `<div role="gridcell">${classBadge}</div>` +
    `<div role="gridcell" class="flags">${flagsCell(row, shown.connected, actions.showIpv6NotUsed)}</div>` +
    `<div role="gridcell" class="count"${row.errors > 0 ? attribute('title', t('failedTitle', String(row.errors))) : ''}>${row.requests}</div>` +
    `<div role="gridcell" class="${shown.lastMinute > 0 ? 'count active' : 'count muted'}">${shown.lastMinute}</div>` +
    `<div role="gridcell" class="count size">${escapeHtml(sizeText(row))}</div>`
  );
}
