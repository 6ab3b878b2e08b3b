import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { RECENT_BUCKET_MS } from '../core/live/live';
import { lookupServiceName, lookupUrl, type Settings } from '../core/settings/settings';
import { FIRST_SCREEN_ROWS, type TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { tabIdInQuery } from '../core/view/tabQuery';
import { openOptions, openReport, targetTabId } from '../ui/api';
import { LivePanel } from '../ui/LivePanel';
import { afterNextPaint, markOnce } from '../ui/paint';
import { SiteSummary } from '../ui/SiteSummary';
import { TabStatus, shownSnapshot } from '../ui/TabStatus';
import { useColorSchemeReport } from '../ui/useColorSchemeReport';
import { useCopyStatus } from '../ui/useCopyStatus';
import { useNow } from '../ui/useNow';
import { useTabSummary } from '../ui/useTabSummary';
import { describeRow, domainRow, type RowActions } from './DomainRow';
import { gridFocusOf, onGridClick, onGridKeyDown, refocusReplaced, rowOfDomain, type GridFocus } from './gridKeys';
import type { ServedAnswer } from './servedAnswer';

/**
 * `served`: the page came with the worker's prerender and its answer (servedAnswer.ts); the app
 * starts from that answer, drawn at the worker's clock, so that it takes over the rows already
 * there (main.tsx hydrates them). `takeOver`: a prerender came without a usable answer, so the app
 * asks, renders out of sight, and calls this once it shows the tab's answer. Either way it asks for
 * every row at once.
 */
export function App({ search, takeOver, served }: { search: string; takeOver?: () => void; served?: ServedAnswer }) {
  // The first screen comes first, painted, then every row (see watchTab); all at once over a prerender.
  const { state } = useTabSummary(search, targetTabId, takeOver !== undefined || served !== undefined, served?.answer);
  const answered = state.kind !== 'loading';
  useLayoutEffect(() => {
    if (answered) takeOver?.();
  }, [answered, takeOver]);
  const shown = shownSnapshot(state);
  const report = state.kind === 'report' ? state.report : undefined;
  const complete = report !== undefined && (report.state !== 'ok' || report.snapshot.omittedRows === 0);
  useLayoutEffect(() => {
    if (report === undefined) return;
    // Read by the benchmark.
    afterNextPaint(() => markOnce('ipvlens:first-data'));
    if (complete) afterNextPaint(() => markOnce('ipvlens:all-rows'));
  }, [report, complete]);
  useColorSchemeReport(state.kind === 'report', state.kind === 'report' ? state.config.pageScheme : undefined);

  if (shown === undefined) return <TabStatus state={state} />;
  // The worker's clock while its answer is shown: the rows it drew are then the app's own.
  const servedNow = report !== undefined && report === served?.answer.report ? served.now : undefined;
  return <Snapshot snapshot={shown.snapshot} settings={shown.config.settings} tabId={shown.tabId} wide={tabIdInQuery(search) !== undefined} now={servedNow} />;
}

/** Look-up links for the rows, and whether rows with requests in flight are highlighted. */
export function rowActionsOf(settings: Settings): RowActions {
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
}

/** Describes the row element `element` with its current data (see describeRow). */
function describeElement(element: HTMLElement | null | undefined, rows: TabSnapshot['domains'], actions: RowActions): void {
  const row = element === null || element === undefined ? undefined : rows.find((r) => r.domain === element.dataset.domain);
  if (element !== null && element !== undefined && row !== undefined) describeRow(element, row, actions);
}

/** Describes the row an event reached. */
function describeAround(event: Event, rows: TabSnapshot['domains'], actions: RowActions): void {
  describeElement((event.target as Element | null)?.closest<HTMLElement>('[role="row"][data-domain]'), rows, actions);
}

/**
 * After a render: rebuilt cells lose what describeRow added (tooltips, look-up links). The row focus
 * was in is described again before focus is put back, so that its stops (links among them) are
 * where they were. (The row under the pointer gets a new pointerover from the browser.)
 */
function describeFocusedAgain(grid: HTMLElement, focusedDomain: string | undefined, rows: TabSnapshot['domains'], actions: RowActions): void {
  if (focusedDomain === undefined) return;
  describeElement(rowOfDomain(grid, focusedDomain), rows, actions);
}

export interface SnapshotProps {
  snapshot: TabSnapshot;
  settings: Settings;
  tabId: number;
  wide: boolean;
  /** After the last row, inside its group: where the worker's prerender (prerender.tsx) continues the rows. */
  afterRows?: ComponentChildren;
  /** The clock to draw at, instead of the current one: the worker's, for its rows and the app's first render to match. */
  now?: number;
}

export function Snapshot({ snapshot, settings, tabId, wide, afterRows, now: drawnAt }: SnapshotProps) {
  const actions = useMemo(() => rowActionsOf(settings), [settings]);
  const { copy, status, setStatus } = useCopyStatus();
  const grid = useRef<HTMLDivElement>(null);
  const clock = useNow(RECENT_BUCKET_MS);
  const now = drawnAt ?? clock;
  // Domains whose every address is listed ("+N more" opened).
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggleMore = (domain: string): void => {
    const next = new Set(expanded);
    if (!next.delete(domain)) next.add(domain);
    setExpanded(next);
  };
  // A row whose cells changed gets new cell nodes (see rowHtml.ts): focus inside it moves to the new ones.
  const focus = useRef<GridFocus | undefined>(undefined);
  useLayoutEffect(() => {
    if (grid.current === null) return;
    describeFocusedAgain(grid.current, focus.current?.domain, snapshot.domains, actions);
    refocusReplaced(grid.current, focus.current);
  });
  return (
    <main>
      <header>
        <nav class="links">
          <a href="#" class="full-report" onClick={(event) => (event.preventDefault(), openReport(tabId))}>
            {t('fullReport')}
          </a>
          <a href="#" onClick={(event) => (event.preventDefault(), openOptions())}>
            {t('openOptions')}
          </a>
        </nav>
        <h1 title={snapshot.url}>{snapshot.mainDomain ?? t('unknownPage')}</h1>
        <SiteSummary snapshot={snapshot} copy={copy} status={status} setStatus={setStatus} />
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
          onClick={(event) => onGridClick(event, copy, toggleMore)}
          // Rows get their tooltips and value labels once pointed at or focused (see describeRow).
          onPointerOver={(event) => describeAround(event, snapshot.domains, actions)}
          onFocusCapture={(event) => {
            focus.current = gridFocusOf(event.target);
            describeAround(event, snapshot.domains, actions);
          }}
          // Focus leaving for elsewhere (not removed with its cells) is not to be restored.
          onBlurCapture={(event) => {
            const left = event.target;
            queueMicrotask(() => {
              if (focus.current?.element === left && focus.current.element.isConnected && document.activeElement !== left) focus.current = undefined;
            });
          }}
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
            {snapshot.domains.map((row, index) =>
              domainRow(row, now, { deferred: index >= FIRST_SCREEN_ROWS, first: index === 0, expanded: expanded.has(row.domain) }, actions),
            )}
            {afterRows}
          </div>
        </div>
      )}
    </main>
  );
}
