/** Tells the background which colour scheme the browser shows: its service worker cannot see it. */
import { useLayoutEffect } from 'preact/hooks';
import type { ViewConfig } from '../core/settings/settings';
import { browserColorScheme } from '../platform/colorScheme';
import { afterNextPaint } from './paint';

/**
 * Once a report is shown (`shown`), after its frame is painted, so it costs the first frame
 * nothing. Only when the background's last report differs (seldom) is the stored-settings code
 * loaded: it brings the whole storage key table (history records, the Public Suffix List), which
 * a page that shows a tab does not otherwise need.
 */
export function useColorSchemeReport(shown: boolean, pageScheme: ViewConfig['pageScheme']): void {
  useLayoutEffect(() => {
    if (!shown) return;
    afterNextPaint(() => {
      const scheme = browserColorScheme() ?? 'light';
      if (scheme === pageScheme) return;
      void import('../platform/storedConfig').then(({ reportColorScheme }) => reportColorScheme(scheme, pageScheme)).catch(() => undefined);
    });
  }, [shown, pageScheme]);
}
