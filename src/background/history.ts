/**
 * The site history's one writer. Finished page views are folded into per-site records in
 * storage.local (when the user turned history on, never for private tabs); the history page's
 * deletions and imports come here too, so every change is applied in order on the same index.
 */
import browser, { type Storage } from 'webextension-polyfill';
import type { HistoryOutcome, RequestOf, ResponseOf } from '../core/messages';
import { HISTORY_INDEX_KEY, historyIndexFrom, isSiteStorageKey, planVisits, siteStorageKey, storedIndex } from '../core/history/historyStore';
import { planMerge, storedSiteRecord } from '../core/history/historyFile';
import { HISTORY_SETTINGS_KEY, historySettingsFrom, type HistorySettings } from '../core/history/settings';
import { sitesToEvict, visitOf, type SiteRecord, type Visit } from '../core/history/siteRecord';
import type { PageView } from '../core/model';
import { isNormalTab } from './privateTabs';

let settings: Promise<HistorySettings> | undefined;
let index: Map<string, number> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function historySettings(): Promise<HistorySettings> {
  settings ??= browser.storage.local.get(HISTORY_SETTINGS_KEY).then((stored) => historySettingsFrom(stored[HISTORY_SETTINGS_KEY]));
  return settings;
}

/** Keeps the cached settings current (called from the top-level storage listener). */
export function applyHistorySettingsChange(changes: Record<string, Storage.StorageChange>, area: string): void {
  const change = changes[HISTORY_SETTINGS_KEY];
  if (area !== 'local' || change === undefined) return;
  const next = historySettingsFrom(change.newValue);
  settings = Promise.resolve(next);
  // A lower limit applies at once, not at the next visit.
  void inOrder(async () => {
    const current = await loadIndex();
    const evict = sitesToEvict(current, next.maxSites);
    for (const site of evict) current.delete(site);
    if (evict.length > 0) await writeChanges(current, [], evict);
  }).catch(failure);
}

/** Runs history changes one after another: each reads what the previous one wrote. */
function inOrder<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

async function loadIndex(): Promise<Map<string, number>> {
  index ??= historyIndexFrom((await browser.storage.local.get(HISTORY_INDEX_KEY))[HISTORY_INDEX_KEY]);
  return index;
}

async function readRecords(sites: Iterable<string>): Promise<Map<string, SiteRecord>> {
  const keys = [...new Set(sites)].map(siteStorageKey);
  const stored = keys.length === 0 ? {} : await browser.storage.local.get(keys);
  const records = new Map<string, SiteRecord>();
  for (const value of Object.values(stored)) {
    const record = storedSiteRecord(value);
    if (record !== undefined) records.set(record.site, record);
  }
  return records;
}

async function writeChanges(current: Map<string, number>, write: readonly SiteRecord[], evict: readonly string[]): Promise<void> {
  const set: Record<string, unknown> = { [HISTORY_INDEX_KEY]: storedIndex(current) };
  for (const record of write) set[siteStorageKey(record.site)] = record;
  await browser.storage.local.set(set);
  if (evict.length > 0) await browser.storage.local.remove(evict.map(siteStorageKey));
}

/**
 * Page views that ended. What each view adds is taken now (the view is gone from the tracker);
 * whether to keep it is decided once the settings and the tab are known. Resolves (never rejects)
 * once the history has taken them or refused: only then may their session keys go.
 */
export function recordFinishedViews(finished: ReadonlyArray<{ tabId: number; view: PageView }>): Promise<void> {
  const visits = finished.flatMap(({ tabId, view }) => {
    const visit = visitOf(view);
    return visit === undefined ? [] : [{ tabId, visit }];
  });
  if (visits.length === 0) return Promise.resolve();
  return inOrder(async () => {
    const { enabled, maxSites } = await historySettings();
    if (!enabled) return;
    const kept: Visit[] = [];
    for (const { tabId, visit } of visits) if (await isNormalTab(tabId)) kept.push(visit);
    if (kept.length === 0) return;
    const current = await loadIndex();
    const plan = planVisits(current, await readRecords(kept.map((visit) => visit.site)), kept, maxSites);
    await writeChanges(current, plan.write, plan.evict);
  }).catch((error: unknown) => {
    // Storage may be full or the index damaged: forget the cached index so it is read afresh.
    index = undefined;
    console.error('IPvLens: could not record a visit', error);
  });
}

const failure = (error: unknown): { ok: false; error: string } => {
  index = undefined;
  return { ok: false, error: String(error) };
};

export function deleteHistory(request: RequestOf<'historyDelete'>): Promise<ResponseOf<'historyDelete'>> {
  return inOrder(async (): Promise<ResponseOf<'historyDelete'>> => {
    const current = await loadIndex();
    if ('all' in request) {
      // Every site key, indexed or not (an interrupted write may have left one out of the index).
      const keys = Object.keys(await browser.storage.local.get(null)).filter((key) => key === HISTORY_INDEX_KEY || isSiteStorageKey(key));
      await browser.storage.local.remove(keys);
      const removed = current.size;
      current.clear();
      return { ok: true, removed };
    }
    const sites = request.sites.filter((site) => current.has(site));
    for (const site of sites) current.delete(site);
    await browser.storage.local.set({ [HISTORY_INDEX_KEY]: storedIndex(current) });
    await browser.storage.local.remove(request.sites.map(siteStorageKey));
    return { ok: true, removed: sites.length };
  }).catch(failure);
}

export function importHistory(request: RequestOf<'historyImport'>): Promise<ResponseOf<'historyImport'>> {
  return inOrder(async (): Promise<HistoryOutcome<{ added: number; replaced: number; unchanged: number; evicted: number }>> => {
    // The page checked the file; records crossing into the background are checked again.
    const records = request.records.map(storedSiteRecord);
    if (records.some((record) => record === undefined)) return { ok: false, error: 'malformed records' };
    const { maxSites } = await historySettings();
    const current = await loadIndex();
    const plan = planMerge(current, records as SiteRecord[], maxSites);
    for (const record of plan.write) current.set(record.site, record.lastVisit);
    for (const site of plan.evict) current.delete(site);
    await writeChanges(current, plan.write, plan.evict);
    return { ok: true, added: plan.added, replaced: plan.replaced, unchanged: plan.unchanged, evicted: plan.evict.length };
  }).catch(failure);
}
