/**
 * The whole table: a real <table> whose headers sort (a button in each <th>, aria-sort on the
 * sorted one). Rows are plain markup built by a function, not components: 2,000 of them stay cheap
 * to build and to update.
 */
import { useState } from 'preact/hooks';
import type { MessageKey } from '../core/i18n';
import { requestsInLastMinute } from '../core/live/live';
import { REPORT_COLUMNS, nextSort, type ReportColumn, type SortOrder } from '../core/view/reportTable';
import type { DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { allAddresses, classBadge, familyBadge, moreAddressesButton, primaryAddress } from '../ui/addressBadges';
import { flagBadges } from '../ui/flags';
import { proxyNote } from '../ui/proxyMarks';
import { classTitle, familyAttribute, sizeText, timeOfDay } from '../ui/format';
import { readinessBadge } from '../ui/ReadinessVerdict';

/** Each column's header text, its tooltip, and whether it holds numbers (right-aligned). */
const HEADS: Record<ReportColumn, { label: MessageKey; title?: MessageKey; numeric?: true }> = {
  domain: { label: 'columnDomain' },
  address: { label: 'columnAddress' },
  family: { label: 'columnFamily' },
  class: { label: 'columnClass' },
  readiness: { label: 'columnReadiness' },
  flags: { label: 'columnFlags' },
  requests: { label: 'columnRequests', numeric: true },
  responses: { label: 'columnResponses', numeric: true },
  errors: { label: 'columnErrors', numeric: true },
  lastMinute: { label: 'columnLastMinute', title: 'columnLastMinuteTitle', numeric: true },
  bytes: { label: 'columnBytes', title: 'shareBytesTitle', numeric: true },
  unsized: { label: 'columnUnsized', title: 'columnUnsizedTitle', numeric: true },
  addresses: { label: 'columnAddresses', numeric: true },
  firstSeen: { label: 'columnFirstSeen', numeric: true },
  lastSeen: { label: 'columnLastSeen', numeric: true },
};

function Head({ column, sort, onSort }: { column: ReportColumn; sort: SortOrder; onSort: (sort: SortOrder) => void }) {
  const head = HEADS[column];
  const sorted = sort.column === column;
  return (
    <th scope="col" data-sort={column} aria-sort={sorted ? sort.direction : undefined} class={head.numeric ? 'count' : undefined}>
      <button type="button" title={head.title === undefined ? undefined : t(head.title)} onClick={() => onSort(nextSort(sort, column))}>
        {t(head.label)}
        <span class="arrow" aria-hidden="true">
          {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );
}

function addressCell(row: DomainSnapshot, expanded: boolean, toggle: (domain: string) => void) {
  const primary = primaryAddress(row);
  return (
    <td class="address">
      {primary?.address ?? '—'}
      {proxyNote(row)}
      {moreAddressesButton(row, expanded, () => toggle(row.domain))}
      {allAddresses(row, expanded, { value: (a) => a.address, itemData: (a) => ({ 'data-address': a.address }) })}
    </td>
  );
}

function tableRow(row: DomainSnapshot, now: number, expanded: boolean, toggle: (domain: string) => void, ipv6NotUsed: boolean) {
  const primary = primaryAddress(row);
  return (
    <tr
      key={row.domain}
      class={row.isMain ? 'main' : undefined}
      data-domain={row.domain}
      data-family={familyAttribute(row.family)}
      data-address={primary?.address}
      data-class={primary?.addressClass}
      data-requests={row.requests}
      data-bytes={row.bytes}
      data-readiness={row.readiness}
      data-reason={row.reason}
      data-proxy={row.proxy?.mark}
    >
      <td class="domain">{row.domain}</td>
      {addressCell(row, expanded, toggle)}
      <td>
        {familyBadge(row.family)}
      </td>
      <td>
        {classBadge(primary, primary === undefined ? undefined : classTitle(primary))}
      </td>
      <td>{readinessBadge(row.readiness, row.proxy?.confirmed === true)}</td>
      <td class="flags">{flagBadges(row, { live: false, ipv6NotUsed })}</td>
      <td class="count">{row.requests}</td>
      <td class="count">{row.responses}</td>
      <td class={row.errors > 0 ? 'count' : 'count muted'}>{row.errors}</td>
      <td class="count">{requestsInLastMinute(row.recent, now)}</td>
      <td class="count">{sizeText(row)}</td>
      <td class={row.unsized > 0 ? 'count' : 'count muted'}>{row.unsized}</td>
      <td class="count">{row.addresses.length}</td>
      <td class="count">{timeOfDay(row.firstSeen)}</td>
      <td class="count">{timeOfDay(row.lastSeen)}</td>
    </tr>
  );
}

interface Props {
  rows: readonly DomainSnapshot[];
  now: number;
  sort: SortOrder;
  onSort: (sort: SortOrder) => void;
  /** The user's "IPv6 available, not used" check is on (its findings are shown). */
  ipv6NotUsed: boolean;
}

export function ReportTable({ rows, now, sort, onSort, ipv6NotUsed }: Props) {
  // Which rows list all their addresses, by domain: kept across updates and re-sorting.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (domain: string): void =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(domain)) next.add(domain);
      return next;
    });
  return (
    <table class="report-table" aria-label={t('tableLabel')}>
      <thead>
        <tr>
          {REPORT_COLUMNS.map((column) => (
            <Head key={column} column={column} sort={sort} onSort={onSort} />
          ))}
        </tr>
      </thead>
      <tbody>{rows.map((row) => tableRow(row, now, expanded.has(row.domain), toggle, ipv6NotUsed))}</tbody>
    </table>
  );
}
