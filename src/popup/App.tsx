import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { domainSummary } from '../core/iconPattern';
import { RECENT_BUCKET_MS } from '../core/live';
import { lookupServiceName, lookupUrl, type Settings, type ViewConfig } from '../core/settings';
import { FIRST_SCREEN_ROWS, type TabReport, type TabSnapshot } from '../core/snapshot';
import { t } from '../platform/i18n';
import { reportColorScheme } from '../platform/storedConfig';
import { prefersDark } from '../ui/useStoredConfig';
import { copyText, openInTab, openOptions, tabIdInQuery, targetTabId, watchTab, type TabWatch } from './api';
import { DomainRow, describeRow, type RowActions } from './DomainRow';
import { familyAttribute, familyLabel } from './format';
import { onGridClick, onGridKeyDown } from './gridKeys';
import { ExportMenu, type CopyWithStatus } from './ExportMenu';
import { LivePanel } from './LivePanel';
import { afterNextPaint, markOnce } from './paint';
import { useNow } from './useNow';

type Loaded = { kind: 'loading' } | { kind: 'no-tab' } | { kind: 'report'; report: TabReport; config: ViewConfig };

export function App({ search }: { search: string }) {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });

  const [watch, setWatch] = useState<TabWatch | undefined>(undefined);

  // A layout effect so the connection starts now, not after "Loading…" has been painted.
  useLayoutEffect(() => {
    let current: TabWatch | undefined;
    let cancelled = false;
    void targetTabId(search).then((tabId) => {
      if (cancelled) return;
      if (tabId === undefined) {
        setState({ kind: 'no-tab' });
        return;
      }
      current = watchTab(tabId, (report, config) => setState({ kind: 'report', report, config }));
      setWatch(current);
    });
    return () => {
      cancelled = true;
      current?.stop();
    };
  }, [search]);

  const loaded = state.kind === 'report' ? state : undefined;
  const report = loaded?.report;
  const complete = report !== undefined && (report.state !== 'ok' || report.snapshot.omittedRows === 0);
  useLayoutEffect(() => {
    if (report === undefined) return;
    // Once the first screen is painted, ask for the rest; the marks are read by the benchmark.
    afterNextPaint(() => {
      markOnce('ipvlens:first-data');
      watch?.showAllRows();
    });
    if (complete) afterNextPaint(() => markOnce('ipvlens:all-rows'));
  }, [report, complete, watch]);

  // Tell the background which colour scheme the browser shows (its worker cannot see it).
  const hasReport = loaded !== undefined;
  const pageScheme = loaded?.config.pageScheme;
  useLayoutEffect(() => {
    if (!hasReport) return;
    afterNextPaint(() => void reportColorScheme(prefersDark() ? 'dark' : 'light', pageScheme).catch(() => undefined));
  }, [hasReport, pageScheme]);

  if (state.kind === 'loading') return <p class="status">{t('loading')}</p>;
  if (loaded === undefined || report === undefined) return <Message title={t('noTabTitle')} body={t('noTabBody')} />;
  if (report.state === 'no-tab') return <Message title={t('tabClosedTitle')} body={t('tabClosedBody', String(report.tabId))} />;
  if (report.state === 'not-seen') {
    switch (report.pageKind) {
      case 'web':
        return <Message title={t('reloadTitle')} body={t('reloadBody')} />;
      case 'local-file':
        return <Message title={t('localFileTitle')} body={t('localFileBody')} />;
      default:
        return <Message title={t('browserPageTitle')} body={t('browserPageBody')} />;
    }
  }
  return <Snapshot snapshot={report.snapshot} settings={loaded.config.settings} tabId={report.tabId} wide={tabIdInQuery(search) !== undefined} />;
}

function Message({ title, body }: { title: string; body: string }) {
  return (
    <div class="message" role="status">
      <h1>{title}</h1>
      <p>{body}</p>
    </div>
  );
}

/** Copy and look-up for the rows, with a spoken and visible note of what was copied. */
function useRowActions(settings: Settings): { actions: RowActions; copy: CopyWithStatus; status: string; setStatus: (status: string) => void } {
  const [status, setStatus] = useState('');
  const copy = useMemo<CopyWithStatus>(
    () => (text, done = t('copied', text)) => {
      copyText(text).then(
        () => setStatus(done),
        (error: unknown) => setStatus(t('copyFailed', String(error))),
      );
    },
    [],
  );
  const actions = useMemo<RowActions>(() => {
    const names = { domain: lookupServiceName(settings, 'domain'), address: lookupServiceName(settings, 'address') };
    return {
      lookUpUrl: (kind, value) => (names[kind] === undefined ? undefined : lookupUrl(settings, kind, value)),
      lookUpTitle: (kind, value) => {
        const service = names[kind];
        return service === undefined ? undefined : t('lookUpTitle', [value, service]);
      },
      highlightConnected: settings.showConnectedHighlight,
      showIpv6NotUsed: settings.dnsIpv6Check,
    };
  }, [settings]);
  return { actions, copy, status, setStatus };
}

