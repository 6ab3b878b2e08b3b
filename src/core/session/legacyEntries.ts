/**
 * Entries in the first storage format (each value the JSON of the whole object), still read so
 * that a worker updated mid-session keeps the tabs it had. Nothing is trusted: each reader
 * returns undefined for a value of the wrong shape instead of throwing later.
 */
import { isRecentRing, newRecentRing } from '../live/live';
import { reportedProxyOf } from '../proxy/reportedProxy';
import { textKeyed, type AddressStat, type DomainRecord, type ViewMeta } from '../tab/model';

export interface StoredTab {
  tabId: number;
  current: ViewMeta;
  previous?: ViewMeta;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** A count as the codec reads it (codecParts.ts readCount): whole, not negative. */
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const countOr0 = (value: unknown): number => (isCount(value) ? value : 0);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function isViewMeta(value: unknown): value is ViewMeta {
  if (!isObject(value)) return false;
  return typeof value.id === 'string' && typeof value.committed === 'boolean' && isTime(value.startedAt);
}

export function legacyStoredTab(value: unknown, tabId: number): StoredTab | undefined {
  if (!isObject(value) || value.tabId !== tabId || !isViewMeta(value.current)) return undefined;
  if (value.previous !== undefined && !isViewMeta(value.previous)) return undefined;
  const stored: StoredTab = { tabId, current: value.current };
  if (value.previous !== undefined) stored.previous = value.previous;
  return stored;
}

function addressStatFrom(value: unknown): AddressStat | undefined {
  if (!isObject(value)) return undefined;
  const family = value.family;
  if ((family !== 4 && family !== 6 && family !== undefined) || !isTime(value.firstSeen) || !isTime(value.lastSeen)) return undefined;
  const stat = {
    responses: countOr0(value.responses),
    cached: countOr0(value.cached),
    bytes: countOr0(value.bytes),
    unsized: countOr0(value.unsized),
    firstSeen: value.firstSeen,
    lastSeen: value.lastSeen,
  } as AddressStat;
  // Unknown family (an address that does not parse) stays absent rather than guessed.
  if (family !== undefined) stat.family = family;
  if (value.remembered !== undefined) stat.remembered = countOr0(value.remembered);
  // Stored as the model keeps it (proxyDns); a proxy not of a shape the browser sends is dropped.
  if (isObject(value.proxy)) {
    const proxy = reportedProxyOf({ ...value.proxy, proxyDNS: value.proxy.proxyDns });
    if (proxy !== undefined) stat.proxy = proxy;
  }
  return stat;
}

/**
 * A domain record of the first format, with counters it may lack set to zero; undefined when it
 * is not a record of `domain` (the domain its key names).
 */
export function legacyDomainRecord(value: unknown, domain: string): DomainRecord | undefined {
  if (!isObject(value) || value.domain !== domain || !isCount(value.requests) || !isCount(value.flags)) return undefined;
  if (!isObject(value.addresses) || !isStrings(value.inflight) || !isTime(value.firstSeen) || !isTime(value.lastSeen)) return undefined;
  const addresses = textKeyed<AddressStat>();
  for (const [address, stored] of Object.entries(value.addresses)) {
    const stat = addressStatFrom(stored);
    if (stat === undefined) return undefined;
    addresses[address] = stat;
  }
  const { primary, networkAddress, httpVersions, dnsIpv6 } = value;
  if ((primary !== undefined && typeof primary !== 'string') || (networkAddress !== undefined && typeof networkAddress !== 'string')) return undefined;
  const record: DomainRecord = {
    domain,
    requests: value.requests,
    responses: countOr0(value.responses),
    errors: countOr0(value.errors),
    flags: value.flags,
    bytes: countOr0(value.bytes),
    unsized: countOr0(value.unsized),
    recent: isRecentRing(value.recent) ? value.recent : newRecentRing(),
    addresses,
    firstSeen: value.firstSeen,
    lastSeen: value.lastSeen,
    inflight: value.inflight,
  };
  if (primary !== undefined) record.primary = primary;
  if (networkAddress !== undefined) record.networkAddress = networkAddress;
  if (isStrings(httpVersions)) record.httpVersions = httpVersions;
  if (isStrings(dnsIpv6)) record.dnsIpv6 = dnsIpv6;
  if (value.dnsLookupFailed === true) record.dnsLookupFailed = true;
  return record;
}
