/**
 * Limits of a history import: the file's size (checked before reading), dates and counts, the
 * page and the background refusing the same records with the same check, a file under the size
 * limit always fitting one message to the background, and the largest record IPvLens can store.
 */
import { describe, expect, it } from 'vitest';
import { historyCsv, historyExport, importSizeError, MAX_IMPORT_BYTES, parseHistoryFile } from '../../src/core/history/historyFile';
import { checkedSiteRecords, EARLIEST_VISIT, FUTURE_MARGIN_MS, MAX_COUNTS, MAX_BLOCKING_KEPT, MAX_HOST_LENGTH, MAX_IPV4_ONLY_KEPT } from '../../src/core/history/recordCheck';
import { foldVisit, type SiteRecord } from '../../src/core/history/siteRecord';
import { siteStorageKey } from '../../src/core/history/historyStore';
import { failedWrite, historyWriteFailureFrom, newWriteFailures, succeededWrite } from '../../src/core/history/writeFailure';

const NOW = Date.UTC(2026, 10, 30, 12);
const DAY = 86_400_000;
/** Chrome refuses a runtime message whose JSON is longer than this. */
const CHROME_MESSAGE_CAP = 64 * 1024 * 1024;

const base = (): SiteRecord => ({
  site: 'example.com',
  firstVisit: NOW - 10 * DAY,
  lastVisit: NOW - DAY,
  visits: 3,
  lastMainFamily: 6,
  domains: { v6: 4, v4: 2, unknown: 0 },
  requests: { v6: 40, v4: 10, unknown: 1 },
  bytes: { v6: 4000, v4: 1000, unknown: 0 },
  ipv4OnlyThirdParties: ['ads.example.net'],
});

/** Where the history page refuses a file holding this record ('ok' if it takes it). */
function pageVerdict(record: SiteRecord): string {
  const parsed = parseHistoryFile(JSON.stringify(historyExport([record], NOW)), NOW);
  if (parsed.ok) return 'ok';
  return parsed.error.code === 'malformed' ? parsed.error.where.replace(/^sites\[0\]\./, '') : parsed.error.code;
}

/** Where the background refuses the record sent to it (as JSON, like a message). */
function backgroundVerdict(record: unknown): string {
  const checked = checkedSiteRecords(JSON.parse(JSON.stringify([record])) as unknown, NOW);
  return checked.ok ? 'ok' : checked.where.replace(/^records\[0\]\.?/, '');
}

describe('import size limit', () => {
  it.each<[number, boolean]>([
    [0, false],
    [1_000_000, false],
    [MAX_IMPORT_BYTES, false],
    [MAX_IMPORT_BYTES + 1, true],
    [100_000_000, true],
  ])('a file of %i bytes refused: %s', (size, refused) => {
    expect(importSizeError(size)).toEqual(refused ? { code: 'too-large', size, max: MAX_IMPORT_BYTES } : undefined);
  });

  it('a file just under the limit always fits one message to the background', () => {
    // The worst case for growth from file to message: the shortest sites with every count at its
    // maximum written as "1e15" (4 characters in the file, 16 once parsed and sent). Size grows
    // linearly with the number of sites, so a sample gives the ratio for a full file.
    const site = (n: number) =>
      `{"site":"${n.toString(36)}","firstVisit":"2000-01-01T00:00:00Z","lastVisit":"2000-01-01T00:00:00Z","visits":1e9,"lastMainFamily":"IPv4",` +
      `"domainsLastVisit":{"v6":1e7,"v4":1e7,"unknown":1e7},"requests":{"v6":1e12,"v4":1e12,"unknown":1e12},` +
      `"bytes":{"v6":1e15,"v4":1e15,"unknown":1e15},"ipv6Readiness":null,"ipv4OnlyThirdParties":[]}`;
    const text = `{"format":"ipvlens-site-history","version":1,"exportedAt":"2026-11-30T00:00:00Z","sites":[${Array.from({ length: 5000 }, (_, n) => site(n)).join(',')}]}`;
    const parsed = parseHistoryFile(text, NOW);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    const message = JSON.stringify({ message: 'historyImport', request: { records: parsed.records } });
    const growth = message.length / text.length;
    console.log(`file → message growth, worst case: ${growth.toFixed(3)} (${Math.round(growth * MAX_IMPORT_BYTES)} bytes for a ${MAX_IMPORT_BYTES}-byte file)`);
    expect(growth).toBeGreaterThan(1);
    expect(growth * MAX_IMPORT_BYTES).toBeLessThan(CHROME_MESSAGE_CAP);
  });
});

