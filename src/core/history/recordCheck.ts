/**
 * What a site record may hold: the one check for records read from an imported file (the history
 * page) and for records that reach the background to be merged, so the background never accepts
 * what the page would refuse. Recording uses the same rules, so a record IPvLens stores is always
 * one its own import accepts.
 */
import type { FamilyCounts } from '../live/share';
import type { SiteReadiness, SiteRecord } from './siteRecord';

/** IPv4-only third-party domains kept per site, newest first: bounds a record's size. */
export const MAX_IPV4_ONLY_KEPT = 50;
/** Third parties that blocked the last visit on an IPv6-only network, kept per site. */
export const MAX_BLOCKING_KEPT = 50;

const VERDICTS: readonly unknown[] = ['ready', 'not-ready', 'unknown'];

/** No visit before IPvLens could exist: an earlier date is a damaged or made-up file. */
export const EARLIEST_VISIT = Date.UTC(2000, 0, 1);
/** Dates up to a day ahead of this machine's clock are taken (another machine's clock may run ahead). */
export const FUTURE_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * Largest counts a record may hold. Far above anything a browser can record (a billion visits;
 * a trillion requests is 30 years at 1,000 a second; a petabyte is 250 years at 1 Gbit/s), and
 * low enough that sums of two stay exact integers (below 2^53 ≈ 9e15).
 */
export const MAX_COUNTS = Object.freeze({ visits: 1e9, domains: 1e7, requests: 1e12, bytes: 1e15 });

/** DNS names are at most 253 characters; longer hosts cannot be resolved, so none is ever recorded. */
export const MAX_HOST_LENGTH = 253;

/**
 * Characters a URL's host can hold once the URL parser is done with it (lower case; WHATWG URL
 * forbids the others; `%` for Chrome's escapes), so names such as "-x.example" or "=1+1" — legal
 * for the URL parser — are kept and imported like any other.
 */
const HOST_TEXT = /^[a-z0-9!"$%&'()*+,\-.;=_`{}~]+$/;
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/;

/** A host as hostOf and siteOf produce it (normalised: lower case, no trailing dot). */
export function isHistoryHost(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_HOST_LENGTH + 2) return false;
  if (IPV6_LITERAL.test(value)) return true;
  return value.length <= MAX_HOST_LENGTH && HOST_TEXT.test(value) && !value.endsWith('.');
}

/** The first field of a record that is not valid, as a path ("requests.v4", "ipv4OnlyThirdParties[2]"). */
export class RecordFault extends Error {
  constructor(readonly field: string) {
    super(field);
  }
}

type Fields = Record<string, unknown>;

const RECORD_KEYS: readonly (keyof SiteRecord)[] = ['site', 'firstVisit', 'lastVisit', 'visits', 'lastMainFamily', 'domains', 'requests', 'bytes', 'ipv4OnlyThirdParties', 'lastReadiness'];
const READINESS_KEYS: readonly (keyof SiteReadiness)[] = ['verdict', 'verdictNat64', 'score', 'scoreWithPublished', 'blockingThirdParties'];

function countAt(value: unknown, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new RecordFault(field);
  return value;
}

function countsAt(value: unknown, max: number, field: string): FamilyCounts {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordFault(field);
  const fields = value as Fields;
  for (const key of Object.keys(fields)) if (key !== 'v6' && key !== 'v4' && key !== 'unknown') throw new RecordFault(`${field}.${key}`);
  return { v6: countAt(fields.v6, max, `${field}.v6`), v4: countAt(fields.v4, max, `${field}.v4`), unknown: countAt(fields.unknown, max, `${field}.unknown`) };
}

function hostsAt(value: unknown, max: number, field: string): string[] {
  if (!Array.isArray(value) || value.length > max) throw new RecordFault(field);
  value.forEach((host, index) => {
    if (!isHistoryHost(host)) throw new RecordFault(`${field}[${index}]`);
  });
  return [...(value as string[])];
}

