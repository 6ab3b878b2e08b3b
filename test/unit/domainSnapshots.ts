// Snapshot rows for the tests of what the pages build from them (popup cells, report badges).
import type { AddressSnapshot, DomainSnapshot } from '../../src/core/view/snapshot';

/** One address of a row: a global IPv6 address answering once, unless told otherwise. */
export function addressOf(text: string, over: Partial<AddressSnapshot> = {}): AddressSnapshot {
  return { address: text, canonical: text, family: 6, addressClass: 'global', responses: 1, cached: 0, bytes: 0, unsized: 0, lastSeen: 0, ...over };
}

/** A row whose primary address is the first of `addresses` (none: no address yet). */
export function domainRowOf(domain: string, addresses: AddressSnapshot[], over: Partial<DomainSnapshot> = {}): DomainSnapshot {
  return {
    domain,
    isMain: false,
    family: addresses[0]?.family,
    address: addresses[0]?.address,
    addressClass: addresses[0]?.addressClass,
    addresses,
    requests: 1,
    responses: 1,
    errors: 0,
    inflight: 0,
    bytes: 0,
    unsized: 0,
    recent: { head: -1, counts: [] },
    flags: [],
    httpVersions: [],
    readiness: 'ipv6',
    firstSeen: 0,
    lastSeen: 0,
    ...over,
  };
}
