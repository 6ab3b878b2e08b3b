/**
 * Counts what the worker hands to storage.session during a workload: calls, keys and bytes (key
 * length plus the JSON length of each value, which is what the browser serialises and copies),
 * by key prefix (t: tab, d: domain, l: live, r: request log, a: address). Installed into the
 * running worker over the DevTools session, wrapping `chrome.storage.session.set` and `.remove`
 * (webextension-polyfill looks the method up on each call), so the product is not changed to be
 * measured. For scripts/profile/worker.ts.
 */
import type { CdpClient } from '../../test/support/cdp';

export interface PrefixWrites {
  keys: number;
  bytes: number;
  /** The largest value written under the prefix (cut), to see what the bytes are made of. */
  sample: string;
}

export interface SessionWriteCounts {
  setCalls: number;
  /** Time in the set calls' synchronous part (the worker's thread), ms. */
  setMs: number;
  /** Per set call: [synchronous ms, keys, bytes]. */
  calls: Array<[number, number, number]>;
  removeCalls: number;
  keysSet: number;
  bytesSet: number;
  keysRemoved: number;
  byPrefix: Record<string, PrefixWrites>;
}

/** Installs the wrappers once, and starts the counts again from zero. */
const RESET = `(() => {
  const area = chrome.storage.session;
  const fresh = () => ({ calls: [], setCalls: 0, setMs: 0, removeCalls: 0, keysSet: 0, bytesSet: 0, keysRemoved: 0, byPrefix: {} });
  if (globalThis.__ipvlensWrites === undefined) {
    const set = area.set, remove = area.remove;
    area.set = function (items, ...rest) {
      const counts = globalThis.__ipvlensWrites;
      counts.setCalls++;
      for (const key of Object.keys(items)) {
        const bytes = key.length + JSON.stringify(items[key]).length;
        const prefix = (counts.byPrefix[key.slice(0, 2)] ??= { keys: 0, bytes: 0, sample: '' });
        prefix.keys++;
        prefix.bytes += bytes;
        if (bytes > prefix.sample.length) prefix.sample = key + ' ' + String(items[key]).slice(0, 400);
        counts.keysSet++;
        counts.bytesSet += bytes;
      }
      // The call's synchronous part: the browser serialising and copying what it is given.
      const started = performance.now();
      try {
        return set.call(this, items, ...rest);
      } finally {
        const ms = performance.now() - started;
        counts.setMs += ms;
        if (counts.calls.length < 5000) counts.calls.push([ms, Object.keys(items).length, JSON.stringify(items).length]);
      }
    };
    area.remove = function (keys, ...rest) {
      const counts = globalThis.__ipvlensWrites;
      counts.removeCalls++;
      counts.keysRemoved += typeof keys === 'string' ? 1 : keys.length;
      return remove.call(this, keys, ...rest);
    };
    if (chrome.storage.session.set !== area.set) throw new Error('storage.session.set could not be wrapped');
  }
  globalThis.__ipvlensWrites = fresh();
  return true;
})()`;

export async function resetSessionWriteCounts(cdp: CdpClient, session: string): Promise<void> {
  await cdp.evaluate(session, RESET);
}

export async function readSessionWriteCounts(cdp: CdpClient, session: string): Promise<SessionWriteCounts> {
  return cdp.evaluate<SessionWriteCounts>(session, 'globalThis.__ipvlensWrites');
}

export function describeSessionWrites(name: string, counts: SessionWriteCounts, samples = false): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
  const prefixes = Object.entries(counts.byPrefix)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([prefix, { keys, bytes, sample }]) => `  ${prefix.padEnd(3)} ${String(keys).padStart(7)} keys ${kb(bytes).padStart(10)}${samples ? `  largest: ${sample}` : ''}`);
  return [
    `-- storage.session during ${name}: ${counts.setCalls} set calls (${counts.setMs.toFixed(0)} ms in their synchronous part), ${counts.keysSet} keys, ${kb(counts.bytesSet)}; ${counts.removeCalls} remove calls, ${counts.keysRemoved} keys`,
    ...prefixes,
  ].join('\n');
}

/**
 * The set calls' synchronous time: median and slowest (the slowest are mostly pauses of a shared
 * machine, so compare medians; sessionSetCost.ts times keys against bytes in isolation).
 */
export function describeSetCost(counts: SessionWriteCounts): string {
  const times = counts.calls.map(([ms]) => ms).sort((a, b) => a - b);
  if (times.length === 0) return '';
  const median = times[Math.floor(times.length / 2)] ?? 0;
  return `   per set call: median ${median.toFixed(2)} ms, slowest ${times.slice(-3).map((ms) => ms.toFixed(1)).join(', ')} ms`;
}
