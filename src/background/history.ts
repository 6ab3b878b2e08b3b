/**
 * The site history's one writer. Finished page views are folded into per-site records in
 * storage.local (when the user turned history on, never for private tabs); the history page's
 * deletions and imports come here too, so every change is applied in order on the same index.
 */
import type { HistoryOutcome, RequestOf, ResponseOf } from '../core/messages';
import { planVisits } from '../core/history/historyStore';
import { planMerge } from '../core/history/historyFile';
import type { PublicSuffixList } from '../core/history/publicSuffixList';
import { checkedSiteRecords } from '../core/history/recordCheck';
import type { HistorySettings } from '../core/history/settings';
import { sitesToEvict, type SiteRecord, type Visit } from '../core/history/siteRecord';
import { mayBeVisit, visitOf } from '../core/history/visit';
import { failedWrite, newWriteFailures, succeededWrite, type WriteFailures } from '../core/history/writeFailure';
import type { PageView } from '../core/tab/model';
import { KEYS, changeOf, type AreaName, type KeyRef, type StorageChanges, type Store } from '../platform/storage';

type Log = (message: string, error: unknown) => void;

export interface HistoryWriter {
  /** Keeps the cached settings current (called from the top-level storage listener). */
  applySettingsChange(changes: StorageChanges, area: AreaName): void;
  /** Folds the page views that ended; settles once they are written or the failure is reported. */
  recordFinishedViews(finished: ReadonlyArray<{ tabId: number; view: PageView }>): Promise<void>;
  deleteHistory(request: RequestOf<'historyDelete'>): Promise<ResponseOf<'historyDelete'>>;
  importHistory(request: RequestOf<'historyImport'>): Promise<ResponseOf<'historyImport'>>;
}

interface Writer {
  store: Store;
  isNormalTab: (tabId: number) => Promise<boolean>;
  /** The Public Suffix List, read at its first call: only when a visit is to be recorded. */
  suffixList: () => Promise<PublicSuffixList>;
  log: Log;
  settings: Promise<HistorySettings> | undefined;
  /** Site → last visit as stored; forgotten whenever a change fails, so it is read afresh. */
  index: Map<string, number> | undefined;
  queue: Promise<unknown>;
  /** Visits lost to refused writes in this worker's life (the pages are told through a stored note). */
  failures: WriteFailures;
}

export function createHistoryWriter(
  store: Store,
  isNormalTab: (tabId: number) => Promise<boolean>,
  suffixList: () => Promise<PublicSuffixList>,
  log: Log = console.error,
): HistoryWriter {
  const w: Writer = { store, isNormalTab, suffixList, log, settings: undefined, index: undefined, queue: Promise.resolve(), failures: newWriteFailures() };
  return {
    applySettingsChange: (changes, area) => applyHistorySettingsChange(w, changes, area),
    recordFinishedViews: (finished) => recordFinishedViews(w, finished),
    deleteHistory: (request) => deleteHistory(w, request),
    importHistory: (request) => importHistory(w, request),
  };
}

function historySettings(w: Writer): Promise<HistorySettings> {
  if (w.settings === undefined) {
    const reading = w.store.get(KEYS.historySettings);
    // A failed read is not kept: the next change reads again.
    reading.catch(() => {
      if (w.settings === reading) w.settings = undefined;
    });
    w.settings = reading;
  }
  return w.settings;
}

function applyHistorySettingsChange(w: Writer, changes: StorageChanges, area: AreaName): void {
  const change = changeOf(KEYS.historySettings, changes, area);
  if (change === undefined) return;
  const next = change.value;
  w.settings = Promise.resolve(next);
  // A lower limit applies at once, not at the next visit.
  void inOrder(w, async () => {
    const current = await loadIndex(w);
    const evict = sitesToEvict(current, next.maxSites);
    for (const site of evict) current.delete(site);
    if (evict.length > 0) await writeChanges(w, current, [], evict);
  }).catch((error: unknown) => w.log('IPvLens: could not apply the new history limit', error));
}

/** Runs history changes one after another: each reads what the previous one wrote. */
function inOrder<T>(w: Writer, task: () => Promise<T>): Promise<T> {
  const run = w.queue.then(task, task).catch((error: unknown) => {
    // Storage may be full or the index damaged, and the cached index may hold changes that were
    // never written: forget it before the next change runs, so that one reads it afresh.
    w.index = undefined;
    throw error;
  });
  w.queue = run.catch(() => undefined);
  return run;
}

async function loadIndex(w: Writer): Promise<Map<string, number>> {
  w.index ??= await w.store.get(KEYS.historyIndex);
  return w.index;
}

async function readRecords(w: Writer, sites: Iterable<string>): Promise<Map<string, SiteRecord>> {
  const records = new Map<string, SiteRecord>();
  for (const { value: record } of (await w.store.getFamily(KEYS.historySite, sites)).members) records.set(record.site, record);
  return records;
}

