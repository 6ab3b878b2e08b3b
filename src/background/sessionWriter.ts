/**
 * Persists the session state crash-safely: at the end of every event-loop turn that changed
 * something, one coalesced write (a `remove`, then a `set`); at most one write in flight, and
 * whatever changes meanwhile is merged into the next one. Under a dense stream of events a write
 * starts at most every `minSpacingMs` (each storage call costs the extension process about as
 * much as handling a request, whatever its size): a stop then loses at most the events of that
 * last stretch; events further apart than that are each written at the end of their turn. A refused write is never dropped: its
 * entries stay pending (newer changes to the same keys replace them) and are tried again. When
 * the whole write is refused, it is split by group (a tab's keys) so that one tab that does not
 * fit does not hold the others back; groups refused for quota are reported, to be shown.
 *
 * No browser API here: the two storage calls are injected, so this is tested without a browser.
 */

export interface SessionStore {
  set(items: Record<string, string>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/** Keys to write (value) and keys to remove. */
export interface SessionWrites {
  set: Record<string, string>;
  remove: string[];
}

export interface SessionWriterOptions {
  store: SessionStore;
  /** Called when a write starts: the changes made since the last call (drained from the state). */
  collect: () => SessionWrites;
  /** Keys of one group are written together when a refused write is split (a tab's keys). */
  groupOf: (key: string) => string;
  /** Entries storage acknowledged (called after each set that succeeded, with what it held). */
  onStored?: (stored: ReadonlyArray<readonly [string, string]>) => void;
  /** Keys whose value could not be written for lack of space, by group; empty again once written. */
  onRefused?: (refused: ReadonlyMap<string, readonly string[]>) => void;
  /** Runs a callback at the end of the current turn (default: a microtask). */
  endOfTurn?: (run: () => void) => void;
  /** Runs a callback after `ms` (the retry backoff); returns a cancel function. */
  after?: (ms: number, run: () => void) => () => void;
  /** Backoff of retries after a refusal: first and longest delay. */
  retryMs?: { first: number; max: number };
  /** Least time between the starts of two writes (default 0: every turn that changed something). */
  minSpacingMs?: number;
  /** The clock the spacing is measured with (ms). */
  now?: () => number;
}

export interface SessionWriter {
  /** Something changed: write it at the end of this turn (or right after the write in flight). */
  changed(): void;
  /** Adds writes of its own (applied after every change collected so far) and schedules them. */
  add(writes: SessionWrites): void;
  /** Writes now what is pending, refused groups included; resolves when that write is done. */
  flush(): Promise<void>;
  /** Keys not written yet (pending or refused): for tests and diagnostics. */
  pendingKeys(): string[];
}

/** Whether a refusal means the storage is full (Chrome: "...quota bytes exceeded..."; QuotaExceededError). */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || /quota/i.test(String((error as { message?: unknown } | null)?.message ?? error));
}

/** Most storage calls one refused write may spend on finding what fits (each halving is one). */
const SPLIT_CALL_BUDGET = 64;

/** A pending removal, as opposed to a pending value. */
const REMOVE = null;

export function createSessionWriter(options: SessionWriterOptions): SessionWriter {
  const { store, collect, groupOf } = options;
  const endOfTurn = options.endOfTurn ?? ((run) => queueMicrotask(run));
  const after =
    options.after ??
    ((ms, run) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    });
  const retryMs = options.retryMs ?? { first: 1000, max: 30_000 };
  const minSpacingMs = options.minSpacingMs ?? 0;
  const now = options.now ?? (() => Date.now());

  /** Everything not yet acknowledged: a later entry for a key replaces the earlier one. */
  const pending = new Map<string, string | typeof REMOVE>();
  /** Groups refused for lack of space: their values wait for a retry (their removals still go out). */
  const fullGroups = new Set<string>();
  let reported: ReadonlyMap<string, readonly string[]> = new Map();
  let scheduled = false;
  /** When the last write started (for the spacing), and the wait for the next one, if armed. */
  let lastStart = -Infinity;
  let cancelSpaced: (() => void) | undefined;
  let inFlight = false;
  let again = false;
  let retryFull = false;
  let backoff = 0;
  let cancelRetry: (() => void) | undefined;
  /** Flushes waiting for the next write to end. */
  let nextWaiters: Array<() => void> = [];

  function absorb(writes: SessionWrites): void {
    for (const key of writes.remove) pending.set(key, REMOVE);
    for (const key in writes.set) pending.set(key, writes.set[key] as string);
  }

  function schedule(): void {
    if (inFlight) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    const run = (): void => {
      scheduled = false;
      cancelSpaced = undefined;
      if (inFlight) again = true;
      else void write();
    };
    const wait = lastStart + minSpacingMs - now();
    if (wait > 0) cancelSpaced = after(wait, run);
    else endOfTurn(run);
  }

  function scheduleRetry(): void {
    if (cancelRetry !== undefined) return;
    backoff = backoff === 0 ? retryMs.first : Math.min(backoff * 2, retryMs.max);
    cancelRetry = after(backoff, () => {
      cancelRetry = undefined;
      retryFull = true;
      schedule();
    });
  }

  function stopRetrying(): void {
    cancelRetry?.();
    cancelRetry = undefined;
    backoff = 0;
  }

  /** Drops acknowledged entries, unless a newer entry replaced one while it was being written. */
  function acknowledge(entries: Iterable<[string, string | typeof REMOVE]>): void {
    for (const [key, value] of entries) if (pending.get(key) === value) pending.delete(key);
  }

