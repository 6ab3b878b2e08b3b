/**
 * How the site history sits in storage.local: one key per site, plus an index of last visits
 * (small: what eviction needs) so a page view's fold reads and writes only its own site.
 */
import { foldVisit, sitesToEvict, type SiteRecord, type Visit } from './siteRecord';

export const HISTORY_INDEX_KEY = 'h:index';
const SITE_PREFIX = 'h:site:';

export const siteStorageKey = (site: string): string => `${SITE_PREFIX}${site}`;
export const isSiteStorageKey = (key: string): boolean => key.startsWith(SITE_PREFIX);

/** The stored index (site → last visit, epoch ms); entries of the wrong shape are left out. */
export function historyIndexFrom(stored: unknown): Map<string, number> {
  const index = new Map<string, number>();
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return index;
  for (const [site, lastVisit] of Object.entries(stored as Record<string, unknown>)) {
    if (typeof lastVisit === 'number' && Number.isFinite(lastVisit)) index.set(site, lastVisit);
  }
  return index;
}

export function storedIndex(index: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries(index);
}

export interface FoldPlan {
  write: SiteRecord[];
  evict: string[];
}

/**
 * Folds finished visits into their sites' records (`stored` holds the records of those sites that
 * exist) and keeps the limit; `index` is updated in place to match what is written and removed.
 */
export function planVisits(index: Map<string, number>, stored: ReadonlyMap<string, SiteRecord>, visits: readonly Visit[], maxSites: number): FoldPlan {
  const folded = new Map<string, SiteRecord>();
  for (const visit of visits) {
    const record = foldVisit(folded.get(visit.site) ?? stored.get(visit.site), visit);
    folded.set(visit.site, record);
    index.set(visit.site, record.lastVisit);
  }
  const evict = sitesToEvict(index, maxSites);
  for (const site of evict) {
    index.delete(site);
    folded.delete(site);
  }
  return { write: [...folded.values()], evict };
}
