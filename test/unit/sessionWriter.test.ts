import { describe, expect, it, vi } from 'vitest';
import { writeGroupOf } from '../../src/background/persistence';
import { createSessionWriter, isQuotaError, type SessionStore, type SessionWriter, type SessionWrites } from '../../src/background/sessionWriter';
import { restoreTracker, storageWrites } from '../../src/core/session/persisted';
import { drainStoredChanges, onTabRemoved, type Tracker } from '../../src/core/tab/tracker';
import { MemorySessionStore, QUOTA_MESSAGE, nextTurn } from './memorySessionStore';
import { load, navigate, newTracker } from './trackerEvents';

/** A state that logs its changes the way the tracker does: a later change to a key replaces an earlier one. */
class Source {
  collects = 0;
  private pending: SessionWrites = { set: {}, remove: [] };

  put(key: string, value: string): void {
    this.pending.remove = this.pending.remove.filter((k) => k !== key);
    this.pending.set[key] = value;
  }

  del(key: string): void {
    delete this.pending.set[key];
    if (!this.pending.remove.includes(key)) this.pending.remove.push(key);
  }

  readonly collect = (): SessionWrites => {
    this.collects++;
    const writes = this.pending;
    this.pending = { set: {}, remove: [] };
    return writes;
  };
}

interface Timer {
  ms: number;
  run: () => void;
  cancelled: boolean;
}

function setup(store: SessionStore, collect: () => SessionWrites) {
  const timers: Timer[] = [];
  const reports: Array<Map<string, readonly string[]>> = [];
  const writer = createSessionWriter({
    store,
    collect,
    groupOf: writeGroupOf,
    onRefused: (refused) => reports.push(new Map(refused)),
    after: (ms, run) => {
      const timer: Timer = { ms, run, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  });
  const liveTimers = (): Timer[] => timers.filter((timer) => !timer.cancelled);
  /** Fires the retry timer that is armed now. */
  const fireRetry = (): void => {
    const [timer] = liveTimers();
    if (timer === undefined) throw new Error('no retry armed');
    timer.cancelled = true;
    timer.run();
  };
  return { writer, timers, liveTimers, fireRetry, reports };
}

/** Settles every call of a manual store, including the writes that follow. */
async function settleAll(store: MemorySessionStore): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    await nextTurn();
    if (!store.settleNext()) {
      await nextTurn();
      if (!store.settleNext()) return;
    }
  }
  throw new Error('writes never ended');
}

type Op = ['put', string, string] | ['del', string];

function apply(source: Source, writer: SessionWriter, ops: Op[]): void {
  for (const op of ops) {
    if (op[0] === 'put') source.put(op[1], op[2]);
    else source.del(op[1]);
    writer.changed();
  }
}

describe('session writer: one write per turn', () => {
  it('writes the changes of a turn in one set, however many events the turn had', async () => {
    const store = new MemorySessionStore();
    const source = new Source();
    const { writer } = setup(store, source.collect);
    for (let i = 0; i < 200; i++) {
      source.put(`d:1:v:host${i % 50}`, `value ${i}`);
      writer.changed();
    }
    expect(store.calls).toHaveLength(0);
    await nextTurn();
    expect(store.calls).toEqual([{ kind: 'set', keys: Array.from({ length: 50 }, (_, i) => `d:1:v:host${i}`), settled: true }]);
    expect(store.data.get('d:1:v:host49')).toBe('value 199');

    for (let i = 0; i < 30; i++) {
      source.put(`d:1:v:host${i}`, `again ${i}`);
      writer.changed();
    }
    source.del('d:1:v:host49');
    writer.changed();
    await nextTurn();
    expect(store.calls.map((call) => [call.kind, call.keys.length])).toEqual([
      ['set', 50],
      ['remove', 1],
      ['set', 30],
    ]);
    // A turn that changed nothing writes nothing.
    writer.changed();
    await nextTurn();
    expect(store.calls).toHaveLength(3);
    expect(store.data.size).toBe(49);
    expect(writer.pendingKeys()).toEqual([]);
  });

  it('keeps one write in flight and merges what changes meanwhile into the next one', async () => {
    const store = new MemorySessionStore();
    store.manual = true;
    const source = new Source();
    const { writer } = setup(store, source.collect);
    apply(source, writer, [['put', 'd:1:v:a', '1']]);
    await nextTurn();
    expect(store.calls).toHaveLength(1);
    // Three more turns while the first write is in flight: nothing more is sent.
    apply(source, writer, [['put', 'd:1:v:b', '1']]);
    await nextTurn();
    apply(source, writer, [['put', 'd:1:v:a', '2']]);
    await nextTurn();
    apply(source, writer, [['put', 'd:2:v:c', '1']]);
    await nextTurn();
    expect(store.calls).toHaveLength(1);
    expect(store.settleNext()).toBe(true);
    await nextTurn();
    // The three turns are one write, a's latest value in it.
    expect(store.calls.map((call) => call.keys)).toEqual([['d:1:v:a'], ['d:1:v:b', 'd:1:v:a', 'd:2:v:c']]);
    expect(store.data.get('d:1:v:a')).toBe('1');
    await settleAll(store);
    expect(store.snapshot()).toEqual({ 'd:1:v:a': '2', 'd:1:v:b': '1', 'd:2:v:c': '1' });
    expect(store.maxInFlight).toBe(1);
    expect(source.collects).toBe(2);
  });
});