  /** Sets entries, halving a batch refused for space; returns the entries still refused and why. */
  async function setFitting(entries: Array<[string, string]>, budget: { calls: number }): Promise<{ refused: Array<[string, string]>; full: boolean }> {
    if (entries.length === 0) return { refused: [], full: false };
    if (budget.calls <= 0) return { refused: entries, full: true };
    budget.calls--;
    try {
      await store.set(Object.fromEntries(entries));
      acknowledge(entries);
      options.onStored?.(entries);
      return { refused: [], full: false };
    } catch (error) {
      const full = isQuotaError(error);
      if (!full) console.error('IPvLens: could not save state; will retry', error);
      if (!full || entries.length === 1) return { refused: entries, full };
      const middle = Math.ceil(entries.length / 2);
      const first = await setFitting(entries.slice(0, middle), budget);
      const second = await setFitting(entries.slice(middle), budget);
      return { refused: [...first.refused, ...second.refused], full: first.full || second.full };
    }
  }

  /** Values refused as one write: each group on its own, so that the groups that fit are kept. */
  async function setByGroup(values: Array<[string, string]>): Promise<boolean> {
    const groups = new Map<string, Array<[string, string]>>();
    for (const entry of values) {
      const group = groupOf(entry[0]);
      let list = groups.get(group);
      if (list === undefined) groups.set(group, (list = []));
      list.push(entry);
    }
    const budget = { calls: SPLIT_CALL_BUDGET };
    let failed = false;
    // Smallest first: the tab that filled the storage is the one left with what remains.
    const bySize = [...groups].map(([group, entries]) => ({ group, entries, size: entries.reduce((sum, [key, value]) => sum + key.length + value.length, 0) }));
    bySize.sort((a, b) => a.size - b.size);
    for (const { group, entries } of bySize) {
      const { refused, full } = await setFitting(entries, budget);
      if (full) fullGroups.add(group);
      else fullGroups.delete(group);
      if (refused.length > 0 && !full) failed = true;
    }
    return failed;
  }

  async function write(): Promise<void> {
    lastStart = now();
    inFlight = true;
    again = false;
    const waiters = nextWaiters;
    nextWaiters = [];
    absorb(collect());
    const retrying = retryFull;
    retryFull = false;
    const removals: Array<[string, typeof REMOVE]> = [];
    const values: Array<[string, string]> = [];
    for (const entry of pending) {
      const value = entry[1];
      if (value === REMOVE) removals.push([entry[0], value]);
      else if (retrying || fullGroups.size === 0 || !fullGroups.has(groupOf(entry[0]))) values.push([entry[0], value]);
    }
    let failed = false;
    let freedSpace = false;
    if (removals.length > 0) {
      try {
        await store.remove(removals.map(([key]) => key));
        acknowledge(removals);
        freedSpace = true;
      } catch (error) {
        failed = true;
        console.error('IPvLens: could not prune state; will retry', error);
      }
    }
    if (values.length > 0) {
      try {
        await store.set(Object.fromEntries(values));
        acknowledge(values);
        options.onStored?.(values);
        if (retrying) fullGroups.clear();
      } catch (error) {
        // Only a lack of space is worth splitting for: any other refusal would refuse the parts too.
        if (!isQuotaError(error)) {
          failed = true;
          console.error('IPvLens: could not save state; will retry', error);
        } else if (await setByGroup(values)) failed = true;
      }
    }
    if (failed || fullGroups.size > 0) scheduleRetry();
    else stopRetrying();
    // Space freed by removals may let a group that was full in: try it at once.
    if (freedSpace && fullGroups.size > 0 && !retrying) {
      retryFull = true;
      again = true;
    }
    report();
    inFlight = false;
    if (again) schedule();
    for (const resolve of waiters) resolve();
  }

  /** Reports, per group refused for space, the keys whose values are not stored. */
  function report(): void {
    const refused = new Map<string, string[]>();
    if (fullGroups.size > 0) {
      for (const [key, value] of pending) {
        if (value === REMOVE) continue;
        const group = groupOf(key);
        if (!fullGroups.has(group)) continue;
        let keys = refused.get(group);
        if (keys === undefined) refused.set(group, (keys = []));
        keys.push(key);
      }
    }
    if (sameReport(reported, refused)) return;
    reported = refused;
    options.onRefused?.(refused);
  }

  return {
    changed: schedule,
    add(writes) {
      // What the state changed before this call is older than these writes: take it first.
      absorb(collect());
      absorb(writes);
      schedule();
    },
    flush() {
      retryFull = fullGroups.size > 0;
      cancelRetry?.();
      cancelRetry = undefined;
      // Now, not after the spacing: the page is about to go.
      if (cancelSpaced !== undefined) {
        cancelSpaced();
        cancelSpaced = undefined;
        scheduled = false;
      }
      const done = new Promise<void>((resolve) => nextWaiters.push(resolve));
      if (inFlight) again = true;
      else void write();
      return done;
    },
    pendingKeys: () => [...pending.keys()],
  };
}

function sameReport(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): boolean {
  if (a.size !== b.size) return false;
  for (const [group, keys] of a) {
    const other = b.get(group);
    if (other === undefined || other.length !== keys.length || other.some((key, i) => key !== keys[i])) return false;
  }
  return true;
}
