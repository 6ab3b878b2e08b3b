/**
 * The site history: every recorded site with search and sort, one site's detail, deletion,
 * export (JSON, CSV) and import (merge). Reads storage itself; every change goes through the
 * background, which owns the records.
 */
import { useMemo, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { exportFileName } from '../core/export/fileName';
import { historyCsv, historyExport, importSizeError, parseHistoryFile } from '../core/history/historyFile';
import { HISTORY_SORT_KEYS, searchSites, sortSites, type HistorySortKey, type SortDirection } from '../core/history/historyTable';
import { ipv6Readiness, type SiteRecord } from '../core/history/siteRecord';
import { familyTotal } from '../core/live/share';
import type { MessageKey } from '../core/i18n';
import { t } from '../platform/i18n';
import { askBackground, deleteHistory } from '../ui/backgroundClient';
import { downloadText } from '../ui/download';
import { HistoryWriteFailureNotice } from '../ui/HistoryWriteFailureNotice';
import { useHistory } from '../ui/useHistory';
import { importDoneText, importErrorText } from './importMessage';
import { lastScoreText, lastVerdictText, lastVerdictTitle, readinessText } from './readiness';
import { SiteDetail } from './SiteDetail';

/** Rows drawn at first; the rest on request (5,000 rows take a while to lay out). */
const FIRST_ROWS = 500;

const COLUMN_KEYS: Record<HistorySortKey, MessageKey> = {
  site: 'historyColumnSite',
  lastVisit: 'historyColumnLastVisit',
  visits: 'historyColumnVisits',
  requests: 'historyColumnRequests',
  readiness: 'historyColumnReadiness',
  verdict: 'historyColumnVerdict',
  score: 'historyColumnScore',
  ipv4Only: 'historyColumnIpv4Only',
};
const NUMERIC_COLUMNS = new Set<HistorySortKey>(['visits', 'requests', 'readiness', 'score', 'ipv4Only']);

export function HistoryPage() {
  const history = useHistory();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ key: HistorySortKey; direction: SortDirection }>({ key: 'lastVisit', direction: 'descending' });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [showAll, setShowAll] = useState(false);
  const [confirmDeleteAll, setConfirmDeleteAll] = useState(false);
  const [status, setStatus] = useState('');

  const shown = useMemo(() => sortSites(searchSites(history.records, search), sort.key, sort.direction), [history.records, search, sort]);
  const detail = selected === undefined ? undefined : history.records.find((record) => record.site === selected);

  const failed = (error: unknown): void => setStatus(t('historyChangeFailed', String(error)));
  const remove = (request: { sites: string[] } | { all: true }): void => {
    deleteHistory(request).then(setStatus, failed);
  };
  const save = (format: 'json' | 'csv'): void => {
    const exported = historyExport(history.records, Date.now());
    const fileName = exportFileName('history', new Date(), format);
    if (format === 'json') downloadText(fileName, 'application/json', `${JSON.stringify(exported, null, 2)}\n`);
    else downloadText(fileName, 'text/csv;charset=utf-8', historyCsv(exported));
    setStatus(t('exported', fileName));
  };
  const importFile = (file: File): void => {
    // Refused on its size before a byte is read: a huge file would stall the page and could not
    // be sent to the background (Chrome caps a message at 64 MiB).
    const tooLarge = importSizeError(file.size);
    if (tooLarge !== undefined) {
      setStatus(importErrorText(file.name, tooLarge));
      return;
    }
    file.text().then((text) => {
      const parsed = parseHistoryFile(text, Date.now());
      if (!parsed.ok) {
        setStatus(importErrorText(file.name, parsed.error));
        return;
      }
      return askBackground('historyImport', { records: parsed.records }).then((answer) => setStatus(importDoneText(file.name, answer)));
    }, failed).catch(failed);
  };
  const sortBy = (key: HistorySortKey): void =>
    setSort((before) => ({ key, direction: before.key === key ? (before.direction === 'ascending' ? 'descending' : 'ascending') : key === 'site' ? 'ascending' : 'descending' }));

  if (!history.loaded) return <p>{t('loading')}</p>;
  const rows = showAll ? shown : shown.slice(0, FIRST_ROWS);
  return (
    <main>
      <h1>{t('historyTitle')}</h1>
      {!history.settings.enabled && (
        <p class="notice" id="history-off">
          {t('historyOffNotice')}{' '}
          <a href="#" onClick={(event) => (event.preventDefault(), void browser.runtime.openOptionsPage())}>
            {t('openOptions')}
          </a>
        </p>
      )}
      {history.error !== undefined && <p class="notice">{t('historyReadFailed', history.error)}</p>}
      <HistoryWriteFailureNotice failure={history.writeFailure} />
      <div class="toolbar">
        <input type="search" id="history-search" placeholder={t('historySearchPlaceholder')} aria-label={t('historySearchPlaceholder')} value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
        <span role="group" aria-label={t('exportLabel')}>
          {t('exportLabel')}
          <button type="button" class="link" data-history-export="json" onClick={() => save('json')}>
            JSON
          </button>
          <button type="button" class="link" data-history-export="csv" onClick={() => save('csv')}>
            CSV
          </button>
        </span>
        <label class="import">
          {t('historyImportLabel')}{' '}
          <input
            type="file"
            id="history-import"
            accept="application/json,.json"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file !== undefined) importFile(file);
            }}
          />
        </label>
        <button type="button" id="history-delete-all" disabled={history.records.length === 0} onClick={() => setConfirmDeleteAll(true)}>
          {t('historyDeleteAll')}
        </button>
      </div>
      {confirmDeleteAll && (
        <div class="offer" role="alertdialog" aria-labelledby="confirm-delete-all">
          <p id="confirm-delete-all">{t('historyConfirmDeleteAll', String(history.records.length))}</p>
          <button type="button" id="history-delete-all-confirm" onClick={() => (setConfirmDeleteAll(false), setSelected(undefined), remove({ all: true }))}>
            {t('historyDeleteAll')}
          </button>{' '}
          <button type="button" onClick={() => setConfirmDeleteAll(false)}>
            {t('historyKeep')}
          </button>
        </div>
      )}
      <p class="status" id="status" role="status" aria-live="polite">
        {status}
      </p>
      {detail !== undefined && (
        <SiteDetail record={detail} onClose={() => setSelected(undefined)} onDelete={() => (setSelected(undefined), remove({ sites: [detail.site] }))} />
      )}
      <p class="count" id="history-count">
        {t('historyCount', [String(shown.length), String(history.records.length)])}
      </p>
      {history.records.length === 0 ? (
        <p class="hint">{t('historyEmpty')}</p>
      ) : (
        <table class="sites">
          <thead>
            <tr>
              {HISTORY_SORT_KEYS.map((key) => (
                <th key={key} data-sort={key} class={NUMERIC_COLUMNS.has(key) ? 'count' : undefined} aria-sort={sort.key === key ? sort.direction : undefined}>
                  <button type="button" onClick={() => sortBy(key)}>
                    {t(COLUMN_KEYS[key])}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((record) => (
              <SiteRow key={record.site} record={record} selected={record.site === selected} onOpen={() => setSelected(record.site)} />
            ))}
          </tbody>
        </table>
      )}
      {rows.length < shown.length && (
        <button type="button" id="show-all" onClick={() => setShowAll(true)}>
          {t('historyShowAll', String(shown.length))}
        </button>
      )}
    </main>
  );
}

