/**
 * The compact form of what storage.session holds: the quota (10 MB) is shared by every open tab,
 * so a domain must cost little. Each value is JSON text of a positional array: no field names,
 * the domain left to its key, times as millisecond deltas (exact to Chrome's microseconds) from
 * the view's time base (the time in its id, so a key decodes on its own) or an earlier time of
 * the same record, rings as their non-zero counts, and defaults (0) dropped at the end. Values stay strings: the browser stores a string far faster
 * than a nested object. A value that cannot be put compactly (a time that is not whole
 * microseconds) is written in the first format, which is still read (legacyEntries.ts).
 *
 * Layouts (trailing zeros left out; an absent string or list is 0):
 *   domain  [requests, responses, flags, bytes, first, last, addresses, primary, network,
 *            recent, errors, unsized, inflight, httpVersions, dnsIpv6, dnsLookupFailed (1)]
 *           first: ms from the view's time base (timeBaseOfView); last: ms from first;
 *           primary/network: 1-based index in addresses (or the address itself if not there)
 *   address [address, family (0 unknown), responses, bytes, first, last, cached, unsized, remembered, proxy]
 *           first: ms from the domain's first; last: ms from the address's first;
 *           proxy: [type, host, port, proxyDns (1)] when answers came through one (0 otherwise)
 *   ring    [head − base bucket, per series its counts from the head backwards]; 0 never counted
 *   tab     [current, previous]; view [id, startedAt, 1 committed + 2 partial, url, origin,
 *           mainDomain, mainRequestId, documentId]
 *   live    see liveCodec.ts (a view's timeline and switches)
 *   address memory [address, usedAt]
 *
 * The shared pieces (times, rings, strict readers) are in codecParts.ts. Decoders never throw: a value of any other shape gives undefined.
 */
import type { Family } from '../address/address';
import { rememberedAddressFrom, type RememberedAddress } from '../address/addressMemory';
import {
  Malformed,
  baseMicros,
  decodeRing,
  decodeWith,
  delta,
  encodeRing,
  encodeWith,
  familyCode,
  micros,
  readArray,
  readFamily,
  readMicros,
  readCount,
  readNumber,
  readOptionalString,
  readString,
  readStrings,
  trimmed,
} from './codecParts';
import { legacyDomainRecord, legacyStoredTab, type StoredTab } from './legacyEntries';
import { RECENT_BUCKET_MS, RECENT_SLOTS } from '../live/live';
import { reportedProxyOf, type ReportedProxy } from '../proxy/reportedProxy';
import { textKeyed, type AddressStat, type DomainRecord, type ViewMeta } from '../tab/model';
import { bucketOf } from '../live/ring';

export type { StoredTab } from './legacyEntries';

// ---------------------------------------------------------------------------------------------
// Domain records

function encodeAddress(address: string, stat: AddressStat, domainFirstUs: number): unknown[] {
  const firstUs = micros(stat.firstSeen);
  const family: Family | undefined = stat.family;
  return trimmed([
    address,
    familyCode(family),
    stat.responses,
    stat.bytes,
    delta(firstUs, domainFirstUs),
    delta(micros(stat.lastSeen), firstUs),
    stat.cached,
    stat.unsized,
    stat.remembered ?? 0,
    stat.proxy === undefined ? 0 : [stat.proxy.type, stat.proxy.host, stat.proxy.port, stat.proxy.proxyDns ? 1 : 0],
  ]);
}

function decodeProxy(value: unknown): ReportedProxy {
  const [type, host, port, proxyDns = 0] = readArray(value);
  const proxy = reportedProxyOf({ type, host, port, proxyDNS: proxyDns === 1 });
  if (proxy === undefined) throw new Malformed('proxy');
  return proxy;
}

function decodeAddress(value: unknown, domainFirstUs: number): [string, AddressStat] {
  const [address, family, responses = 0, bytes = 0, first = 0, last = 0, cached = 0, unsized = 0, remembered = 0, proxy = 0] = readArray(value);
  const firstUs = readMicros(first, domainFirstUs);
  const stat = {
    responses: readCount(responses),
    cached: readCount(cached),
    bytes: readCount(bytes),
    unsized: readCount(unsized),
    firstSeen: firstUs / 1000,
    lastSeen: readMicros(last, firstUs) / 1000,
  } as AddressStat;
  const known = readFamily(family);
  if (known !== undefined) stat.family = known;
  if (remembered !== 0) stat.remembered = readCount(remembered);
  if (proxy !== 0) stat.proxy = decodeProxy(proxy);
  return [readString(address), stat];
}

function addressRef(address: string | undefined, addresses: string[]): number | string {
  if (address === undefined) return 0;
  const index = addresses.indexOf(address);
  return index === -1 ? address : index + 1;
}

