/**
 * The request-log codecs (requestCodec.ts, requestStore.ts): what they write reads back the same,
 * cut marks included; whatever storage holds, a restore never throws, lists a bounded number of
 * parts per chunk, and keeps the entries of undamaged parts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequestChunk, encodeRequestChunk, requestPartKey } from '../../../src/core/requests/requestCodec';
import { REQUEST_CHUNK_SIZE, liveChunks, logEntries, storedParts } from '../../../src/core/requests/requestLog';
import { MAX_APPEND_SPAN } from '../../../src/core/requests/requestStore';
import { restoreTracker, storageWrites } from '../../../src/core/session/persisted';
import { drainChanges } from '../../../src/core/tab/tracker';
import { load, navigate, newTracker } from '../trackerEvents';
import { chunkOfEntries } from './requestArbitraries';

const BASE = 1_700_000_000_000;

describe('request chunks', () => {
  it('round-trip generated entries, cut marks included', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }).chain((chunk) => fc.tuple(fc.constant(chunk), chunkOfEntries(chunk, BASE), fc.nat({ max: 100 }))), ([chunk, entries, since]) => {
        const decoded = decodeRequestChunk(encodeRequestChunk(entries, BASE, since), BASE, chunk);
        expect(decoded).toEqual(entries);
      }),
    );
  });

  it('never throw on any stored value, and keep only entries of their own chunk', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value)), fc.string(), fc.anything()), fc.nat({ max: 10 }), (stored, chunk) => {
        const decoded = decodeRequestChunk(stored, BASE, chunk);
        if (decoded !== undefined) for (const entry of decoded) expect(Math.floor(entry.seq / REQUEST_CHUNK_SIZE)).toBe(chunk);
      }),
    );
  });
});

/** A stored tab with `requests` requests in its log; its storage and view id. */
function storedLog(requests: number): { storage: Record<string, unknown>; viewId: string; ids: string[] } {
  const t = newTracker('v');
  navigate(t, 1, 'https://page.example/', '2001:db8::1', 'doc');
  for (let i = 1; i < requests; i++) load(t, `https://cdn.example/${i}`, '192.0.2.1', { documentId: 'doc' });
  const { set } = storageWrites(t, drainChanges(t));
  const view = t.tabs.get(1)?.current;
  const log = view === undefined ? undefined : t.requestLogs.get(view);
  return { storage: { ...set }, viewId: view?.id ?? '', ids: log === undefined ? [] : logEntries(log).map((entry) => entry.requestId) };
}

const damagedValue = fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value)), fc.anything(), fc.constant('[]'));
const damagedSlot = fc.oneof(fc.nat({ max: 20 }), fc.integer({ min: 21, max: Number.MAX_SAFE_INTEGER }), fc.constant(1e9));

describe('a restore of damaged request-log parts', () => {
  it('never throws, lists a bounded number of parts, and keeps the entries of the undamaged ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.tuple(fc.nat({ max: 5 }), damagedSlot, damagedValue), { maxLength: 8 }), (requests, damages) => {
        const { storage, viewId, ids } = storedLog(requests);
        for (const [chunk, slot, value] of damages) {
          const key = requestPartKey(1, viewId, chunk, slot);
          if (!(key in storage)) storage[key] = value;
        }
        const t = newTracker('w');
        restoreTracker(t, storage, new Set([1]));
        const view = t.tabs.get(1)?.current;
        const log = view === undefined ? undefined : t.requestLogs.get(view);
        expect(view?.domains.has('page.example')).toBe(true);
        expect(log).toBeDefined();
        if (log === undefined) return;
        for (const chunk of liveChunks(log)) expect(storedParts(log, chunk).length).toBeLessThanOrEqual(MAX_APPEND_SPAN + 1);
        const restored = new Set(logEntries(log).map((entry) => entry.requestId));
        for (const id of ids) expect(restored.has(id), id).toBe(true);
      }),
    );
  }, 120_000);
});
