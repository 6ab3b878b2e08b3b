/**
 * The report page's Requests view: the tab's per-request log (the last 2,000 requests of the page
 * view), filterable by family, domain, type and text, sortable by any column, and its HAR export.
 * Rows are plain markup built by a function, like the domain table: every row of the ring (2,000
 * at most) is in the DOM, so tests and screen readers find them without scrolling.
 */
import { useMemo, useState } from 'preact/hooks';
import type { MessageKey } from '../core/i18n';
import { exportFileName } from '../core/export/fileName';
import { buildHar } from '../core/requests/har';
import type { HostReadiness } from '../core/readiness/readiness';
import {
  NO_REQUEST_FILTER,
  REQUEST_COLUMNS,
  durationOf,
  filterRequests,
  requestChoices,
  requestFlagNames,
  shortUrl,
  sortRequests,
  statusKeyOf,
  truncatedAttribute,
  wasCut,
  CUT_LIMITS,
  type RequestColumn,
  type RequestFilter,
  type RequestLogSummary,
  type RequestRow,
  type RequestSort,
} from '../core/requests/requestView';
import type { RequestFlagName } from '../core/requests/requestLog';
import { t } from '../platform/i18n';
import { familyBadge } from '../ui/addressBadges';
import { downloadText } from '../ui/download';
import { formatBytes } from '../core/live/share';
import { classLabel, familyAttribute, timeOfDay } from '../ui/format';
import { extensionVersion } from '../ui/useRequestLog';
import { FamilyFilter } from './FamilyFilter';

const HEADS: Record<RequestColumn, { label: MessageKey; numeric?: true }> = {
  start: { label: 'requestColumnTime' },
  method: { label: 'requestColumnMethod' },
  url: { label: 'requestColumnUrl' },
  type: { label: 'requestColumnType' },
  status: { label: 'requestColumnStatus', numeric: true },
  address: { label: 'columnAddress' },
  family: { label: 'columnFamily' },
  class: { label: 'columnClass' },
  flags: { label: 'columnFlags' },
  size: { label: 'requestColumnSize', numeric: true },
  duration: { label: 'requestColumnDuration', numeric: true },
};

const FLAG_LABELS: Record<RequestFlagName, MessageKey> = {
  cache: 'flagCache',
  serviceWorker: 'flagServiceWorker',
  proxy: 'requestFlagProxy',
  redirect: 'requestFlagRedirect',
};

