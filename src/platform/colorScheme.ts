/**
 * The browser's light or dark appearance, where it can be seen: extension pages and Firefox's
 * background page have matchMedia; Chrome's service worker has none, so the pages report what they
 * see (reportColorScheme) and the worker uses the last report.
 */
import type { ColorScheme } from '../core/settings/settings';

function darkQuery(): MediaQueryList | undefined {
  return (globalThis as { matchMedia?: (query: string) => MediaQueryList }).matchMedia?.('(prefers-color-scheme: dark)');
}

/** The scheme the browser shows, or undefined where it cannot be seen (a service worker). */
export function browserColorScheme(): ColorScheme | undefined {
  const query = darkQuery();
  if (query === undefined) return undefined;
  return query.matches ? 'dark' : 'light';
}

/** Calls back when the browser switches scheme; never, where the scheme cannot be seen. */
export function onBrowserColorSchemeChange(listener: () => void): void {
  darkQuery()?.addEventListener('change', listener);
}
