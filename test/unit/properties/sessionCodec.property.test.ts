/**
 * The session codecs (sessionCodec.ts, liveCodec.ts, codecParts.ts, persisted.ts's restore): the
 * entries written for generated tabs restore the same domain records and live state; damaged or
 * arbitrary entries never make a restore throw or list an unbounded number of parts, and the tabs
 * whose entries were not touched are restored whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveChunks, logEntries, storedParts } from '../../../src/core/requests/requestLog';
import { MAX_APPEND_SPAN } from '../../../src/core/requests/requestStore';
import { restoreTracker, storageWrites } from '../../../src/core/session/persisted';
import { drainChanges, onRequestEnded, onRequestStarted, onResponseStarted, type Tracker } from '../../../src/core/tab/tracker';
import { navigate, newTracker, request, response } from '../trackerEvents';

const HOSTS = ['a.example', 'cdn.example', 'xn--bcher-kva.example', '__proto__', 'x.test'];
const IPS = ['192.0.2.1', '2001:db8::1', '::ffff:192.0.2.9', '64:ff9b::c000:221', undefined];

type Step = [tab: 1 | 2, host: number, ip: number, cached: boolean, failed: boolean, status: number];
const step: fc.Arbitrary<Step> = fc.tuple(fc.constantFrom<1 | 2>(1, 2), fc.nat({ max: HOSTS.length - 1 }), fc.nat({ max: IPS.length - 1 }), fc.boolean(), fc.boolean(), fc.constantFrom(200, 204, 404, 500));

/** Two tabs, each a committed page, then the generated requests. */
function trackerOf(steps: readonly Step[]): Tracker {
  const t = newTracker('v');
  navigate(t, 1, 'https://one.example/', '2001:db8::10', 'doc1');
  navigate(t, 2, 'https://two.example/', '192.0.2.20', 'doc2');
  steps.forEach(([tabId, host, ip, cached, failed, statusCode], n) => {
    const req = request(`https://${HOSTS[host]}/${n}`, { tabId, documentId: `doc${tabId}` });
    onRequestStarted(t, req);
    if (!failed) onResponseStarted(t, response(req, IPS[ip], { fromCache: cached, statusCode }));
    onRequestEnded(t, { ...req, error: failed ? 'net::ERR_FAILED' : undefined }, failed);
  });
  return t;
}

/** What storage.session holds after one write: JSON text values, as the browser gives them back. */
function stored(t: Tracker): Record<string, unknown> {
  return JSON.parse(JSON.stringify(storageWrites(t, drainChanges(t)).set)) as Record<string, unknown>;
}

/** A tab as compared: its views' ids, domain records and live state, and its log's entries. */
function tabShape(t: Tracker, tabId: number): unknown {
  const tab = t.tabs.get(tabId);
  if (tab === undefined) return undefined;
  const views = [tab.current, tab.previous].flatMap((view) => (view === undefined ? [] : [view]));
  return views.map((view) => {
    const log = t.requestLogs.get(view);
    return {
      id: view.id,
      url: view.url,
      domains: JSON.parse(JSON.stringify([...view.domains.entries()].sort(([a], [b]) => a.localeCompare(b)))) as unknown,
      live: JSON.parse(JSON.stringify(view.live)) as unknown,
      requests: log === undefined ? [] : logEntries(log),
    };
  });
}

function restored(storage: Record<string, unknown>): Tracker {
  const t = newTracker('w');
  restoreTracker(t, storage, new Set([1, 2]));
  return t;
}

describe('session entries', () => {
  it('round-trip the domain records, live state and request logs of generated tabs', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const t = trackerOf(steps);
        const back = restored(stored(t));
        for (const tabId of [1, 2]) expect(tabShape(back, tabId)).toEqual(tabShape(t, tabId));
      }),
    );
  }, 120_000);

  const damagedValue = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.anything(),
    // Numbers where counts and indexes are read: out of range in every way JSON can say.
    fc.array(fc.oneof(fc.integer(), fc.double(), fc.constant(1e9), fc.constant(-1), fc.constant(0.5)), { maxLength: 20 }).map((values) => JSON.stringify(values)),
  );
  const damagedKey = fc.oneof(
    fc.tuple(fc.constantFrom('t:2', 'd:2:', 'l:2:', 'r:2:', 'a:', 't:3', 'd:3:', 'r:'), fc.string({ maxLength: 30 })).map(([prefix, rest]) => prefix + rest),
    fc.string({ maxLength: 20 }),
  );

  it('a restore of damaged entries never throws, stays bounded, and keeps the undamaged tab', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), damagedValue), { maxLength: 6 }),
        fc.array(fc.tuple(damagedKey, damagedValue), { maxLength: 6 }),
        (steps, replaced, added) => {
          const t = trackerOf(steps);
          const storage = stored(t);
          const second = Object.keys(storage).filter((key) => /^[tdlr]:2(?::|$)/.test(key));
          for (const [index, value] of replaced) if (second.length > 0) storage[second[index % second.length] ?? ''] = value;
          for (const [key, value] of added) if (!(key in storage) && !/^[tdlr]:1(?::|$)/.test(key)) storage[key] = value;
          const back = restored(storage);
          expect(tabShape(back, 1)).toEqual(tabShape(t, 1));
          for (const tab of back.tabs.values()) {
            for (const view of [tab.current, tab.previous]) {
              const log = view === undefined ? undefined : back.requestLogs.get(view);
              for (const chunk of log === undefined ? [] : liveChunks(log)) expect(log === undefined ? 0 : storedParts(log, chunk).length).toBeLessThanOrEqual(MAX_APPEND_SPAN + 1);
            }
          }
        },
      ),
    );
  }, 120_000);
});