describe('session writer: merging', () => {
  // Each row: what is stored at first, then turns of changes made while the first write is in
  // flight (so they merge), optionally with that first write refused; then what must be stored.
  it.each<[string, Record<string, string>, Op[][], 'refused' | 'accepted', Record<string, string>]>([
    ['a later value for a key wins', {}, [[['put', 'k', '1']], [['put', 'k', '2']], [['put', 'k', '3']]], 'accepted', { k: '3' }],
    ['a removal after a set removes', { k: '0' }, [[['put', 'x', '1']], [['put', 'k', '1']], [['del', 'k']]], 'accepted', { x: '1' }],
    ['a set after a removal sets', { k: '0' }, [[['put', 'x', '1']], [['del', 'k']], [['put', 'k', '2']]], 'accepted', { k: '2', x: '1' }],
    ['removal then set in one turn sets', { k: '0' }, [[['del', 'k'], ['put', 'k', '5']]], 'accepted', { k: '5' }],
    ['set then removal in one turn removes', { k: '0' }, [[['put', 'k', '5'], ['del', 'k']]], 'accepted', {}],
    ['a refused value is written with the next turn', {}, [[['put', 'k', '1']], [['put', 'x', '1']]], 'refused', { k: '1', x: '1' }],
    ['a refused value is replaced by a later one', {}, [[['put', 'k', '1']], [['put', 'k', '2']]], 'refused', { k: '2' }],
    ['a refused value removed later is not written', { x: '0' }, [[['put', 'k', '1']], [['del', 'k'], ['del', 'x']]], 'refused', {}],
    ['a refused removal is retried', { k: '0' }, [[['del', 'k']], [['put', 'x', '1']]], 'refused', { x: '1' }],
    ['a refused removal then a set sets', { k: '0' }, [[['del', 'k']], [['put', 'k', '7']]], 'refused', { k: '7' }],
  ])('%s', async (_name, initial, turns, first, expected) => {
    const store = new MemorySessionStore(initial);
    store.manual = true;
    const source = new Source();
    const { writer } = setup(store, source.collect);
    if (first === 'refused') store.rejectNext = 1;
    for (const ops of turns) {
      apply(source, writer, ops);
      await nextTurn();
    }
    await settleAll(store);
    expect(store.snapshot()).toEqual(expected);
    expect(writer.pendingKeys()).toEqual([]);
    expect(store.maxInFlight).toBe(1);
  });

  it('retries a refused write on its own after a backoff when nothing else changes', async () => {
    const store = new MemorySessionStore();
    const source = new Source();
    const { writer, liveTimers, fireRetry } = setup(store, source.collect);
    store.rejectNext = 2;
    apply(source, writer, [['put', 'd:1:v:a', '1']]);
    await nextTurn();
    expect(store.data.size).toBe(0);
    expect(writer.pendingKeys()).toEqual(['d:1:v:a']);
    expect(liveTimers().map((timer) => timer.ms)).toEqual([1000]);
    fireRetry();
    await nextTurn();
    // Refused again: the next wait is longer.
    expect(store.data.size).toBe(0);
    expect(liveTimers().map((timer) => timer.ms)).toEqual([2000]);
    fireRetry();
    await nextTurn();
    expect(store.snapshot()).toEqual({ 'd:1:v:a': '1' });
    expect(liveTimers()).toEqual([]);
  });

  it('applies its own writes after every change collected before them', async () => {
    const store = new MemorySessionStore({ 'd:1:v:a': '0' });
    store.manual = true;
    const source = new Source();
    const { writer } = setup(store, source.collect);
    apply(source, writer, [['put', 'd:1:v:z', '1']]);
    await nextTurn();
    // While that write is in flight, the state sets a then b, and a removal of a is added: a goes.
    apply(source, writer, [['put', 'd:1:v:a', '1'], ['put', 'd:1:v:b', '1']]);
    writer.add({ set: {}, remove: ['d:1:v:a'] });
    // A value set by the state after an added one wins over it.
    writer.add({ set: { 'd:1:v:c': 'added' }, remove: [] });
    apply(source, writer, [['put', 'd:1:v:c', 'later']]);
    await settleAll(store);
    expect(store.snapshot()).toEqual({ 'd:1:v:z': '1', 'd:1:v:b': '1', 'd:1:v:c': 'later' });
  });

  it('flush writes at once, refused groups included', async () => {
    const store = new MemorySessionStore();
    const source = new Source();
    const { writer } = setup(store, source.collect);
    source.put('d:1:v:a', '1');
    const flushed = writer.flush();
    // The calls are made in this turn, before it ends (an unloading page has no later turn).
    expect(store.calls).toHaveLength(1);
    await flushed;
    expect(store.snapshot()).toEqual({ 'd:1:v:a': '1' });
  });
});