describe('dates and counts: the page and the background refuse the same records', () => {
  it.each<[string, (r: SiteRecord) => void, string]>([
    ['a valid record (control)', () => undefined, 'ok'],
    ['last visit a day ahead of the clock', (r) => (r.lastVisit = NOW + FUTURE_MARGIN_MS), 'ok'],
    ['last visit more than a day ahead', (r) => (r.lastVisit = NOW + FUTURE_MARGIN_MS + 1000), 'lastVisit'],
    ['first visit in the year 9999', (r) => ((r.firstVisit = Date.UTC(9999, 0, 1)), (r.lastVisit = r.firstVisit)), 'firstVisit'],
    ['first visit on 2000-01-01', (r) => (r.firstVisit = EARLIEST_VISIT), 'ok'],
    ['first visit in 1999', (r) => (r.firstVisit = EARLIEST_VISIT - 1000), 'firstVisit'],
    ['first visit at 1970', (r) => (r.firstVisit = 0), 'firstVisit'],
    ['visits at the maximum', (r) => (r.visits = MAX_COUNTS.visits), 'ok'],
    ['visits above the maximum', (r) => (r.visits = MAX_COUNTS.visits + 1), 'visits'],
    ['visits 2^53', (r) => (r.visits = 2 ** 53), 'visits'],
    ['zero visits', (r) => (r.visits = 0), 'visits'],
    ['requests at the maximum', (r) => (r.requests.v4 = MAX_COUNTS.requests), 'ok'],
    ['requests above the maximum', (r) => (r.requests.v4 = MAX_COUNTS.requests + 1), 'requests.v4'],
    ['negative requests', (r) => (r.requests.unknown = -1), 'requests.unknown'],
    ['fractional requests', (r) => (r.requests.v6 = 2.5), 'requests.v6'],
    ['bytes at the maximum', (r) => (r.bytes.v6 = MAX_COUNTS.bytes), 'ok'],
    ['bytes above the maximum', (r) => (r.bytes.v6 = MAX_COUNTS.bytes + 1), 'bytes.v6'],
    ['bytes of 1e300', (r) => (r.bytes.v4 = 1e300), 'bytes.v4'],
    ['infinite bytes (null in JSON)', (r) => (r.bytes.v4 = Infinity), 'bytes.v4'],
    ['negative domains', (r) => (r.domains.v6 = -3), 'domains.v6'],
    ['domains above the maximum', (r) => (r.domains.v4 = MAX_COUNTS.domains + 1), 'domains.v4'],
    ['a trailing-dot site', (r) => (r.site = 'example.com.'), 'site'],
    ['a site in capitals', (r) => (r.site = 'Example.com'), 'site'],
    ['a site longer than DNS allows', (r) => (r.site = `${'a'.repeat(MAX_HOST_LENGTH)}.com`), 'site'],
    ['a site "=1+1" (a legal URL host)', (r) => (r.site = '=1+1'), 'ok'],
    ['a site "-x.v4.test" (a legal URL host)', (r) => (r.site = '-x.v4.test'), 'ok'],
    ['a trailing-dot third party', (r) => (r.ipv4OnlyThirdParties = ['ok.example', 'cdn.example.']), 'ipv4OnlyThirdParties[1]'],
    ['too many third parties', (r) => (r.ipv4OnlyThirdParties = Array.from({ length: MAX_IPV4_ONLY_KEPT + 1 }, (_, i) => `t${i}.example`)), 'ipv4OnlyThirdParties'],
  ])('%s → %s', (_name, change, where) => {
    const record = base();
    change(record);
    expect(backgroundVerdict(record)).toBe(where);
    expect(pageVerdict(record)).toBe(where === 'domains.v6' || where === 'domains.v4' ? where.replace('domains', 'domainsLastVisit') : where);
  });

  it.each<[string, (r: Record<string, unknown>) => void, string]>([
    ['a fractional time', (r) => (r.firstVisit = NOW - DAY - 0.5), 'firstVisit'],
    ['a time as text', (r) => (r.lastVisit = '2026-11-29T00:00:00Z'), 'lastVisit'],
    ['a family of 5', (r) => (r.lastMainFamily = 5), 'lastMainFamily'],
    ['an unknown field', (r) => (r.note = 'x'), 'note'],
    ['an unknown count', (r) => ((r.requests as Record<string, number>).v5 = 1), 'requests.v5'],
    ['a third party that is not text', (r) => (r.ipv4OnlyThirdParties = [7]), 'ipv4OnlyThirdParties[0]'],
    ['not a record', (r) => Object.keys(r).forEach((key) => delete r[key]), 'site'],
  ])('the background alone (no file can say it): %s → %s', (_name, change, where) => {
    const record = base() as unknown as Record<string, unknown>;
    change(record);
    expect(backgroundVerdict(record)).toBe(where);
  });

  it('refuses the whole message for one bad record among good ones, naming it', () => {
    const bad = { ...base(), site: 'b.example', visits: -1 };
    expect(checkedSiteRecords([base(), bad], NOW)).toEqual({ ok: false, where: 'records[1].visits' });
    expect(checkedSiteRecords('x', NOW)).toEqual({ ok: false, where: 'records' });
    expect(checkedSiteRecords([null], NOW)).toEqual({ ok: false, where: 'records[0]' });
    expect(checkedSiteRecords([base()], NOW)).toEqual({ ok: true, records: [base()] });
  });

  it('a record folded past the maxima stays at them, so its export still imports', () => {
    const huge = { ...base(), visits: MAX_COUNTS.visits, requests: { v6: MAX_COUNTS.requests, v4: 0, unknown: 0 }, bytes: { v6: MAX_COUNTS.bytes, v4: 0, unknown: 0 } };
    const folded = foldVisit(huge, { site: huge.site, time: NOW - 1000, mainFamily: 6, domains: { v6: 1, v4: 0, unknown: 0 }, requests: { v6: 5, v4: 1, unknown: 0 }, bytes: { v6: 500, v4: 0, unknown: 0 }, ipv4OnlyThirdParties: [], thirdPartiesWithIPv6: [] });
    expect([folded.visits, folded.requests.v6, folded.requests.v4, folded.bytes.v6]).toEqual([MAX_COUNTS.visits, MAX_COUNTS.requests, 1, MAX_COUNTS.bytes]);
    expect(pageVerdict(folded)).toBe('ok');
  });
});

