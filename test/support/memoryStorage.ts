/**
 * An in-memory storage backend for unit tests, with the failures a real browser shows:
 * - quota: a write that would take an area over its quota (Chrome: 10,485,760 bytes, counted as each
 *   key's length plus its value's JSON length, in UTF-8) is refused whole with an Error whose
 *   message names QUOTA_BYTES, as Chrome's does;
 * - rejectNext: the next matching call rejects and does nothing;
 * - hold: matching calls wait (and do nothing yet) until the test releases them;
 * - killAt / kill: the worker stops: that call and every later one never happen and never settle;
 *   what was done before stays, and restart() gives the next worker a backend on the same data.
 * Values are kept as JSON text, so a caller's later mutation of an object it wrote changes nothing.
 */
import type { AreaBackend, AreaName, ChangeListener, StorageBackend, StorageChanges } from '../../src/platform/storage/backend';

export const CHROME_QUOTA_BYTES = 10_485_760;

export type StorageOp = 'get' | 'set' | 'remove' | 'bytesInUse';

export interface StorageCall {
  area: AreaName;
  op: StorageOp;
  /** The keys named (set: the keys written); null for a whole-area read. */
  keys: string[] | null;
}

/** Which calls a rule applies to: every field given must match; `keyPrefix` matches if any key of the call starts with it. */
export interface CallMatch {
  area?: AreaName;
  op?: StorageOp;
  keyPrefix?: string;
}

export interface Gate {
  /** Calls held so far and not released. */
  readonly held: number;
  /** Resolves once at least `count` calls are held. */
  arrived(count?: number): Promise<void>;
  /** Lets every held call proceed, in order, and stops holding. */
  release(): void;
}

export interface MemoryStorage extends StorageBackend {
  /** Every call made on this backend, in order (refused and held ones too). */
  readonly calls: StorageCall[];
  /** The area's contents as a reader would get them (copies). */
  contents(area: AreaName): Record<string, unknown>;
  /** Bytes an area takes, counted as Chrome counts them. */
  bytesUsed(area: AreaName): number;
  /** Puts values in place as a previous session would have left them: no quota check, no events, no call logged. */
  seed(area: AreaName, items: Record<string, unknown>): void;
  rejectNext(match: CallMatch, error?: Error): void;
  hold(match: CallMatch): Gate;
  /** The first later call matching, and everything after it, never happen. */
  killAt(match: CallMatch): void;
  /** Stops now: every later call never happens. */
  kill(): void;
  readonly killed: boolean;
  /** The next worker: a live backend on the same data, with no rules. */
  restart(): MemoryStorage;
}

/** Whether a promise has settled once every microtask queued so far has run (no clock involved). */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise<void>((resolve) => setImmediate(resolve));
  return done;
}

export function itemBytes(key: string, value: unknown): number {
  return Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value));
}

export function quotaError(): Error {
  return new Error('QUOTA_BYTES quota exceeded');
}

interface World {
  areas: Record<AreaName, Map<string, string>>;
  quota: Record<AreaName, number>;
  live: Set<{ emit(changes: StorageChanges, area: AreaName): void }>;
}

const matches = (match: CallMatch, call: StorageCall): boolean =>
  (match.area === undefined || match.area === call.area) &&
  (match.op === undefined || match.op === call.op) &&
  (match.keyPrefix === undefined || (call.keys ?? []).some((key) => key.startsWith(match.keyPrefix ?? '')));

export function createMemoryStorage(options: { quotaBytes?: Partial<Record<AreaName, number>> } = {}): MemoryStorage {
  const world: World = {
    areas: { session: new Map(), local: new Map(), sync: new Map() },
    quota: { session: CHROME_QUOTA_BYTES, local: CHROME_QUOTA_BYTES, sync: CHROME_QUOTA_BYTES, ...options.quotaBytes },
    live: new Set(),
  };
  return backendOn(world);
}

