/**
 * The site history as a file: export (JSON with a versioned format, schema in
 * history-v2.schema.json beside this file; CSV) and import — a file is checked whole before
 * anything is merged, so a malformed or foreign file changes nothing. Version 1 files (before the
 * IPv6-only verdicts, history-v1.schema.json) still import: their sites have no last verdict.
 */
import { toCsv } from '../export/csv';
import { REPORT_FORMAT } from '../export/tabExport';
import type { FamilyCounts } from '../live/share';
import { MAX_COUNTS, MAX_HOST_LENGTH, MAX_IPV4_ONLY_KEPT, checkedSiteReadiness, checkedSiteRecord, RecordFault } from './recordCheck';
import { normalizeHost } from '../tab/url';
import { ipv6Readiness, sitesToEvict, type SiteReadiness, type SiteRecord } from './siteRecord';

export const HISTORY_FORMAT = 'ipvlens-site-history';
export const HISTORY_VERSION = 2;
/** The oldest version import still reads. */
const OLDEST_HISTORY_VERSION = 1;

type FamilyName = 'IPv4' | 'IPv6';

export interface ExportedSite {
  site: string;
  firstVisit: string;
  lastVisit: string;
  visits: number;
  lastMainFamily: FamilyName | null;
  domainsLastVisit: FamilyCounts;
  requests: FamilyCounts;
  bytes: FamilyCounts;
  /** Share of requests over IPv6 among those of known family, 0…1; derived, ignored on import. */
  ipv6Readiness: number | null;
  ipv4OnlyThirdParties: string[];
  /** The last visit's IPv6-only verdicts and score; null for a site last visited before IPvLens had them. */
  lastReadiness: SiteReadiness | null;
}

