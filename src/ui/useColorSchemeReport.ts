/** Tells the background which colour scheme the browser shows: its service worker cannot see it. */
import { useLayoutEffect } from 'preact/hooks';
import type { ViewConfig } from '../core/settings/settings';
import { browserColorScheme } from '../platform/colorScheme';
import { reportColorScheme } from '../platform/storedConfig';
import { afterNextPaint } from './paint';

/** Once a report is shown (`shown`), after its frame is painted, so it costs the first frame nothing. */
export function useColorSchemeReport(shown: boolean, pageScheme: ViewConfig['pageScheme']): void {
  useLayoutEffect(() => {
    if (!shown) return;
    afterNextPaint(() => void reportColorScheme(browserColorScheme() ?? 'light', pageScheme).catch(() => undefined));
  }, [shown, pageScheme]);
}