function backendOn(world: World): MemoryStorage {
  const calls: StorageCall[] = [];
  const listeners = new Set<ChangeListener>();
  const rejections: Array<{ match: CallMatch; error: Error }> = [];
  const gates: Array<{ match: CallMatch; held: Array<() => void>; waiters: Array<() => void>; open: boolean }> = [];
  let killMatch: CallMatch | undefined;
  let killed = false;
  const self = {
    emit(changes: StorageChanges, area: AreaName) {
      if (killed) return;
      // Events arrive after the call that caused them, as in the browser.
      queueMicrotask(() => {
        for (const listener of listeners) listener(changes, area);
      });
    },
  };
  world.live.add(self);

  const die = (): void => {
    killed = true;
    world.live.delete(self);
  };

  const used = (area: AreaName): number => {
    let total = 0;
    for (const [key, text] of world.areas[area]) total += Buffer.byteLength(key) + Buffer.byteLength(text);
    return total;
  };

  function apply(call: StorageCall, items?: Record<string, unknown>): unknown {
    const data = world.areas[call.area];
    switch (call.op) {
      case 'get': {
        const out: Record<string, unknown> = {};
        for (const key of call.keys ?? data.keys()) {
          const text = data.get(key);
          if (text !== undefined) out[key] = JSON.parse(text);
        }
        return out;
      }
      case 'bytesInUse': {
        let total = 0;
        for (const key of call.keys ?? data.keys()) {
          const text = data.get(key);
          if (text !== undefined) total += Buffer.byteLength(key) + Buffer.byteLength(text);
        }
        return total;
      }
      case 'set': {
        const texts = Object.entries(items ?? {}).flatMap(([key, value]) => (value === undefined ? [] : [[key, JSON.stringify(value)] as const]));
        let after = used(call.area);
        for (const [key, text] of texts) {
          const before = data.get(key);
          if (before !== undefined) after -= Buffer.byteLength(key) + Buffer.byteLength(before);
          after += Buffer.byteLength(key) + Buffer.byteLength(text);
        }
        if (after > world.quota[call.area]) throw quotaError();
        const changes: StorageChanges = {};
        for (const [key, text] of texts) {
          const before = data.get(key);
          data.set(key, text);
          if (before !== text) changes[key] = { ...(before === undefined ? {} : { oldValue: JSON.parse(before) as unknown }), newValue: JSON.parse(text) as unknown };
        }
        broadcast(changes, call.area);
        return undefined;
      }
      case 'remove': {
        const changes: StorageChanges = {};
        for (const key of call.keys ?? []) {
          const before = data.get(key);
          if (before === undefined) continue;
          data.delete(key);
          changes[key] = { oldValue: JSON.parse(before) as unknown };
        }
        broadcast(changes, call.area);
        return undefined;
      }
    }
  }

  function broadcast(changes: StorageChanges, area: AreaName): void {
    if (Object.keys(changes).length === 0) return;
    for (const backend of world.live) backend.emit(changes, area);
  }

  function run<T>(call: StorageCall, items?: Record<string, unknown>): Promise<T> {
    calls.push(call);
    if (!killed && killMatch !== undefined && matches(killMatch, call)) die();
    if (killed) return new Promise<T>(() => undefined);
    const rejection = rejections.findIndex((rule) => matches(rule.match, call));
    if (rejection !== -1) {
      const [rule] = rejections.splice(rejection, 1);
      return Promise.reject(rule?.error ?? new Error('refused'));
    }
    const settle = (): Promise<T> => {
      if (killed) return new Promise<T>(() => undefined);
      try {
        return Promise.resolve(apply(call, items) as T);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const gate = gates.find((candidate) => candidate.open && matches(candidate.match, call));
    if (gate === undefined) return settle();
    return new Promise<T>((resolve, reject) => {
      gate.held.push(() => {
        void settle().then(resolve, reject);
      });
      for (const wake of gate.waiters.splice(0)) wake();
    });
  }

  const keysOf = (keys: string | readonly string[] | null): string[] | null => (keys === null ? null : typeof keys === 'string' ? [keys] : [...keys]);

  const area = (name: AreaName): AreaBackend => ({
    get: (keys) => run({ area: name, op: 'get', keys: keysOf(keys) }),
    set: (items) => run({ area: name, op: 'set', keys: Object.keys(items) }, items),
    remove: (keys) => run({ area: name, op: 'remove', keys: keysOf(keys) }),
    bytesInUse: (keys) => run({ area: name, op: 'bytesInUse', keys: keysOf(keys) }),
  });

  return {
    session: area('session'),
    local: area('local'),
    sync: area('sync'),
    listen(listener, areas) {
      // As in the browser, only the areas asked for are heard of.
      const filtered: ChangeListener = (changes, area) => {
        if (areas.includes(area)) listener(changes, area);
      };
      listeners.add(filtered);
      return () => listeners.delete(filtered);
    },
    calls,
    contents(name) {
      return Object.fromEntries([...world.areas[name]].map(([key, text]) => [key, JSON.parse(text) as unknown]));
    },
    bytesUsed: used,
    seed(name, items) {
      for (const [key, value] of Object.entries(items)) world.areas[name].set(key, JSON.stringify(value));
    },
    rejectNext(match, error = new Error('storage refused (test)')) {
      rejections.push({ match, error });
    },
    hold(match) {
      const gate = { match, held: [] as Array<() => void>, waiters: [] as Array<() => void>, open: true };
      gates.push(gate);
      return {
        get held() {
          return gate.held.length;
        },
        arrived(count = 1) {
          return new Promise<void>((resolve) => {
            const check = (): void => {
              if (gate.held.length >= count) resolve();
              else gate.waiters.push(check);
            };
            check();
          });
        },
        release() {
          gate.open = false;
          for (const proceed of gate.held.splice(0)) proceed();
        },
      };
    },
    killAt(match) {
      killMatch = match;
    },
    kill: die,
    get killed() {
      return killed;
    },
    restart: () => backendOn(world),
  };
}
