/**
 * Site history settings. Kept in storage.local, not with the synced settings: turning history on
 * in one browser must not start recording in the user's other browsers.
 */
export const HISTORY_SETTINGS_KEY = 'historySettings';

export const DEFAULT_MAX_SITES = 5000;
export const MIN_MAX_SITES = 10;
// A site record is ~0.3–1.5 KB, 13.7 KB at most (see test/unit/importLimits.test.ts): 20,000 sites
// can pass storage.local's 10 MB, hence the unlimitedStorage permission (README, Privacy).
export const MAX_MAX_SITES = 20_000;

export interface HistorySettings {
  enabled: boolean;
  /** Sites kept; the least recently visited are dropped beyond it. */
  maxSites: number;
}

export const DEFAULT_HISTORY_SETTINGS: Readonly<HistorySettings> = Object.freeze({ enabled: false, maxSites: DEFAULT_MAX_SITES });

/** A site limit typed by the user, or the reason it is refused. */
export function parseMaxSites(text: string): { ok: true; value: number } | { ok: false; min: number; max: number } {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  return Number.isSafeInteger(value) && value >= MIN_MAX_SITES && value <= MAX_MAX_SITES
    ? { ok: true, value }
    : { ok: false, min: MIN_MAX_SITES, max: MAX_MAX_SITES };
}

/** Settings from whatever storage holds; anything damaged falls back to the default (off). */
export function historySettingsFrom(stored: unknown): HistorySettings {
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const max = value.maxSites;
  return {
    enabled: value.enabled === true,
    maxSites: typeof max === 'number' && Number.isSafeInteger(max) && max >= MIN_MAX_SITES && max <= MAX_MAX_SITES ? max : DEFAULT_MAX_SITES,
  };
}
