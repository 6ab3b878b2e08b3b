/**
 * The last network address of each domain, for responses the browser serves from its cache
 * without an address (Firefox reports no `ip` for them). Bounded: at capacity the least recently
 * used domain is dropped. A Map keeps insertion order, so re-inserting on use makes its first key
 * the least recently used, and every operation is O(1).
 */
import { detached } from '../detachedText';

/**
 * Domains remembered. Measured at capacity with 253-character names: about 0.26 MB of heap and
 * 0.32 MB in storage.session; with everyday names (~25 characters) 0.13 MB and 0.09 MB.
 */
export const ADDRESS_MEMORY_CAPACITY = 1_000;
/** Longer text than any address with a zone is not an address worth remembering. */
const MAX_ADDRESS_LENGTH = 64;

export interface RememberedAddress {
  address: string;
  /** Time of last use (remembered or recalled), in ms: restores the order after a restart. */
  usedAt: number;
}

export interface AddressMemory {
  readonly capacity: number;
  /** Least recently used first. */
  readonly entries: Map<string, RememberedAddress>;
}

export function createAddressMemory(capacity = ADDRESS_MEMORY_CAPACITY): AddressMemory {
  return { capacity: Math.max(1, Math.floor(capacity)), entries: new Map() };
}

function use(memory: AddressMemory, domain: string, entry: RememberedAddress): void {
  memory.entries.delete(domain);
  memory.entries.set(detached(domain), entry);
}

/**
 * Records a domain's newest network address. Returns the domain dropped to make room, if any.
 */
export function rememberAddress(memory: AddressMemory, domain: string, address: string, time: number): string | undefined {
  if (address.length > MAX_ADDRESS_LENGTH) return undefined;
  use(memory, domain, { address, usedAt: time });
  if (memory.entries.size <= memory.capacity) return undefined;
  const oldest = memory.entries.keys().next().value;
  if (oldest !== undefined) memory.entries.delete(oldest);
  return oldest;
}

/** The address a domain last answered from, marking it as just used. */
export function recallAddress(memory: AddressMemory, domain: string, time: number): string | undefined {
  const entry = memory.entries.get(domain);
  if (entry === undefined) return undefined;
  use(memory, domain, { address: entry.address, usedAt: Math.max(entry.usedAt, time) });
  return entry.address;
}

/** A stored entry read back; undefined for anything that is not one. */
export function rememberedAddressFrom(value: unknown): RememberedAddress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { address, usedAt } = value as Partial<RememberedAddress>;
  if (typeof address !== 'string' || address === '' || address.length > MAX_ADDRESS_LENGTH) return undefined;
  if (typeof usedAt !== 'number' || !Number.isFinite(usedAt)) return undefined;
  return { address, usedAt };
}

/**
 * Refills the memory from stored entries, oldest use first. Returns the domains that did not fit
 * (the least recently used ones), whose stored entries can go.
 */
export function restoreAddressMemory(memory: AddressMemory, stored: ReadonlyMap<string, RememberedAddress>): string[] {
  const byAge = [...stored].sort(([, a], [, b]) => a.usedAt - b.usedAt);
  const dropped: string[] = [];
  for (const [domain, entry] of byAge) {
    const known = memory.entries.get(domain);
    if (known !== undefined && known.usedAt >= entry.usedAt) continue;
    const evicted = rememberAddress(memory, domain, entry.address, entry.usedAt);
    if (evicted !== undefined) dropped.push(evicted);
  }
  return dropped;
}