export interface ExportedHistory {
  format: typeof HISTORY_FORMAT;
  version: typeof HISTORY_VERSION;
  exportedAt: string;
  sites: ExportedSite[];
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

export function exportedSite(record: SiteRecord): ExportedSite {
  const readiness = ipv6Readiness(record);
  return {
    site: record.site,
    firstVisit: iso(record.firstVisit),
    lastVisit: iso(record.lastVisit),
    visits: record.visits,
    lastMainFamily: record.lastMainFamily === 6 ? 'IPv6' : record.lastMainFamily === 4 ? 'IPv4' : null,
    domainsLastVisit: { ...record.domains },
    requests: { ...record.requests },
    bytes: { ...record.bytes },
    ipv6Readiness: readiness === undefined ? null : Math.round(readiness * 10_000) / 10_000,
    ipv4OnlyThirdParties: [...record.ipv4OnlyThirdParties],
    lastReadiness: record.lastReadiness === undefined ? null : { ...record.lastReadiness, blockingThirdParties: [...record.lastReadiness.blockingThirdParties] },
  };
}

/** Most recently visited first, as the history page lists them by default. */
export function historyExport(records: Iterable<SiteRecord>, now: number): ExportedHistory {
  const sites = [...records].sort((a, b) => b.lastVisit - a.lastVisit || (a.site < b.site ? -1 : 1)).map(exportedSite);
  return { format: HISTORY_FORMAT, version: HISTORY_VERSION, exportedAt: iso(now), sites };
}

export const HISTORY_CSV_COLUMNS = [
  'site',
  'first_visit',
  'last_visit',
  'visits',
  'last_main_family',
  'domains_ipv6',
  'domains_ipv4',
  'domains_unknown',
  'requests_ipv6',
  'requests_ipv4',
  'requests_unknown',
  'bytes_ipv6',
  'bytes_ipv4',
  'bytes_unknown',
  'ipv6_readiness_percent',
  'ipv4_only_third_parties',
  // Version 2: appended, so columns read by position keep their place.
  'last_verdict',
  'last_verdict_nat64',
  'last_score',
  'last_score_with_published',
  'blocking_third_parties',
] as const;

export function historyCsv(history: ExportedHistory): string {
  const rows: Array<Array<string | number | null>> = [[...HISTORY_CSV_COLUMNS]];
  for (const s of history.sites) {
    rows.push([
      s.site,
      s.firstVisit,
      s.lastVisit,
      s.visits,
      s.lastMainFamily,
      s.domainsLastVisit.v6,
      s.domainsLastVisit.v4,
      s.domainsLastVisit.unknown,
      s.requests.v6,
      s.requests.v4,
      s.requests.unknown,
      s.bytes.v6,
      s.bytes.v4,
      s.bytes.unknown,
      s.ipv6Readiness === null ? null : Math.round(s.ipv6Readiness * 1000) / 10,
      s.ipv4OnlyThirdParties.join(' '),
      s.lastReadiness?.verdict ?? null,
      s.lastReadiness?.verdictNat64 ?? null,
      s.lastReadiness?.score ?? null,
      s.lastReadiness?.scoreWithPublished ?? null,
      s.lastReadiness?.blockingThirdParties.join(' ') ?? null,
    ]);
  }
  return toCsv(rows);
}

/** Files above this size are refused before they are read: an export of 20,000 sites is ~10 MB. */
export const MAX_IMPORT_BYTES = 50_000_000;

/** Why a file was refused; `where` names the first bad field ("sites[3].visits"). */
export type ImportError =
  | { code: 'too-large'; size: number; max: number }
  | { code: 'not-json' }
  | { code: 'tab-report' }
  | { code: 'foreign' }
  | { code: 'newer-version'; version: number }
  | { code: 'malformed'; where: string }
  | { code: 'duplicate-site'; site: string };

export type ImportResult = { ok: true; records: SiteRecord[] } | { ok: false; error: ImportError };

/** The refusal of a file too big to read (checked on its size, before reading it), if it is. */
export function importSizeError(size: number): ImportError | undefined {
  return size > MAX_IMPORT_BYTES ? { code: 'too-large', size, max: MAX_IMPORT_BYTES } : undefined;
}

class Malformed extends Error {
  constructor(readonly where: string) {
    super(where);
  }
}

type Fields = Record<string, unknown>;

function objectAt(value: unknown, where: string, keys: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Malformed(where);
  const fields = value as Fields;
  for (const key of Object.keys(fields)) if (!keys.includes(key)) throw new Malformed(`${where}.${key}`);
  return fields;
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

/** An ISO time as epoch ms (the record check bounds it); NaN for anything else. */
function timeOf(value: unknown): number {
  const time = typeof value === 'string' && ISO_UTC.test(value) ? Date.parse(value) : NaN;
  return Number.isFinite(time) ? time : NaN;
}

const SITE_KEYS_V1 = ['site', 'firstVisit', 'lastVisit', 'visits', 'lastMainFamily', 'domainsLastVisit', 'requests', 'bytes', 'ipv6Readiness', 'ipv4OnlyThirdParties'] as const;
const SITE_KEYS: Record<number, readonly string[]> = { 1: SITE_KEYS_V1, 2: [...SITE_KEYS_V1, 'lastReadiness'] };
/** Record fields named as the file names them. */
const FILE_FIELD: Partial<Record<string, string>> = { domains: 'domainsLastVisit' };

function siteAt(value: unknown, where: string, now: number, version: number): SiteRecord {
  const keys = SITE_KEYS[version] ?? [];
  const fields = objectAt(value, where, keys);
  for (const key of keys) if (!(key in fields)) throw new Malformed(`${where}.${key}`);
  const readiness = fields.ipv6Readiness;
  if (readiness !== null && (typeof readiness !== 'number' || !(readiness >= 0 && readiness <= 1))) throw new Malformed(`${where}.ipv6Readiness`);
  const family = fields.lastMainFamily;
  if (family !== null && family !== 'IPv4' && family !== 'IPv6') throw new Malformed(`${where}.lastMainFamily`);
  // The file's shape turned into a record's, then the one check the background applies too.
  const candidate = {
    site: fields.site,
    firstVisit: timeOf(fields.firstVisit),
    lastVisit: timeOf(fields.lastVisit),
    visits: fields.visits,
    lastMainFamily: family === 'IPv6' ? 6 : family === 'IPv4' ? 4 : null,
    domains: fields.domainsLastVisit,
    requests: fields.requests,
    bytes: fields.bytes,
    ipv4OnlyThirdParties: fields.ipv4OnlyThirdParties,
    // null in the file (and absent in version 1): no verdict known, left out of the record.
    lastReadiness: fields.lastReadiness ?? undefined,
  };
  try {
    return checkedSiteRecord(candidate, now);
  } catch (error) {
    if (!(error instanceof RecordFault)) throw error;
    const [head = '', ...rest] = error.field.split('.');
    const named = [FILE_FIELD[head] ?? head, ...rest].join('.');
    throw new Malformed(`${where}.${named}`);
  }
}

/** Reads an exported history file whole: every site, or the first reason to refuse it. `now` bounds its dates. */
export function parseHistoryFile(text: string, now: number): ImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'not-json' } };
  }
  const top = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
  if (top?.format === REPORT_FORMAT) return { ok: false, error: { code: 'tab-report' } };
  if (top?.format !== HISTORY_FORMAT) return { ok: false, error: { code: 'foreign' } };
  if (typeof top.version === 'number' && Number.isInteger(top.version) && top.version > HISTORY_VERSION) {
    return { ok: false, error: { code: 'newer-version', version: top.version } };
  }
  try {
    objectAt(top, 'file', ['format', 'version', 'exportedAt', 'sites']);
    const version = top.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < OLDEST_HISTORY_VERSION) throw new Malformed('version');
    if (!Number.isFinite(timeOf(top.exportedAt))) throw new Malformed('exportedAt');
    if (!Array.isArray(top.sites)) throw new Malformed('sites');
    const records = top.sites.map((site, index) => siteAt(site, `sites[${index}]`, now, version));
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.site)) return { ok: false, error: { code: 'duplicate-site', site: record.site } };
      seen.add(record.site);
    }
    return { ok: true, records };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, error: { code: 'malformed', where: error.where } };
    throw error;
  }
}

