/** The tab a page was opened for, `?tabId=N` (the popup or report as a page of its own). */
export function tabIdInQuery(search: string): number | undefined {
  const fromQuery = new URLSearchParams(search).get('tabId');
  return fromQuery !== null && /^\d+$/.test(fromQuery) ? Number(fromQuery) : undefined;
}

/**
 * Which tab the popup page shows, one rule for the worker that serves it and the page itself:
 * the tab `?tabId=N` names; none when the query has a `tabId` that names no tab (a damaged link
 * shows "no tab", never some other tab); else the active tab of the window the popup opened over.
 */
export type PopupTab = { kind: 'named'; tabId: number } | { kind: 'none' } | { kind: 'active-tab-of-window' };

export function popupTabOf(search: string): PopupTab {
  const named = tabIdInQuery(search);
  if (named !== undefined) return { kind: 'named', tabId: named };
  return new URLSearchParams(search).has('tabId') ? { kind: 'none' } : { kind: 'active-tab-of-window' };
}
