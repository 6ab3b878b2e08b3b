/** A page's live report on one tab (the popup's, the report page's), through the watchTab port. */
import { useLayoutEffect, useState } from 'preact/hooks';
import type { ViewConfig } from '../core/settings/settings';
import type { TabSummary } from '../core/view/snapshot';
import { watchTab, type TabWatch } from './backgroundClient';

export type Loaded = { kind: 'loading' } | { kind: 'no-tab' } | { kind: 'report'; report: TabSummary; config: ViewConfig };

/**
 * Finds the tab with `resolveTab(search)`, then follows it until the page goes away, starting from
 * `initial` when the page came with an answer (the popup served by the worker). `allRows`
 * asks for every row from the start (the report page); otherwise the first screen comes first,
 * painted, then every row (the popup; see watchTab's firstScreenFirst).
 */
export function useTabSummary(
  search: string,
  resolveTab: (search: string) => Promise<number | undefined>,
  allRows: boolean,
  initial?: { report: TabSummary; config: ViewConfig },
): { state: Loaded; watch: TabWatch | undefined } {
  const [state, setState] = useState<Loaded>(() => (initial === undefined ? { kind: 'loading' } : { kind: 'report', report: initial.report, config: initial.config }));
  const [watch, setWatch] = useState<TabWatch | undefined>(undefined);
  // A layout effect so the connection starts now, not after "Loading…" has been painted.
  useLayoutEffect(() => {
    let current: TabWatch | undefined;
    let cancelled = false;
    void resolveTab(search).then((tabId) => {
      if (cancelled) return;
      if (tabId === undefined) {
        setState({ kind: 'no-tab' });
        return;
      }
      // The worker chose the served answer's tab without knowing this page's window: another
      // tab's rows are never kept, not even until the first answer for this one.
      if (initial !== undefined && initial.report.tabId !== tabId) setState({ kind: 'loading' });
      const show = (report: TabSummary, config: ViewConfig): void => {
        if (report.tabId === tabId) setState({ kind: 'report', report, config });
        else console.error(`IPvLens: refused an answer for tab ${report.tabId} while showing tab ${tabId}`);
      };
      current = watchTab(tabId, show, { allRows, firstScreenFirst: !allRows });
      setWatch(current);
    });
    return () => {
      cancelled = true;
      current?.stop();
    };
  }, [search, resolveTab, allRows]);
  return { state, watch };
}
