/**
 * The background's side of an import (src/background/history.ts importHistory) over an in-memory
 * storage.local: it refuses what the history page refuses — whatever a page (or anything else
 * that can message the worker) sends — and then changes nothing.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SiteRecord } from '../../src/core/history/siteRecord';

const stored = new Map<string, unknown>();
const session = new Map<string, unknown>();
/** Set to make storage.local refuse writes, as a full quota does. */
const refuse: { error: string | undefined } = { error: undefined };

vi.mock('webextension-polyfill', () => {
  const areaOf = (stored: Map<string, unknown>, refusing: boolean) => ({
    get: (keys: string | string[] | null) => {
      const wanted = keys === null ? [...stored.keys()] : typeof keys === 'string' ? [keys] : keys;
      return Promise.resolve(Object.fromEntries(wanted.filter((key) => stored.has(key)).map((key) => [key, structuredClone(stored.get(key))])));
    },
    set: (items: Record<string, unknown>) => {
      if (refusing && refuse.error !== undefined) return Promise.reject(new Error(refuse.error));
      for (const [key, value] of Object.entries(items)) stored.set(key, structuredClone(value));
      return Promise.resolve();
    },
    remove: (keys: string | string[]) => {
      for (const key of typeof keys === 'string' ? [keys] : keys) stored.delete(key);
      return Promise.resolve();
    },
  });
  const tabs = { query: () => Promise.resolve([{ id: 1, incognito: false }]) };
  return { default: { storage: { local: areaOf(stored, true), session: areaOf(session, false) }, tabs } };
});

const { applyHistorySettingsChange, importHistory, recordFinishedViews } = await import('../../src/background/history');
const { HISTORY_WRITE_FAILURE_KEY } = await import('../../src/core/history/writeFailure');
const { HISTORY_SETTINGS_KEY } = await import('../../src/core/history/settings');
const { newPageView, newDomainRecord } = await import('../../src/core/model');
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

beforeEach(() => {
  stored.clear();
  session.clear();
  refuse.error = undefined;
});

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
    // As the storage listener passes a settings change on (the module keeps the settings it read).
    applyHistorySettingsChange({ [HISTORY_SETTINGS_KEY]: { newValue: { enabled: true, maxSites: 100 } } }, 'local');
    refuse.error = 'QUOTA_BYTES quota exceeded';
    recordFinishedViews([finishedView('a.example'), finishedView('b.example')]);
    await until(() => session.has(HISTORY_WRITE_FAILURE_KEY));
    expect(session.get(HISTORY_WRITE_FAILURE_KEY)).toMatchObject({ visits: 2, error: 'Error: QUOTA_BYTES quota exceeded' });
    recordFinishedViews([finishedView('c.example')]);
    await until(() => (session.get(HISTORY_WRITE_FAILURE_KEY) as { visits: number }).visits === 3);
    expect(stored.has('h:site:c.example')).toBe(false);

    refuse.error = undefined;
    recordFinishedViews([finishedView('d.example')]);
    await until(() => !session.has(HISTORY_WRITE_FAILURE_KEY));
    expect(stored.has('h:site:d.example')).toBe(true);
  });
});