/**
 * Evicted records go first: that makes room before the write, and a worker stopped in between
 * leaves the index naming a few sites with no record (dropped at the next eviction), never a
 * record the index does not know of.
 */
async function writeChanges(w: Writer, current: Map<string, number>, write: readonly SiteRecord[], evict: readonly string[]): Promise<void> {
  if (evict.length > 0) await w.store.remove(...evict.map((site) => KEYS.historySite.ref(site)));
  await w.store.set(KEYS.historyIndex.item(current), ...write.map((record) => KEYS.historySite.item(record.site, record)));
}

/**
 * Page views that ended (the tracker holds them no more, so they stay as they are). What each adds
 * (its site, by the Public Suffix List) is worked out only when the history is on: the list is read
 * then, never for a history that is off. Resolves (never rejects) once the history has taken them
 * or refused (a list that cannot be read refuses them, and the pages say why): only then may their
 * session keys go.
 */
function recordFinishedViews(w: Writer, finished: ReadonlyArray<{ tabId: number; view: PageView }>): Promise<void> {
  // Only views that may be visits need the list (an about:blank or a browser page never reads it).
  const candidates = finished.filter(({ view }) => mayBeVisit(view));
  if (candidates.length === 0) return Promise.resolve();
  // What a failure reports: the views that may be visits, until the visits are known.
  let visitCount = candidates.length;
  return inOrder(w, async () => {
    const { enabled, maxSites } = await historySettings(w);
    if (!enabled) return;
    const suffixes = await w.suffixList();
    const visits = candidates.flatMap(({ tabId, view }) => {
      const visit = visitOf(view, suffixes);
      return visit === undefined ? [] : [{ tabId, visit }];
    });
    visitCount = visits.length;
    const kept: Visit[] = [];
    for (const { tabId, visit } of visits) if (await w.isNormalTab(tabId)) kept.push(visit);
    if (kept.length === 0) return;
    const current = await loadIndex(w);
    const plan = planVisits(current, await readRecords(w, kept.map((visit) => visit.site)), kept, maxSites);
    await writeChanges(w, current, plan.write, plan.evict);
    if (succeededWrite(w.failures)) await w.store.remove(KEYS.historyWriteFailure);
  }).catch((error: unknown) => {
    w.log(`IPvLens: could not record ${visitCount === 1 ? 'a visit' : `${visitCount} visits`}`, error);
    // The options and history pages say so.
    w.store.set(KEYS.historyWriteFailure.item(failedWrite(w.failures, error, visitCount, Date.now()))).catch(() => undefined);
  });
}

const failure = (error: unknown): { ok: false; error: string } => ({ ok: false, error: String(error) });

function deleteHistory(w: Writer, request: RequestOf<'historyDelete'>): Promise<ResponseOf<'historyDelete'>> {
  return inOrder(w, async (): Promise<ResponseOf<'historyDelete'>> => {
    const current = await loadIndex(w);
    if ('all' in request) {
      // Every site key, indexed or not (an interrupted write may have left one out of the index).
      const { members, unreadable } = await w.store.getFamily(KEYS.historySite);
      const siteKeys: KeyRef[] = [...members.map((member) => member.key), ...unreadable].map((key) => ({ area: KEYS.historySite.area, key }));
      await w.store.remove(KEYS.historyIndex, ...siteKeys);
      const removed = current.size;
      current.clear();
      return { ok: true, removed };
    }
    const sites = request.sites.filter((site) => current.has(site));
    for (const site of sites) current.delete(site);
    await w.store.set(KEYS.historyIndex.item(current));
    await w.store.remove(...request.sites.map((site) => KEYS.historySite.ref(site)));
    return { ok: true, removed: sites.length };
  }).catch(failure);
}

function importHistory(w: Writer, request: RequestOf<'historyImport'>): Promise<ResponseOf<'historyImport'>> {
  return inOrder(w, async (): Promise<HistoryOutcome<{ added: number; replaced: number; unchanged: number; evicted: number }>> => {
    // The page checked the file; records crossing into the background get the very same check.
    const checked = checkedSiteRecords(request.records, Date.now());
    if (!checked.ok) return { ok: false, error: `malformed records: ${checked.where}` };
    const { maxSites } = await historySettings(w);
    const current = await loadIndex(w);
    const plan = planMerge(current, checked.records, maxSites);
    for (const record of plan.write) current.set(record.site, record.lastVisit);
    for (const site of plan.evict) current.delete(site);
    await writeChanges(w, current, plan.write, plan.evict);
    return { ok: true, added: plan.added, replaced: plan.replaced, unchanged: plan.unchanged, evicted: plan.evict.length };
  }).catch(failure);
}