function readAddressRef(value: unknown, addresses: string[]): string | undefined {
  if (value === 0 || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  const address = addresses[readNumber(value) - 1];
  if (address === undefined) throw new Malformed('address index');
  return address;
}

const listOr0 = (list: readonly string[] | undefined): readonly string[] | 0 => (list === undefined ? 0 : list);

export function encodeDomainRecord(record: DomainRecord, timeBase: number): string {
  return encodeWith(record, () => {
    const firstUs = micros(record.firstSeen);
    const addresses = Object.keys(record.addresses);
    return trimmed([
      record.requests,
      record.responses,
      record.flags,
      record.bytes,
      delta(firstUs, baseMicros(timeBase)),
      delta(micros(record.lastSeen), firstUs),
      addresses.length === 0 ? 0 : addresses.map((address) => encodeAddress(address, record.addresses[address] as AddressStat, firstUs)),
      addressRef(record.primary, addresses),
      addressRef(record.networkAddress, addresses),
      encodeRing(record.recent, bucketOf(record.lastSeen, RECENT_BUCKET_MS)),
      record.errors,
      record.unsized,
      record.inflight.length === 0 ? 0 : record.inflight,
      listOr0(record.httpVersions),
      listOr0(record.dnsIpv6),
      record.dnsLookupFailed === true ? 1 : 0,
    ]);
  });
}

/** The record of `domain` (named by its key) in a view whose keys count time from `timeBase`. */
export function decodeDomainRecord(stored: unknown, domain: string, timeBase: number): DomainRecord | undefined {
  return decodeWith(
    stored,
    (value) => {
      const [requests = 0, responses = 0, flags = 0, bytes = 0, first = 0, last = 0, addressList = 0, primary, network, recent = 0, errors = 0, unsized = 0, inflight = 0, httpVersions = 0, dnsIpv6 = 0, dnsLookupFailed = 0] = value;
      const firstUs = readMicros(first, baseMicros(timeBase));
      const lastSeen = readMicros(last, firstUs) / 1000;
      // Null prototype: an address such as "__proto__" is a key like any other.
      const addresses = textKeyed<AddressStat>();
      const order: string[] = [];
      for (const entry of addressList === 0 ? [] : readArray(addressList)) {
        const [address, stat] = decodeAddress(entry, firstUs);
        if (address in addresses) throw new Malformed('address twice');
        addresses[address] = stat;
        order.push(address);
      }
      const record: DomainRecord = {
        domain,
        requests: readCount(requests),
        responses: readCount(responses),
        errors: readCount(errors),
        flags: readCount(flags),
        bytes: readCount(bytes),
        unsized: readCount(unsized),
        recent: decodeRing(recent, bucketOf(lastSeen, RECENT_BUCKET_MS), 1, RECENT_SLOTS),
        addresses,
        firstSeen: firstUs / 1000,
        lastSeen,
        inflight: inflight === 0 ? [] : readStrings(inflight),
      };
      const primaryAddress = readAddressRef(primary, order);
      const networkAddress = readAddressRef(network, order);
      if (primaryAddress !== undefined) record.primary = primaryAddress;
      if (networkAddress !== undefined) record.networkAddress = networkAddress;
      if (httpVersions !== 0) record.httpVersions = readStrings(httpVersions);
      if (dnsIpv6 !== 0) record.dnsIpv6 = readStrings(dnsIpv6);
      if (dnsLookupFailed === 1) record.dnsLookupFailed = true;
      else if (dnsLookupFailed !== 0) throw new Malformed('dnsLookupFailed');
      return record;
    },
    (value) => legacyDomainRecord(value, domain),
  );
}

// ---------------------------------------------------------------------------------------------
// Tabs

const COMMITTED = 1;
const PARTIAL = 2;

function encodeView(meta: ViewMeta): unknown[] {
  return trimmed([
    meta.id,
    meta.startedAt,
    (meta.committed ? COMMITTED : 0) + (meta.partial ? PARTIAL : 0),
    meta.url ?? 0,
    meta.origin ?? 0,
    meta.mainDomain ?? 0,
    meta.mainRequestId ?? 0,
    meta.documentId ?? 0,
  ]);
}

function decodeView(value: unknown): ViewMeta {
  const [id, startedAt = 0, state = 0, url, origin, mainDomain, mainRequestId, documentId] = readArray(value);
  const bits = readCount(state);
  if (bits > (COMMITTED | PARTIAL)) throw new Malformed('view state');
  const meta: ViewMeta = { id: readString(id), committed: (bits & COMMITTED) !== 0, partial: (bits & PARTIAL) !== 0, startedAt: readNumber(startedAt) };
  const optional = { url, origin, mainDomain, mainRequestId, documentId };
  for (const [name, text] of Object.entries(optional) as Array<[keyof typeof optional, unknown]>) {
    const read = readOptionalString(text);
    if (read !== undefined) meta[name] = read;
  }
  return meta;
}

export function encodeStoredTab(tab: StoredTab): string {
  return encodeWith(tab, () => (tab.previous === undefined ? [encodeView(tab.current)] : [encodeView(tab.current), encodeView(tab.previous)]));
}

export function decodeStoredTab(stored: unknown, tabId: number): StoredTab | undefined {
  return decodeWith(
    stored,
    (value) => {
      if (value.length < 1 || value.length > 2) throw new Malformed('tab');
      const tab: StoredTab = { tabId, current: decodeView(value[0]) };
      if (value[1] !== undefined) tab.previous = decodeView(value[1]);
      return tab;
    },
    (value) => legacyStoredTab(value, tabId),
  );
}

// ---------------------------------------------------------------------------------------------
// Address memory (Firefox)

export function encodeRememberedAddress(entry: RememberedAddress): string {
  return JSON.stringify([entry.address, entry.usedAt]);
}

export function decodeRememberedAddress(stored: unknown): RememberedAddress | undefined {
  return decodeWith(
    stored,
    ([address, usedAt]) => {
      const entry = rememberedAddressFrom({ address, usedAt });
      if (entry === undefined) throw new Malformed('remembered address');
      return entry;
    },
    rememberedAddressFrom,
  );
}