/** Describes the row an event reached (see describeRow). */
function describeAround(event: Event, rows: TabSnapshot['domains'], actions: RowActions): void {
  const element = (event.target as Element | null)?.closest<HTMLElement>('[role="row"][data-domain]');
  const row = element === null || element === undefined ? undefined : rows.find((r) => r.domain === element.dataset.domain);
  if (element !== null && element !== undefined && row !== undefined) describeRow(element, row, actions);
}

function Snapshot({ snapshot, settings, tabId, wide }: { snapshot: TabSnapshot; settings: Settings; tabId: number; wide: boolean }) {
  const main = snapshot.domains.find((row) => row.isMain);
  const { v4, v6, unknown } = snapshot.domainsByFamily;
  const { actions, copy, status, setStatus } = useRowActions(settings);
  const grid = useRef<HTMLDivElement>(null);
  const now = useNow(RECENT_BUCKET_MS);
  return (
    <main>
      <header>
        <nav class="links">
          <a href="#" class="open-in-tab" onClick={(event) => (event.preventDefault(), openInTab(tabId))}>
            {t('openInTab')}
          </a>
          <a href="#" onClick={(event) => (event.preventDefault(), openOptions())}>
            {t('openOptions')}
          </a>
        </nav>
        <h1 title={snapshot.url}>{snapshot.mainDomain ?? t('unknownPage')}</h1>
        {main !== undefined && (
          <p class="main-address">
            <span class={`badge family-${familyAttribute(main.family)}`}>{familyLabel(main.family)}</span> {main.address ?? t('addressNotKnownYet')}
          </p>
        )}
        <p class="summary">{domainSummary(t, snapshot.domainCount, v6, v4, unknown)}</p>
        <p class="exports">
          <ExportMenu snapshot={snapshot} onDone={setStatus} copy={copy} />
        </p>
        {snapshot.partial && <p class="notice">{t('partialNotice')}</p>}
        <p class="copied" role="status" aria-live="polite">
          {status}
        </p>
      </header>
      <LivePanel snapshot={snapshot} now={now} wide={wide} />
      {snapshot.domainCount === 0 ? (
        <p class="status">{t('nothingLoaded')}</p>
      ) : (
        // A grid of divs rather than a <table>: rows can then skip layout and paint while
        // off screen (content-visibility), which keeps a 300-domain popup fast to open.
        <div
          ref={grid}
          class="domains"
          role="grid"
          aria-label={t('tableLabel')}
          aria-rowcount={snapshot.domainCount + 1}
          onClick={(event) => onGridClick(event, copy)}
          // Rows get their tooltips and value labels once pointed at or focused (see describeRow).
          onPointerOver={(event) => describeAround(event, snapshot.domains, actions)}
          onFocusCapture={(event) => describeAround(event, snapshot.domains, actions)}
          onKeyDown={(event) => grid.current !== null && onGridKeyDown(event, grid.current)}
        >
          <div role="rowgroup">
            <div role="row" class="row head">
              <div role="columnheader">{t('columnDomain')}</div>
              <div role="columnheader">{t('columnAddress')}</div>
              <div role="columnheader">{t('columnFamily')}</div>
              <div role="columnheader">{t('columnClass')}</div>
              <div role="columnheader">{t('columnFlags')}</div>
              <div role="columnheader" class="count">
                {t('columnRequests')}
              </div>
              <div role="columnheader" class="count" title={t('columnLastMinuteTitle')}>
                {t('columnLastMinute')}
              </div>
              <div role="columnheader" class="count" title={t('shareBytesTitle')}>
                {t('columnBytes')}
              </div>
            </div>
          </div>
          <div role="rowgroup">
            {snapshot.domains.map((row, index) => (
              <DomainRow key={row.domain} row={row} now={now} deferred={index >= FIRST_SCREEN_ROWS} first={index === 0} actions={actions} />
            ))}
          </div>
        </div>
      )}
    </main>
  );
}
