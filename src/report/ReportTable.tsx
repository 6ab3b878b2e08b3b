/**
 * The whole table: a real <table> whose headers sort (a button in each <th>, aria-sort on the
 * sorted one). Rows are plain markup built by a function, not components: 2,000 of them stay cheap
 * to build and to update.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { MessageKey } from '../core/i18n';
import { requestsInLastMinute } from '../core/live/live';
import { DEFAULT_REPORT_COLUMNS, REPORT_COLUMNS, nextSort, shownColumns, type ReportColumn, type SortOrder } from '../core/view/reportTable';
import type { DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { allAddresses, classBadge, familyBadge, moreAddressesButton, primaryAddress } from '../ui/addressBadges';
import { flagBadges } from '../ui/flags';
import { proxyNote } from '../ui/proxyMarks';
import { classTitle, familyAttribute, sizeText, timeOfDay } from '../ui/format';
import { readinessBadge } from '../ui/ReadinessVerdict';

/**
 * Each column's header text, its tooltip, whether it holds numbers (right-aligned), and its width
 * in the rows' shared grid: fixed columns fit their header and widest value on one line; the
 * domain, the address and the flags share what is left, and end in an ellipsis when it is not enough.
 */
const HEADS: Record<ReportColumn, { label: MessageKey; title?: MessageKey; numeric?: true; width: string }> = {
  domain: { label: 'columnDomain', width: 'minmax(12em, 3fr)' },
  address: { label: 'columnAddress', width: 'minmax(9em, 2fr)' },
  family: { label: 'columnFamily', width: '6em' },
  class: { label: 'columnClass', width: '8em' },
  readiness: { label: 'columnReadiness', width: '8.5em' },
  flags: { label: 'columnFlags', width: 'minmax(6em, 1fr)' },
  requests: { label: 'columnRequests', numeric: true, width: '8.5em' },
  responses: { label: 'columnResponses', numeric: true, width: '9em' },
  errors: { label: 'columnErrors', numeric: true, width: '6.5em' },
  lastMinute: { label: 'columnLastMinute', title: 'columnLastMinuteTitle', numeric: true, width: '5.5em' },
  bytes: { label: 'columnBytes', title: 'shareBytesTitle', numeric: true, width: '6em' },
  unsized: { label: 'columnUnsized', title: 'columnUnsizedTitle', numeric: true, width: '8em' },
  addresses: { label: 'columnAddresses', numeric: true, width: '8.5em' },
  firstSeen: { label: 'columnFirstSeen', numeric: true, width: '8.5em' },
  lastSeen: { label: 'columnLastSeen', numeric: true, width: '8.5em' },
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
    <td key="address" class="address">
      <span class="value" title={primary?.address}>
        {primary?.address ?? '—'}
      </span>
      {proxyNote(row)}
      {moreAddressesButton(row, expanded, () => toggle(row.domain))}
      {allAddresses(row, expanded, { value: (a) => a.address, itemData: (a) => ({ 'data-address': a.address }) })}
    </td>
  );
}

function tableRow(row: DomainSnapshot, columns: readonly ReportColumn[], now: number, expanded: boolean, toggle: (domain: string) => void, ipv6NotUsed: boolean) {
  const primary = primaryAddress(row);
  const cells: Record<ReportColumn, () => JSX.Element> = {
    domain: () => (
      <td key="domain" class="domain">
        <span class="value" title={row.domain}>
          {row.domain}
        </span>
      </td>
    ),
    address: () => addressCell(row, expanded, toggle),
    family: () => <td key="family">{familyBadge(row.family)}</td>,
    class: () => <td key="class">{classBadge(primary, primary === undefined ? undefined : classTitle(primary))}</td>,
    readiness: () => <td key="readiness">{readinessBadge(row.readiness, row.proxy?.confirmed === true)}</td>,
    flags: () => (
      <td key="flags" class="flags">
        {flagBadges(row, { live: false, ipv6NotUsed })}
      </td>
    ),
    requests: () => (
      <td key="requests" class="count">
        {row.requests}
      </td>
    ),
    responses: () => (
      <td key="responses" class="count">
        {row.responses}
      </td>
    ),
    errors: () => (
      <td key="errors" class={row.errors > 0 ? 'count' : 'count muted'}>
        {row.errors}
      </td>
    ),
    lastMinute: () => (
      <td key="lastMinute" class="count">
        {requestsInLastMinute(row.recent, now)}
      </td>
    ),
    bytes: () => (
      <td key="bytes" class="count">
        {sizeText(row)}
      </td>
    ),
    unsized: () => (
      <td key="unsized" class={row.unsized > 0 ? 'count' : 'count muted'}>
        {row.unsized}
      </td>
    ),
    addresses: () => (
      <td key="addresses" class="count">
        {row.addresses.length}
      </td>
    ),
    firstSeen: () => (
      <td key="firstSeen" class="count">
        {timeOfDay(row.firstSeen)}
      </td>
    ),
    lastSeen: () => (
      <td key="lastSeen" class="count">
        {timeOfDay(row.lastSeen)}
      </td>
    ),
  };
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
      {columns.map((column) => cells[column]())}
    </tr>
  );
}

/** A disclosure of checkboxes, one per column but the domain: which columns the table shows. */
function ColumnsMenu({ shown, onChange }: { shown: ReadonlySet<ReportColumn>; onChange: (column: ReportColumn, on: boolean) => void }) {
  return (
    <details class="columns-menu">
      <summary>{t('columnsMenu')}</summary>
      <fieldset>
        <legend>{t('columnsMenuLabel')}</legend>
        {REPORT_COLUMNS.filter((column) => column !== 'domain').map((column) => (
          <label key={column}>
            <input
              type="checkbox"
              data-column={column}
              data-default={String(DEFAULT_REPORT_COLUMNS.includes(column))}
              checked={shown.has(column)}
              onChange={(event) => onChange(column, event.currentTarget.checked)}
            />
            {t(HEADS[column].label)}
          </label>
        ))}
      </fieldset>
    </details>
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
  // The columns shown: for this page view (the menu starts from the defaults each time).
  const [shown, setShown] = useState<ReadonlySet<ReportColumn>>(new Set(DEFAULT_REPORT_COLUMNS));
  const toggle = (domain: string): void =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(domain)) next.add(domain);
      return next;
    });
  const choose = (column: ReportColumn, on: boolean): void =>
    setShown((current) => {
      const next = new Set(current);
      if (on) next.add(column);
      else next.delete(column);
      return next;
    });
  const columns = shownColumns(shown);
  // Every row is a grid of its own (report.css): they share this column template.
  const template = columns.map((column) => HEADS[column].width).join(' ');
  return (
    <>
      <ColumnsMenu shown={shown} onChange={choose} />
      <table class="report-table" aria-label={t('tableLabel')} style={{ '--report-columns': template }}>
        <thead>
          <tr>
            {columns.map((column) => (
              <Head key={column} column={column} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>{rows.map((row) => tableRow(row, columns, now, expanded.has(row.domain), toggle, ipv6NotUsed))}</tbody>
      </table>
    </>
  );
}