function nextRequestSort(sort: RequestSort, column: RequestColumn): RequestSort {
  if (sort.column !== column) return { column, direction: 'ascending' };
  return { column, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' };
}

function statusText(row: RequestRow): string {
  if (row.status !== undefined) return row.statusText === undefined ? String(row.status) : `${row.status} ${row.statusText}`;
  if (row.error !== undefined) return row.error;
  return t('requestPending');
}

/** A value cut to its cap ends with an ellipsis, and its hover text says so. */
const CUT_MARK = '…';
const cutNote = (row: RequestRow, field: 'url' | 'method' | 'statusText'): string => (wasCut(row, field) ? `\n(${t('requestCutTo', CUT_LIMITS[field].toLocaleString('en'))})` : '');
const cutEnd = (row: RequestRow, field: 'url' | 'method' | 'statusText'): string => (wasCut(row, field) ? CUT_MARK : '');

function statusCell(row: RequestRow): string {
  return row.status !== undefined && row.statusText !== undefined ? `${statusText(row)}${cutEnd(row, 'statusText')}` : statusText(row);
}

function requestRow(row: RequestRow) {
  const duration = durationOf(row);
  return (
    <tr
      key={row.seq}
      data-request-url={row.url}
      data-family={familyAttribute(row.family)}
      data-status={statusKeyOf(row)}
      data-type={row.type}
      data-address={row.address}
      data-method={row.method}
      data-truncated={truncatedAttribute(row)}
      class={row.error === undefined ? undefined : 'failed'}
    >
      <td class="count">{timeOfDay(row.start)}</td>
      <td title={wasCut(row, 'method') ? `${row.method}${CUT_MARK}${cutNote(row, 'method')}` : undefined}>
        {row.method}
        {cutEnd(row, 'method')}
      </td>
      <td class="url" title={`${row.url}${cutEnd(row, 'url')}${cutNote(row, 'url')}`}>
        {shortUrl(row.url)}
        {cutEnd(row, 'url')}
      </td>
      <td>{row.type}</td>
      <td class="count" title={row.error ?? (wasCut(row, 'statusText') ? cutNote(row, 'statusText').trim() : undefined)}>
        {statusCell(row)}
      </td>
      <td class="address">{row.proxy === undefined ? (row.address ?? '—') : t('requestViaProxy', [row.address ?? '—', row.proxy])}</td>
      <td>{row.address === undefined ? '' : familyBadge(row.family)}</td>
      <td>{row.address === undefined ? '' : classLabel(row.addressClass)}</td>
      <td class="flags">{requestFlagNames(row.flags).map((name) => t(FLAG_LABELS[name])).join(' ')}</td>
      <td class="count">{row.size === undefined ? '?' : formatBytes(row.size)}</td>
      <td class="count">{duration === undefined ? '' : `${Math.round(duration)} ms`}</td>
    </tr>
  );
}

/**
 * One of the filters' drop-downs: "all", then each choice the log has. A choice still selected
 * after its requests left the ring stays offered, so the selection never silently changes.
 */
function ChoiceFilter(props: { label: MessageKey; attribute: string; choices: readonly string[]; value: string; onChange: (value: string) => void }) {
  const choices = props.value === 'all' || props.choices.includes(props.value) ? props.choices : [...props.choices, props.value];
  return (
    <label>
      {t(props.label)}{' '}
      <select {...{ [`data-${props.attribute}`]: true }} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        <option value="all">{t('requestFilterAll')}</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters({ rows, filter, onChange }: { rows: readonly RequestRow[]; filter: RequestFilter; onChange: (filter: RequestFilter) => void }) {
  const { domains, types } = useMemo(() => requestChoices(rows), [rows]);
  return (
    <section class="filters" aria-label={t('filtersLabel')}>
      <FamilyFilter families={filter.families} attribute="request-filter-family" onChange={(families) => onChange({ ...filter, families })} />
      <ChoiceFilter label="requestFilterDomain" attribute="request-filter-domain" choices={domains} value={filter.domain} onChange={(domain) => onChange({ ...filter, domain })} />
      <ChoiceFilter label="requestColumnType" attribute="request-filter-type" choices={types} value={filter.type} onChange={(type) => onChange({ ...filter, type })} />
      <label>
        {t('filterText')}{' '}
        <input type="search" data-request-filter-text value={filter.text} placeholder={t('requestFilterTextPlaceholder')} onInput={(event) => onChange({ ...filter, text: event.currentTarget.value })} />
      </label>
    </section>
  );
}

interface Props {
  summary: RequestLogSummary | undefined;
  /** The page's hosts not proven IPv6 with their reasons (every domain, rows left out included): the HAR's `_ipvlensReason`. */
  hosts?: readonly HostReadiness[];
  site: string | undefined;
  onDone: (message: string) => void;
}

export function RequestsView({ summary, hosts, site, onDone }: Props) {
  const [filter, setFilter] = useState<RequestFilter>(NO_REQUEST_FILTER);
  const [sort, setSort] = useState<RequestSort>({ column: 'start', direction: 'ascending' });
  const all = summary?.rows ?? [];
  const rows = useMemo(() => sortRequests(filterRequests(all, filter), sort), [all, filter, sort]);
  if (summary === undefined) return <p class="status">{t('loading')}</p>;
  const saveHar = (): void => {
    if (summary.page === undefined) return;
    const reasons = new Map((hosts ?? []).map((host) => [host.domain, host.reason]));
    const har = buildHar(summary.page, summary.rows, { name: 'IPvLens', version: extensionVersion() }, (host) => reasons.get(host));
    const fileName = exportFileName(site, new Date(), 'har');
    downloadText(fileName, 'application/json', `${JSON.stringify(har, null, 2)}\n`);
    onDone(t('exported', fileName));
  };
  return (
    <section class="requests" aria-label={t('viewRequests')}>
      <p class="ring-note" data-total={summary.total} data-dropped={summary.dropped}>
        {t('requestRingNote', [summary.capacity.toLocaleString('en'), String(summary.dropped)])}{' '}
        <button type="button" class="link" data-export="har" disabled={summary.page === undefined} onClick={saveHar}>
          {t('exportHar')}
        </button>
      </p>
      {summary.notKept && (
        <p class="status warning" role="alert" data-requests-not-kept>
          {t('requestsNotKept')}
        </p>
      )}
      <Filters rows={all} filter={filter} onChange={setFilter} />
      <p class="showing" role="status" data-shown={rows.length} data-total={all.length}>
        {t('requestsShowing', [String(rows.length), String(all.length)])}
      </p>
      {all.length === 0 ? (
        <p class="status">{t('nothingLoaded')}</p>
      ) : (
        <table class="report-table request-table" aria-label={t('viewRequests')}>
          <thead>
            <tr>
              {REQUEST_COLUMNS.map((column) => {
                const sorted = sort.column === column;
                return (
                  <th key={column} scope="col" data-request-sort={column} aria-sort={sorted ? sort.direction : undefined} class={HEADS[column].numeric ? 'count' : undefined}>
                    <button type="button" onClick={() => setSort(nextRequestSort(sort, column))}>
                      {t(HEADS[column].label)}
                      <span class="arrow" aria-hidden="true">
                        {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>{rows.map(requestRow)}</tbody>
        </table>
      )}
    </section>
  );
}