describe('history CSV', () => {
  it('neutralises a formula site and third party', () => {
    const record = { ...base(), site: '=1+1', ipv4OnlyThirdParties: ['-x.v4.test'] };
    const lines = historyCsv(historyExport([record], NOW)).split('\r\n');
    expect(lines[1]?.startsWith(`"'=1+1",`)).toBe(true);
    expect(lines[1]?.includes(`,"'-x.v4.test",`)).toBe(true);
    // Positive control: an ordinary site is written as is (quoted, as every text).
    expect(historyCsv(historyExport([base()], NOW)).split('\r\n')[1]?.startsWith('"example.com",')).toBe(true);
  });
});

describe('the largest record IPvLens can store', () => {
  it('is measured: a 253-character site with 50 IPv4-only and 50 blocking third parties of 253 characters and every count at its maximum', () => {
    const name = (n: number) => `${n.toString().padStart(3, '0')}${'a'.repeat(MAX_HOST_LENGTH - 3)}`;
    const record: SiteRecord = {
      site: name(999),
      firstVisit: NOW,
      lastVisit: NOW,
      visits: MAX_COUNTS.visits,
      lastMainFamily: 6,
      domains: { v6: MAX_COUNTS.domains, v4: MAX_COUNTS.domains, unknown: MAX_COUNTS.domains },
      requests: { v6: MAX_COUNTS.requests, v4: MAX_COUNTS.requests, unknown: MAX_COUNTS.requests },
      bytes: { v6: MAX_COUNTS.bytes, v4: MAX_COUNTS.bytes, unknown: MAX_COUNTS.bytes },
      ipv4OnlyThirdParties: Array.from({ length: MAX_IPV4_ONLY_KEPT }, (_, i) => name(i)),
      lastReadiness: { verdict: 'not-ready', verdictNat64: 'not-ready', score: 100, scoreWithPublished: 100, blockingThirdParties: Array.from({ length: MAX_BLOCKING_KEPT }, (_, i) => name(100 + i)) },
    };
    expect(backgroundVerdict(record)).toBe('ok');
    // chrome.storage counts a key's length plus its value's JSON.
    const bytes = siteStorageKey(record.site).length + JSON.stringify(record).length;
    // 26,585 bytes as measured here (README: the history's size).
    expect(bytes).toBeGreaterThan(26_000);
    expect(bytes).toBeLessThan(27_000);
    // 20,000 such sites are 273 MB: far beyond storage.local's 10 MB without unlimitedStorage.
    expect(bytes * 20_000).toBeGreaterThan(10 * 1024 * 1024);
  });
});

describe('the note of a history write the browser refused', () => {
  it.each<[unknown, boolean]>([
    [{ time: NOW, visits: 3, error: 'QUOTA_BYTES quota exceeded' }, true],
    [{ time: NOW, visits: 0, error: '' }, true],
    [{ time: NOW, visits: -1, error: 'x' }, false],
    [{ time: NOW, visits: 1.5, error: 'x' }, false],
    [{ time: 'now', visits: 1, error: 'x' }, false],
    [{ time: NOW, visits: 1 }, false],
    [null, false],
    ['x', false],
  ])('%j is a note: %s', (stored, valid) => {
    expect(historyWriteFailureFrom(stored)).toEqual(valid ? stored : undefined);
  });
});

describe('refused history writes, as the background counts them', () => {
  it('add up the visits lost since the first refusal, until a write succeeds', () => {
    const failures = newWriteFailures();
    // A new worker's first success removes any note an earlier worker left.
    expect(succeededWrite(failures)).toBe(true);
    expect(succeededWrite(failures)).toBe(false);
    expect(failedWrite(failures, new Error('QUOTA_BYTES quota exceeded'), 2, NOW)).toEqual({ time: NOW, visits: 2, error: 'Error: QUOTA_BYTES quota exceeded' });
    expect(failedWrite(failures, 'again', 1, NOW + 5000)).toEqual({ time: NOW, visits: 3, error: 'again' });
    expect(succeededWrite(failures)).toBe(true);
    expect(succeededWrite(failures)).toBe(false);
    expect(failedWrite(failures, 'later', 4, NOW + 9000)).toEqual({ time: NOW + 9000, visits: 4, error: 'later' });
  });
});