/** A last visit's verdicts checked field by field (a fresh copy), or a RecordFault. */
export function checkedSiteReadiness(value: unknown, field = 'lastReadiness'): SiteReadiness {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordFault(field);
  const fields = value as Fields;
  for (const key of Object.keys(fields)) if (!(READINESS_KEYS as readonly string[]).includes(key)) throw new RecordFault(`${field}.${key}`);
  if (!VERDICTS.includes(fields.verdict)) throw new RecordFault(`${field}.verdict`);
  if (!VERDICTS.includes(fields.verdictNat64)) throw new RecordFault(`${field}.verdictNat64`);
  const score = countAt(fields.score, 100, `${field}.score`);
  const scoreWithPublished = countAt(fields.scoreWithPublished, 100, `${field}.scoreWithPublished`);
  const blockingThirdParties = hostsAt(fields.blockingThirdParties, MAX_BLOCKING_KEPT, `${field}.blockingThirdParties`);
  return { verdict: fields.verdict as SiteReadiness['verdict'], verdictNat64: fields.verdictNat64 as SiteReadiness['verdictNat64'], score, scoreWithPublished, blockingThirdParties };
}

function timeAt(value: unknown, now: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < EARLIEST_VISIT || value > now + FUTURE_MARGIN_MS) throw new RecordFault(field);
  return value;
}

/**
 * A site record checked field by field (a fresh copy: nothing of the input is kept), or a
 * RecordFault naming the first bad field. `now` bounds the dates.
 */
export function checkedSiteRecord(value: unknown, now: number): SiteRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordFault('');
  const fields = value as Fields;
  for (const key of Object.keys(fields)) if (!(RECORD_KEYS as readonly string[]).includes(key)) throw new RecordFault(key);
  if (!isHistoryHost(fields.site)) throw new RecordFault('site');
  const firstVisit = timeAt(fields.firstVisit, now, 'firstVisit');
  const lastVisit = timeAt(fields.lastVisit, now, 'lastVisit');
  if (lastVisit < firstVisit) throw new RecordFault('lastVisit');
  const visits = countAt(fields.visits, MAX_COUNTS.visits, 'visits');
  if (visits < 1) throw new RecordFault('visits');
  const family = fields.lastMainFamily;
  if (family !== null && family !== 4 && family !== 6) throw new RecordFault('lastMainFamily');
  const domains = countsAt(fields.domains, MAX_COUNTS.domains, 'domains');
  const requests = countsAt(fields.requests, MAX_COUNTS.requests, 'requests');
  const bytes = countsAt(fields.bytes, MAX_COUNTS.bytes, 'bytes');
  const ipv4OnlyThirdParties = hostsAt(fields.ipv4OnlyThirdParties, MAX_IPV4_ONLY_KEPT, 'ipv4OnlyThirdParties');
  const record: SiteRecord = { site: fields.site, firstVisit, lastVisit, visits, lastMainFamily: family, domains, requests, bytes, ipv4OnlyThirdParties };
  // Absent in records and files from before the verdicts (history file version 1).
  if (fields.lastReadiness !== undefined) record.lastReadiness = checkedSiteReadiness(fields.lastReadiness);
  return record;
}

/**
 * Records sent for merging (the background's side of an import): all valid, or the first bad
 * one's place ("records[3].visits") and nothing taken.
 */
export function checkedSiteRecords(values: unknown, now: number): { ok: true; records: SiteRecord[] } | { ok: false; where: string } {
  if (!Array.isArray(values)) return { ok: false, where: 'records' };
  const records: SiteRecord[] = [];
  for (let index = 0; index < values.length; index++) {
    try {
      records.push(checkedSiteRecord(values[index], now));
    } catch (error) {
      if (!(error instanceof RecordFault)) throw error;
      return { ok: false, where: error.field === '' ? `records[${index}]` : `records[${index}].${error.field}` };
    }
  }
  return { ok: true, records };
}

/** A count after adding, held at its maximum so a stored record never exceeds what import accepts. */
export const cappedSum = (a: number, b: number, max: number): number => Math.min(max, a + b);