describe('session writer: storage full', () => {
  const big = (n: number): string => 'x'.repeat(n);

  it('keeps what fits, holds the rest, reports it, and writes it once there is room', async () => {
    // Room for tab 1's keys and a few of tab 2's, not all of them.
    const store = new MemorySessionStore({ 'd:9:v:filler': big(3000) });
    store.quotaBytes = 3000 + 20 + 1000 + 3 * 120;
    const source = new Source();
    const { writer, reports, liveTimers, fireRetry } = setup(store, source.collect);
    source.put('t:1', big(100));
    for (let i = 0; i < 10; i++) source.put(`d:1:v1:one${i}.example`, big(70));
    source.put('t:2', big(100));
    for (let i = 0; i < 20; i++) source.put(`d:2:v2:two${i}.example`, big(100));
    writer.changed();
    await nextTurn();

    // Tab 1 whole, and nothing already stored was dropped to make room.
    expect(store.data.get('t:1')).toBeDefined();
    for (let i = 0; i < 10; i++) expect(store.data.has(`d:1:v1:one${i}.example`)).toBe(true);
    expect(store.data.get('d:9:v:filler')).toBe(big(3000));
    expect(store.bytes()).toBeLessThanOrEqual(store.quotaBytes);
    // Of tab 2, what fits is stored; the rest is pending and reported, nothing lost.
    const stored2 = [...store.data.keys()].filter((key) => key.startsWith('d:2:'));
    const refused = reports.at(-1)?.get('2') ?? [];
    expect(refused.length).toBeGreaterThan(0);
    expect(stored2.length + refused.filter((key) => key.startsWith('d:2:')).length).toBe(20);
    expect([...reports.at(-1)?.keys() ?? []]).toEqual(['2']);
    expect(new Set(writer.pendingKeys())).toEqual(new Set(refused));

    // Tab 1 goes on being written while tab 2 waits.
    source.put('d:1:v1:one0.example', big(70).replace('x', 'y'));
    writer.changed();
    await nextTurn();
    expect(store.data.get('d:1:v1:one0.example')?.startsWith('y')).toBe(true);

    // A retry while storage is still full refuses again; the mark stays; the wait grows.
    const before = liveTimers()[0]?.ms ?? 0;
    fireRetry();
    await nextTurn();
    expect(reports.at(-1)?.get('2')).toEqual(refused);
    expect(liveTimers()[0]?.ms).toBe(before * 2);

    // Room made elsewhere (not by this writer): the next retry writes everything, the mark goes.
    store.quotaBytes = Infinity;
    fireRetry();
    await nextTurn();
    for (let i = 0; i < 20; i++) expect(store.data.has(`d:2:v2:two${i}.example`)).toBe(true);
    expect(store.data.has('t:2')).toBe(true);
    expect(reports.at(-1)?.size).toBe(0);
    expect(writer.pendingKeys()).toEqual([]);
    expect(liveTimers()).toEqual([]);
  });

  it('tries the refused tab again at once when a removal freed space', async () => {
    const store = new MemorySessionStore({ 'd:3:v:old': big(2000) });
    store.quotaBytes = 2500;
    const source = new Source();
    const { writer, reports } = setup(store, source.collect);
    source.put('d:4:v:new', big(1000));
    writer.changed();
    await nextTurn();
    expect(store.data.has('d:4:v:new')).toBe(false);
    expect(reports.at(-1)?.get('4')).toEqual(['d:4:v:new']);
    // Tab 3 closes: its key goes, and tab 4's value follows in the same turn, no timer needed.
    source.del('d:3:v:old');
    writer.changed();
    await nextTurn();
    expect(store.snapshot()).toEqual({ 'd:4:v:new': big(1000) });
    expect(reports.at(-1)?.size).toBe(0);
  });

  it.each<[string, unknown, boolean]>([
    ['Chrome session quota', new Error(QUOTA_MESSAGE), true],
    ['Chrome QUOTA_BYTES', new Error('QUOTA_BYTES quota exceeded'), true],
    ['DOMException name', Object.assign(new Error('full'), { name: 'QuotaExceededError' }), true],
    ['another failure', new Error('storage is unavailable'), false],
    ['a string', 'nope', false],
  ])('isQuotaError: %s', (_name, error, expected) => {
    expect(isQuotaError(error)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// A kill between two writes: what a restore reads is what was acknowledged.

/** What a tracker shows, per tab and view: the figures a restore must bring back. */
function summary(t: Tracker): unknown {
  return [...t.tabs.values()]
    .sort((a, b) => a.tabId - b.tabId)
    .map((tab) => ({
      tabId: tab.tabId,
      views: [tab.current, tab.previous].flatMap((view) =>
        view === undefined
          ? []
          : [
              {
                id: view.id,
                url: view.url,
                committed: view.committed,
                domains: [...view.domains.values()].map((r) => [r.domain, r.requests, r.responses, r.errors, r.bytes, Object.keys(r.addresses).sort()]).sort(),
              },
            ],
      ),
    }));
}

/** Turns of events across three tabs: loads, a navigation that replaces a view, a closed tab. */
const TURNS: Array<(t: Tracker) => void> = [
  (t) => {
    navigate(t, 1, 'https://a.example/', '2001:db8::1', 'docA');
    load(t, 'https://cdn.example/1', '192.0.2.1', { documentId: 'docA' });
  },
  (t) => {
    load(t, 'https://cdn.example/2', '192.0.2.1', { documentId: 'docA' });
    navigate(t, 2, 'https://b.example/', '192.0.2.2', 'docB');
  },
  (t) => {
    load(t, 'https://img.example/1', '2001:db8::3', { documentId: 'docA' });
    load(t, 'https://api.b.example/1', '192.0.2.4', { tabId: 2, documentId: 'docB' });
  },
  (t) => navigate(t, 1, 'https://c.example/', '2001:db8::5', 'docC'),
  (t) => {
    load(t, 'https://cdn.example/3', '2001:db8::6', { documentId: 'docC' });
    onTabRemoved(t, 2);
  },
  (t) => {
    navigate(t, 3, 'https://d.example/', '192.0.2.7', 'docD');
    load(t, 'https://cdn.example/4', '2001:db8::6', { documentId: 'docC' });
  },
];

/** Runs the turns with a store killed after `killAfter` calls; returns the store, the call log and the state at each write. */
async function runTurns(killAfter: number): Promise<{ store: MemorySessionStore; writeOfCall: number[]; summaries: unknown[] }> {
  const store = new MemorySessionStore();
  store.killAfter = killAfter;
  const tracker = newTracker('v');
  const summaries: unknown[] = [];
  const writeOfCall: number[] = [];
  const counted: SessionStore = {
    set: (items) => (writeOfCall.push(summaries.length - 1), store.set(items)),
    remove: (keys) => (writeOfCall.push(summaries.length - 1), store.remove(keys)),
  };
  const { writer } = setup(counted, () => {
    const writes = storageWrites(tracker, drainStoredChanges(tracker));
    summaries.push(summary(tracker));
    return writes;
  });
  for (const turn of TURNS) {
    turn(tracker);
    writer.changed();
    await nextTurn();
  }
  return { store, writeOfCall, summaries };
}

function restoredSummary(store: MemorySessionStore): unknown {
  const restored = newTracker('w');
  expect(restoreTracker(restored, store.snapshot())).toEqual([]);
  return summary(restored);
}

describe('session writer: a kill between two writes', () => {
  it('restores exactly the state of the last acknowledged write, at every point it can stop', async () => {
    const full = await runTurns(Infinity);
    // Positive control: with no kill, a restore brings back the final state.
    expect(full.summaries).toHaveLength(TURNS.length);
    expect(restoredSummary(full.store)).toEqual(full.summaries.at(-1));
    const boundaries = full.writeOfCall.flatMap((write, i) => (full.writeOfCall[i + 1] !== write ? [i + 1] : []));
    expect(boundaries.length).toBe(TURNS.length);
    for (const killAfter of [0, ...boundaries]) {
      const run = await runTurns(killAfter);
      const acknowledged = killAfter === 0 ? [] : run.summaries[(run.writeOfCall[killAfter - 1] ?? 0)];
      expect(restoredSummary(run.store), `killed after ${killAfter} calls`).toEqual(acknowledged);
      // The writes after the kill were never acknowledged: their changes are still pending.
      expect(run.store.calls.filter((call) => !call.settled).length).toBe(killAfter === boundaries.at(-1) ? 0 : 1);
    }
  });
});

describe('session writer: cost', () => {
  it('turns each changed record into text once per write, not once per event', async () => {
    const store = new MemorySessionStore();
    const tracker = newTracker('v');
    const stringify = vi.spyOn(JSON, 'stringify');
    const { writer } = setup(store, () => storageWrites(tracker, drainStoredChanges(tracker)));
    navigate(tracker, 1, 'https://a.example/', '2001:db8::1', 'docA');
    writer.changed();
    await nextTurn();
    stringify.mockClear();
    // 100 responses in one turn to one domain: one record and one timeline to write, and the
    // request log's chunks they fell in (requests 1–100 of the view, 25 a chunk: chunks 0–4), each once.
    for (let i = 0; i < 100; i++) load(tracker, `https://cdn.example/${i}`, '192.0.2.1', { documentId: 'docA' });
    writer.changed();
    await nextTurn();
    expect(stringify).toHaveBeenCalledTimes(2 + 5);
    stringify.mockRestore();
    expect(store.setsOf().at(-1)?.keys.sort()).toEqual(['d:1:v1:cdn.example', 'l:1:v1', 'r:1:v1:0', 'r:1:v1:1', 'r:1:v1:2', 'r:1:v1:3', 'r:1:v1:4']);
  });
});

describe('session writer: spacing under a dense stream', () => {
  /** A writer whose clock and timers the test moves by hand. */
  function spaced(store: SessionStore, source: Source, minSpacingMs: number) {
    let clock = 1_000;
    const timers: Timer[] = [];
    const writer = createSessionWriter({
      store,
      collect: source.collect,
      groupOf: writeGroupOf,
      minSpacingMs,
      now: () => clock,
      after: (ms, run) => {
        const timer: Timer = { ms: clock + ms, run, cancelled: false };
        timers.push(timer);
        return () => (timer.cancelled = true);
      },
    });
    /** Moves the clock on, firing the timers that fall due. */
    const advance = (ms: number): void => {
      clock += ms;
      for (const timer of timers) {
        if (timer.cancelled || timer.ms > clock) continue;
        timer.cancelled = true;
        timer.run();
      }
    };
    return { writer, advance, armed: () => timers.filter((timer) => !timer.cancelled).length };
  }

  it('starts a write at most every minSpacingMs, and writes the last change once the spacing is over', async () => {
    const store = new MemorySessionStore();
    const source = new Source();
    const { writer, advance, armed } = spaced(store, source, 20);
    // An event every 5 ms for 100 ms, each in a turn of its own.
    for (let i = 0; i < 20; i++) {
      source.put('d:1:v:seg.example', `response ${i}`);
      writer.changed();
      await nextTurn();
      advance(5);
      await nextTurn();
    }
    // Positive control: the first change was written at the end of its own turn.
    expect(store.calls[0]?.keys).toEqual(['d:1:v:seg.example']);
    // 100 ms of events: the first write, then one per 20 ms, not one per event.
    expect(store.calls.length).toBeGreaterThanOrEqual(5);
    expect(store.calls.length).toBeLessThanOrEqual(6);
    // Nothing is left behind: the last change waits for the spacing, not for another event.
    advance(20);
    await nextTurn();
    expect(armed()).toBe(0);
    expect(store.data.get('d:1:v:seg.example')).toBe('response 19');
    expect(writer.pendingKeys()).toEqual([]);
  });

  it('writes events further apart than the spacing at the end of their own turn', async () => {
    const store = new MemorySessionStore();
    const source = new Source();
    const { writer, advance, armed } = spaced(store, source, 20);
    for (let i = 0; i < 5; i++) {
      source.put(`d:1:v:host${i}`, 'value');
      writer.changed();
      await nextTurn();
      // Written in this turn, with no timer: the previous write is more than 20 ms old.
      expect(store.calls).toHaveLength(i + 1);
      expect(armed()).toBe(0);
      advance(25);
    }
  });

  it('flush writes at once, without waiting for the spacing', async () => {
    const store = new MemorySessionStore();
    const source = new Source();
    const { writer, armed } = spaced(store, source, 20);
    source.put('d:1:v:a.example', 'first');
    writer.changed();
    await nextTurn();
    source.put('d:1:v:a.example', 'second');
    writer.changed();
    await nextTurn();
    // The second change waits for the spacing...
    expect(store.data.get('d:1:v:a.example')).toBe('first');
    expect(armed()).toBe(1);
    // ...unless the page is about to go.
    await writer.flush();
    expect(store.data.get('d:1:v:a.example')).toBe('second');
    expect(armed()).toBe(0);
  });
});

describe('session writer: what storage acknowledged', () => {
  type Case = [name: string, prepare: (store: MemorySessionStore) => void];
  const cases: Case[] = [
    ['a set that succeeds', () => undefined],
    ['a set refused, then retried', (store) => (store.rejectNext = 1)],
    ['a set too big for the storage, split until what fits is stored', (store) => (store.quotaBytes = 2 * (4 + 100) + 10)],
  ];

  it.each(cases)('reports exactly the entries stored, each once it is: %s', async (_name, prepare) => {
    const store = new MemorySessionStore();
    prepare(store);
    const source = new Source();
    const stored: Array<readonly [string, string]> = [];
    const writer = createSessionWriter({ store, collect: source.collect, groupOf: writeGroupOf, onStored: (entries) => stored.push(...entries), after: () => () => undefined });
    for (let i = 0; i < 4; i++) source.put(`d:1:v:${i}`, String(i).repeat(100));
    writer.changed();
    await nextTurn();
    // Every entry reported is in storage with that value, and every stored entry was reported.
    expect(new Map(stored)).toEqual(store.data);
    expect(stored).toHaveLength(store.data.size);
    // The refused ones come once they are stored.
    store.quotaBytes = undefined;
    await writer.flush();
    expect(store.data.size).toBe(4);
    expect(new Map(stored)).toEqual(store.data);
    expect(stored).toHaveLength(4);
  });
});
