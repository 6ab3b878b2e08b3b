/** The tab a page was opened for, `?tabId=N` (the popup or report as a page of its own). */
export function tabIdInQuery(search: string): number | undefined {
  const fromQuery = new URLSearchParams(search).get('tabId');
  return fromQuery !== null && /^\d+$/.test(fromQuery) ? Number(fromQuery) : undefined;
}