/** A record as stored by this version, or undefined for anything damaged (then dropped). */
export function storedSiteRecord(value: unknown): SiteRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Fields;
  // Counts in the range an import takes (MAX_COUNTS): a damaged one drops the record, not the history.
  const isCount = (n: unknown, max: number): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max;
  const counts = (c: unknown, max: number): c is FamilyCounts => {
    if (typeof c !== 'object' || c === null) return false;
    const f = c as Fields;
    return [f.v4, f.v6, f.unknown].every((n) => isCount(n, max));
  };
  const ok =
    typeof r.site === 'string' &&
    r.site.length <= MAX_HOST_LENGTH &&
    [r.firstVisit, r.lastVisit].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
    isCount(r.visits, MAX_COUNTS.visits) &&
    (r.lastMainFamily === null || r.lastMainFamily === 4 || r.lastMainFamily === 6) &&
    counts(r.domains, MAX_COUNTS.domains) &&
    counts(r.requests, MAX_COUNTS.requests) &&
    counts(r.bytes, MAX_COUNTS.bytes) &&
    Array.isArray(r.ipv4OnlyThirdParties) &&
    r.ipv4OnlyThirdParties.every((d) => typeof d === 'string' && d.length <= MAX_HOST_LENGTH + 2);
  if (!ok) return undefined;
  let record = value as SiteRecord;
  // More third parties than a record keeps: the newest (first) are kept, the rest dropped.
  if (record.ipv4OnlyThirdParties.length > MAX_IPV4_ONLY_KEPT) record = { ...record, ipv4OnlyThirdParties: record.ipv4OnlyThirdParties.slice(0, MAX_IPV4_ONLY_KEPT) };
  if (record.lastReadiness !== undefined) {
    // A damaged verdict costs the verdict only, never the site's counts.
    try {
      checkedSiteReadiness(record.lastReadiness);
    } catch {
      const { lastReadiness: _damaged, ...rest } = record;
      record = rest;
    }
  }
  // Versions before hosts were normalised kept "cdn.example." as given: read as import takes it.
  const names = record.ipv4OnlyThirdParties.map((name) => normalizeHost(name) ?? name);
  return names.some((name, i) => name !== record.ipv4OnlyThirdParties[i]) ? { ...record, ipv4OnlyThirdParties: [...new Set(names)] } : record;
}

export interface MergePlan {
  /** Records to write (new sites, and sites where the file's record is the more recent). */
  write: SiteRecord[];
  /** Sites dropped to stay within the limit, least recently visited first. */
  evict: string[];
  added: number;
  replaced: number;
  unchanged: number;
}

/**
 * Merging an imported history: a site in both keeps whichever record has the later last visit
 * (so importing the same file twice changes nothing and an old file never overwrites newer data),
 * then the limit applies to the whole.
 */
export function planMerge(lastVisits: ReadonlyMap<string, number>, imported: readonly SiteRecord[], maxSites: number): MergePlan {
  const after = new Map(lastVisits);
  const write: SiteRecord[] = [];
  let added = 0;
  let replaced = 0;
  for (const record of imported) {
    const existing = lastVisits.get(record.site);
    if (existing === undefined) added++;
    else if (record.lastVisit > existing) replaced++;
    else continue;
    write.push(record);
    after.set(record.site, record.lastVisit);
  }
  const evict = sitesToEvict(after, maxSites);
  const evicted = new Set(evict);
  return { write: write.filter((record) => !evicted.has(record.site)), evict, added, replaced, unchanged: imported.length - added - replaced };
}
