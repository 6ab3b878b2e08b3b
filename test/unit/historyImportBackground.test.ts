/**
 * The background's side of an import (src/background/history.ts importHistory) over an in-memory
 * storage.local: it refuses what the history page refuses — whatever a page (or anything else
 * that can message the worker) sends — and then changes nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteRecord } from '../../src/core/history/siteRecord';

const stored = new Map<string, unknown>();

vi.mock('webextension-polyfill', () => {
  const area = {
    get: (keys: string | string[] | null) => {
      const wanted = keys === null ? [...stored.keys()] : typeof keys === 'string' ? [keys] : keys;
      return Promise.resolve(Object.fromEntries(wanted.filter((key) => stored.has(key)).map((key) => [key, structuredClone(stored.get(key))])));
    },
    set: (items: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(items)) stored.set(key, structuredClone(value));
      return Promise.resolve();
    },
    remove: (keys: string | string[]) => {
      for (const key of typeof keys === 'string' ? [keys] : keys) stored.delete(key);
      return Promise.resolve();
    },
  };
  return { default: { storage: { local: area, session: area }, tabs: { query: () => Promise.resolve([]) } } };
});

const { importHistory } = await import('../../src/background/history');
const { parseHistoryFile, historyExport } = await import('../../src/core/history/historyFile');
const { MAX_COUNTS } = await import('../../src/core/history/recordCheck');

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

beforeEach(() => stored.clear());

describe('importHistory in the background', () => {
  it('merges valid records (positive control)', async () => {
    expect(await importHistory({ records: [good('a.example'), good('b.example')] })).toEqual({ ok: true, added: 2, replaced: 0, unchanged: 0, evicted: 0 });
    expect([...stored.keys()].sort()).toEqual(['h:index', 'h:site:a.example', 'h:site:b.example']);
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
    await importHistory({ records: [good('kept.example')] });
    const before = new Map(stored);
    const bad = { ...good('c.example'), ...change };
    expect(await importHistory({ records: [good('d.example'), bad] })).toEqual({ ok: false, error: `malformed records: ${where}` });
    expect(stored).toEqual(before);
    // The page refuses a file holding the same record (fields the file cannot express aside).
    if (!('extra' in change)) expect(parseHistoryFile(JSON.stringify(historyExport([bad], NOW)), NOW).ok).toBe(false);
  });
});
