/**
 * An in-memory double of storage.session's two writing calls, for the session writer's tests. A
 * call is applied (and acknowledged) only when it settles: at once by default, or when the test
 * says so (`manual`). It can refuse a set that does not fit its quota (as Chrome does: nothing of
 * that set is stored), reject calls, and be "killed": calls from then on never settle, as when
 * the browser stops the worker between two writes.
 */
import type { SessionStore } from '../../src/background/sessionWriter';

export interface StoreCall {
  kind: 'set' | 'remove';
  keys: string[];
  /** Resolved or rejected: applied to `data` when it resolved. */
  settled: boolean;
}

interface Waiting {
  call: StoreCall;
  apply: () => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What Chrome's storage.session rejects a set with when it is over its quota. */
export const QUOTA_MESSAGE = 'Session storage quota bytes exceeded. Values were not stored.';

export class MemorySessionStore implements SessionStore {
  readonly data = new Map<string, string>();
  readonly calls: StoreCall[] = [];
  /** Bytes the stored keys and values may take (key length + value length); no limit when undefined. */
  quotaBytes: number | undefined;
  /** Rejects the next N calls with a non-quota error. */
  rejectNext = 0;
  /** Calls settle only through settleNext(). */
  manual = false;
  /** After this many calls, calls never settle (the worker is gone). */
  killAfter = Infinity;
  private readonly waiting: Waiting[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(initial: Record<string, string> = {}) {
    for (const [key, value] of Object.entries(initial)) this.data.set(key, value);
  }

  bytes(data: ReadonlyMap<string, string> = this.data): number {
    let total = 0;
    for (const [key, value] of data) total += key.length + value.length;
    return total;
  }

  set(items: Record<string, string>): Promise<void> {
    return this.call('set', Object.keys(items), () => {
      const next = new Map(this.data);
      for (const [key, value] of Object.entries(items)) next.set(key, value);
      if (this.quotaBytes !== undefined && this.bytes(next) > this.quotaBytes) throw new Error(QUOTA_MESSAGE);
      for (const [key, value] of Object.entries(items)) this.data.set(key, value);
    });
  }

  remove(keys: string[]): Promise<void> {
    return this.call('remove', [...keys], () => {
      for (const key of keys) this.data.delete(key);
    });
  }

  /** Settles the oldest waiting call (manual mode); false if none waits. */
  settleNext(): boolean {
    const next = this.waiting.shift();
    if (next === undefined) return false;
    this.finish(next);
    return true;
  }

  setsOf(): StoreCall[] {
    return this.calls.filter((call) => call.kind === 'set');
  }

  snapshot(): Record<string, string> {
    return Object.fromEntries(this.data);
  }

  private call(kind: StoreCall['kind'], keys: string[], apply: () => void): Promise<void> {
    const call: StoreCall = { kind, keys, settled: false };
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<void>((resolve, reject) => {
      if (this.calls.length > this.killAfter) return;
      const waiting: Waiting = { call, apply, resolve, reject };
      if (this.manual) this.waiting.push(waiting);
      else this.finish(waiting);
    });
  }

  private finish({ call, apply, resolve, reject }: Waiting): void {
    call.settled = true;
    this.inFlight--;
    if (this.rejectNext > 0) {
      this.rejectNext--;
      reject(new Error('storage is unavailable'));
      return;
    }
    try {
      apply();
      resolve();
    } catch (error) {
      reject(error as Error);
    }
  }
}

/** Ends the current event-loop turn: what it changed is written before this resolves (with an automatic store). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
