/**
 * The background's side of an import (src/background/history.ts importHistory) over an in-memory
 * storage.local: it refuses what the history page refuses — whatever a page (or anything else
 * that can message the worker) sends — and then changes nothing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createHistoryWriter, type HistoryWriter } from '../../src/background/history';
import { historyExport, parseHistoryFile } from '../../src/core/history/historyFile';
import { MAX_COUNTS } from '../../src/core/history/recordCheck';
import type { SiteRecord } from '../../src/core/history/siteRecord';
import { HISTORY_WRITE_FAILURE_KEY } from '../../src/core/history/writeFailure';
import { newDomainRecord, newPageView } from '../../src/core/tab/model';
import { KEYS, createStore } from '../../src/platform/storage';
import { createMemoryStorage, quotaError, type MemoryStorage } from '../support/memoryStorage';
import { readPackagedSuffixList } from '../support/packagedSuffixList';

let storage: MemoryStorage;
let writer: HistoryWriter;
const local = (): Record<string, unknown> => storage.contents('local');
const session = (): Record<string, unknown> => storage.contents('session');

const NOW = Date.now();
const DAY = 86_400_000;
const good = (site: string): SiteRecord => ({
  site,
  firstVisit: NOW - 3 * DAY,
  lastVisit: NOW - DAY,
  visits: 2,
  lastMainFamily: 4,
  domains: { v6: 0, v4: 2, unknown: 0 },
  requests: { v6: 0, v4: 9, unknown: 0 },
  bytes: { v6: 0, v4: 900, unknown: 0 },
  ipv4OnlyThirdParties: [],
});

beforeEach(() => {
  storage = createMemoryStorage();
  storage.seed('local', { [KEYS.historySettings.key]: { enabled: true, maxSites: 100 } });
  writer = createHistoryWriter(createStore(storage), () => Promise.resolve(true), readPackagedSuffixList, () => undefined);
});

describe('importHistory in the background', () => {
  it('merges valid records (positive control)', async () => {
    expect(await writer.importHistory({ records: [good('a.example'), good('b.example')] })).toEqual({ ok: true, added: 2, replaced: 0, unchanged: 0, evicted: 0 });
    expect(Object.keys(local()).sort()).toEqual(['h:index', 'h:site:a.example', 'h:site:b.example', 'historySettings']);
  });

  it.each<[string, Partial<SiteRecord> | Record<string, unknown>, string]>([
    ['a future visit', { lastVisit: NOW + 2 * DAY }, 'records[1].lastVisit'],
    ['a visit in 1990', { firstVisit: Date.UTC(1990, 0, 1) }, 'records[1].firstVisit'],
    ['2^53 requests', { requests: { v6: 0, v4: 2 ** 53, unknown: 0 } }, 'records[1].requests.v4'],
    ['bytes above the maximum', { bytes: { v6: MAX_COUNTS.bytes + 1, v4: 0, unknown: 0 } }, 'records[1].bytes.v6'],
    ['negative visits', { visits: -1 }, 'records[1].visits'],
    ['fractional domains', { domains: { v6: 0.5, v4: 0, unknown: 0 } }, 'records[1].domains.v6'],
    ['a trailing-dot site', { site: 'c.example.' }, 'records[1].site'],
    ['a site "__proto__" with an extra field', { site: '__proto__', extra: 1 }, 'records[1].extra'],
  ])('refuses %s, as the page does, and changes nothing', async (_name, change, where) => {
    await writer.importHistory({ records: [good('kept.example')] });
    const before = structuredClone(local());
    const bad = { ...good('c.example'), ...change };
    expect(await writer.importHistory({ records: [good('d.example'), bad] })).toEqual({ ok: false, error: `malformed records: ${where}` });
    expect(local()).toEqual(before);
    // The page refuses a file holding the same record (fields the file cannot express aside).
    if (!('extra' in change)) expect(parseHistoryFile(JSON.stringify(historyExport([bad], NOW)), NOW).ok).toBe(false);
  });
});

/** A finished page view of `host` that one IPv4 answer came to. */
function finishedView(host: string) {
  const view = newPageView({ id: `v-${host}`, url: `https://${host}/`, mainDomain: host, committed: true, partial: false, startedAt: NOW - 1000 });
  const record = newDomainRecord(host, NOW - 1000);
  record.requests = 1;
  record.addresses['192.0.2.1'] = { family: 4, responses: 1, cached: 0, bytes: 0, unsized: 0, firstSeen: NOW, lastSeen: NOW };
  record.primary = '192.0.2.1';
  view.domains.set(host, record);
  return { tabId: 1, view };
}

const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('a history write the browser refuses', () => {
  it('is noted for the pages (visits lost, the reason) and cleared by the next write that succeeds', async () => {
    storage.rejectNext({ area: 'local', op: 'set' }, quotaError());
    await writer.recordFinishedViews([finishedView('a.example'), finishedView('b.example')]);
    expect(session()[HISTORY_WRITE_FAILURE_KEY]).toMatchObject({ visits: 2, error: expect.stringContaining('QUOTA_BYTES') as unknown });
    storage.rejectNext({ area: 'local', op: 'set' }, quotaError());
    await writer.recordFinishedViews([finishedView('c.example')]);
    await until(() => (session()[HISTORY_WRITE_FAILURE_KEY] as { visits: number } | undefined)?.visits === 3);
    expect(local()['h:site:c.example']).toBeUndefined();

    await writer.recordFinishedViews([finishedView('d.example')]);
    await until(() => !(HISTORY_WRITE_FAILURE_KEY in session()));
    expect(local()['h:site:d.example']).toBeDefined();
  });
});
