/**
 * The full report on one tab (`?tabId=N`, opened from the popup): header, summary and live panel,
 * exports, then the whole table, sortable and filterable. Follows the tab live.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { RECENT_BUCKET_MS } from '../core/live/live';
import { NO_FILTER, filterRows, sortRows, type RowFilter, type SortOrder } from '../core/view/reportTable';
import type { TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { tabIdInQuery } from '../core/view/tabQuery';
import { openOptions } from '../ui/api';
import { LivePanel } from '../ui/LivePanel';
import { SiteSummary } from '../ui/SiteSummary';
import { TabStatus, shownSnapshot } from '../ui/TabStatus';
import { useColorSchemeReport } from '../ui/useColorSchemeReport';
import { useCopyStatus } from '../ui/useCopyStatus';
import { useNow } from '../ui/useNow';
import { useTabSummary } from '../ui/useTabSummary';
import { useRequestLog } from '../ui/useRequestLog';
import { ReportFilters } from './ReportFilters';
import { ReportTable } from './ReportTable';
import { RequestsView } from './RequestsView';

/** Only `?tabId=N`: opened without one, the report has no tab (it is never "the active tab"). */
const tabFromQuery = (search: string): Promise<number | undefined> => Promise.resolve(tabIdInQuery(search));

export function ReportPage({ search }: { search: string }) {
  const { state } = useTabSummary(search, tabFromQuery, true);
  const shown = shownSnapshot(state);
  useColorSchemeReport(state.kind === 'report', state.kind === 'report' ? state.config.pageScheme : undefined);
  const site = shown?.snapshot.mainDomain ?? t('unknownPage');
  useEffect(() => {
    document.title = t('reportTitle', site);
  }, [site]);
  if (shown === undefined) return <TabStatus state={state} />;
  return <Report snapshot={shown.snapshot} tabId={tabIdInQuery(search)} ipv6NotUsed={state.kind === 'report' && state.config.settings.dnsIpv6Check} />;
}

type ReportView = 'domains' | 'requests';

/** The switch between the domain table and the per-request log. */
function ViewSwitch({ view, onChange }: { view: ReportView; onChange: (view: ReportView) => void }) {
  return (
    <div class="view-switch" role="group" aria-label={t('viewRequests')}>
      {(['domains', 'requests'] as const).map((name) => (
        <button key={name} type="button" class="link" data-view={name} aria-pressed={view === name} onClick={() => onChange(name)}>
          {t(name === 'domains' ? 'viewDomains' : 'viewRequests')}
        </button>
      ))}
    </div>
  );
}

function Report({ snapshot, tabId, ipv6NotUsed }: { snapshot: TabSnapshot; tabId: number | undefined; ipv6NotUsed: boolean }) {
  const [view, setView] = useState<ReportView>('domains');
  // The log is asked for only while it is shown: the domain table does not pay for it.
  const requests = useRequestLog(tabId, view === 'requests');
  const { copy, status, setStatus } = useCopyStatus();
  const now = useNow(RECENT_BUCKET_MS);
  return (
    <main class="report">
      <header>
        <nav class="links">
          <a href="#" onClick={(event) => (event.preventDefault(), openOptions())}>
            {t('openOptions')}
          </a>
        </nav>
        <h1>{snapshot.mainDomain ?? t('unknownPage')}</h1>
        {snapshot.url !== undefined && <p class="page-url">{snapshot.url}</p>}
        <SiteSummary
          snapshot={snapshot}
          copy={copy}
          status={status}
          setStatus={setStatus}
          exportNote={<span class="export-note">{t('reportExportNote')}</span>}
        />
      </header>
      <LivePanel snapshot={snapshot} now={now} wide={true} />
      <ViewSwitch view={view} onChange={setView} />
      {view === 'requests' ? <RequestsView summary={requests} hosts={snapshot.readiness.hosts} site={snapshot.mainDomain} onDone={setStatus} /> : <DomainView snapshot={snapshot} now={now} ipv6NotUsed={ipv6NotUsed} />}
    </main>
  );
}

function DomainView({ snapshot, now, ipv6NotUsed }: { snapshot: TabSnapshot; now: number; ipv6NotUsed: boolean }) {
  const [filter, setFilter] = useState<RowFilter>(NO_FILTER);
  const [sort, setSort] = useState<SortOrder>({ column: 'domain', direction: 'ascending' });
  const filtered = useMemo(() => filterRows(snapshot.domains, filter), [snapshot.domains, filter]);
  // The clock matters to the order only when sorting by the last minute.
  const clock = sort.column === 'lastMinute' ? now : 0;
  const rows = useMemo(() => sortRows(filtered, sort, clock), [filtered, sort, clock]);
  return (
    <>
      <ReportFilters rows={snapshot.domains} filter={filter} onChange={setFilter} />
      <p class="showing" role="status" data-shown={rows.length} data-total={snapshot.domains.length}>
        {t('showingRows', [String(rows.length), String(snapshot.domains.length)])}
      </p>
      {snapshot.domainCount === 0 ? <p class="status">{t('nothingLoaded')}</p> : <ReportTable rows={rows} now={now} sort={sort} onSort={setSort} ipv6NotUsed={ipv6NotUsed} />}
    </>
  );
}