function SiteRow({ record, selected, onOpen }: { record: SiteRecord; selected: boolean; onOpen: () => void }) {
  const readiness = ipv6Readiness(record);
  const requests = familyTotal(record.requests);
  return (
    <tr
      data-site={record.site}
      data-visits={record.visits}
      data-requests={requests}
      data-readiness={readiness ?? ''}
      data-last-verdict={record.lastReadiness?.verdict ?? ''}
      data-last-verdict-nat64={record.lastReadiness?.verdictNat64 ?? ''}
      data-last-score={record.lastReadiness?.score ?? ''}
      class={selected ? 'selected' : undefined}
    >
      <td>
        <button type="button" class="link" onClick={onOpen} aria-expanded={selected}>
          {record.site}
        </button>
      </td>
      <td>{new Date(record.lastVisit).toLocaleString()}</td>
      <td class="count">{record.visits}</td>
      <td class="count">{requests}</td>
      <td class="count">
        <span class="readiness" style={{ '--share': `${Math.round((readiness ?? 0) * 100)}%` }}>
          {readinessText(readiness)}
        </span>
      </td>
      <td title={lastVerdictTitle(record)}>{lastVerdictText(record)}</td>
      <td class="count">{lastScoreText(record)}</td>
      <td class="count">{record.ipv4OnlyThirdParties.length}</td>
    </tr>
  );
}
