/**
 * The history import reads files IPvLens did not necessarily write (or wrote and someone damaged):
 * any text is accepted or refused with a reason, never a throw; an exported history imports back
 * as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTORY_FORMAT, HISTORY_VERSION, historyCsv, historyExport, parseHistoryFile, type ImportResult } from '../../../src/core/history/historyFile';
import { EARLIEST_VISIT, MAX_BLOCKING_KEPT, MAX_COUNTS } from '../../../src/core/history/recordCheck';
import { foldVisit, type SiteRecord, type Visit } from '../../../src/core/history/siteRecord';

const NOW = Date.UTC(2026, 11, 8, 12, 0, 0);
const REFUSAL_CODES = ['not-json', 'tab-report', 'foreign', 'newer-version', 'malformed', 'duplicate-site'];

/** Accepted with records, or refused with a known code (and, when malformed, the field named). */
function checkResult(result: ImportResult): void {
  if (result.ok) return;
  expect(REFUSAL_CODES).toContain(result.error.code);
  if (result.error.code === 'malformed') expect(result.error.where.length).toBeGreaterThan(0);
}

const host = fc.domain({ size: 'small' }).filter((name) => name.length <= 253);
const counts = (max: number) => fc.record({ v6: fc.integer({ min: 0, max }), v4: fc.integer({ min: 0, max }), unknown: fc.integer({ min: 0, max }) });
const verdict = fc.constantFrom('ready' as const, 'not-ready' as const, 'unknown' as const);
const readiness = fc.record({
  verdict,
  verdictNat64: verdict,
  score: fc.integer({ min: 0, max: 100 }),
  scoreWithPublished: fc.integer({ min: 0, max: 100 }),
  blockingThirdParties: fc.uniqueArray(host, { maxLength: Math.min(5, MAX_BLOCKING_KEPT) }),
});
const visitOf = (site: string) =>
  fc.record(
    {
      site: fc.constant(site),
      time: fc.integer({ min: EARLIEST_VISIT, max: NOW }),
      mainFamily: fc.constantFrom(4 as const, 6 as const, null),
      domains: counts(1000),
      requests: counts(MAX_COUNTS.requests / 10),
      bytes: counts(MAX_COUNTS.bytes / 10),
      ipv4OnlyThirdParties: fc.uniqueArray(host, { maxLength: 5 }),
      thirdPartiesWithIPv6: fc.uniqueArray(host, { maxLength: 3 }),
      readiness,
    },
    { requiredKeys: ['site', 'time', 'mainFamily', 'domains', 'requests', 'bytes', 'ipv4OnlyThirdParties', 'thirdPartiesWithIPv6'] },
  );
/** A site's record as recording folds it, over one to three visits. */
const siteRecord = host.chain((site) => fc.array(visitOf(site), { minLength: 1, maxLength: 3 })).map((visits: Visit[]) => visits.reduce<SiteRecord | undefined>(foldVisit, undefined) as SiteRecord);
const records = fc.uniqueArray(siteRecord, { maxLength: 6, selector: (record) => record.site });

/** A value in place of the field at `path` of a JSON value (a fresh copy). */
function replaced(value: unknown, path: readonly (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  if (typeof value !== 'object' || value === null) return value;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<string, unknown>;
  const [head, ...rest] = path;
  const keys = Object.keys(copy);
  const key = keys[Number(head) % Math.max(1, keys.length)];
  if (key !== undefined) copy[key] = replaced(copy[key], rest, by);
  return copy;
}

/** A guard, not a measure: long runs (FC_RUNS=20000 npm run test:properties) take minutes on a shared machine. */
const TIMEOUT_MS = Math.max(5_000, (fc.readConfigureGlobal().numRuns ?? 100) * 20);

describe('parseHistoryFile', { timeout: TIMEOUT_MS }, () => {
  it('any text: accepted, or refused with a reason — never a throw', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((value) => JSON.stringify(value))), (text) => checkResult(parseHistoryFile(text, NOW))));
  });

  it('a file of the right kind holding anything: accepted, or refused with a reason', () => {
    const file = fc.record({
      format: fc.oneof(fc.constant(HISTORY_FORMAT), fc.string()),
      version: fc.oneof(fc.constantFrom(1, 2, 3, 0, -1, 1.5), fc.jsonValue()),
      exportedAt: fc.oneof(fc.constant(new Date(NOW).toISOString()), fc.jsonValue()),
      sites: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 4 }), fc.jsonValue()),
    });
    fc.assert(fc.property(file, (value) => checkResult(parseHistoryFile(JSON.stringify(value), NOW))));
  });

  it('an exported file with one field replaced, or cut short: accepted, or refused with a reason', () => {
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue(), fc.nat(), (stored, path, by, cut) => {
        const exported = historyExport(stored, NOW);
        checkResult(parseHistoryFile(JSON.stringify(replaced(exported, path, by)), NOW));
        const text = JSON.stringify(exported);
        checkResult(parseHistoryFile(text.slice(0, cut % (text.length + 1)), NOW));
      }),
    );
  });

  it('export → import gives the records back, in JSON; the CSV has a row per site', () => {
    fc.assert(
      fc.property(records, (stored) => {
        const exported = historyExport(stored, NOW);
        const imported = parseHistoryFile(JSON.stringify(exported), NOW);
        const bySite = (list: readonly SiteRecord[]): SiteRecord[] => [...list].sort((a, b) => (a.site < b.site ? -1 : 1));
        // The file lists sites in its own order; as plain objects (the generated ones have no prototype).
        expect(imported.ok && bySite(imported.records)).toStrictEqual(JSON.parse(JSON.stringify(bySite(stored))) as unknown);
        expect(exported.version).toBe(HISTORY_VERSION);
        expect(historyCsv(exported).split('\r\n').filter((line) => line.startsWith('"')).length).toBeGreaterThanOrEqual(1 + stored.length);
      }),
    );
  });
});
