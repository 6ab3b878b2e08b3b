/** Display text for the popup's cells, all from the locale's messages. */
import type { Family } from '../core/address/address';
import type { AddressClass } from '../core/address/addressClass';
import type { MessageKey } from '../core/i18n';
import type { FlagName } from '../core/tab/model';
import { familyKeyOf, type FamilyKey } from '../core/view/reportTable';
import { formatBytes } from '../core/live/share';
import type { AddressSnapshot, DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';

export function familyLabel(family: Family | undefined): string {
  return t(family === 6 ? 'familyIPv6' : family === 4 ? 'familyIPv4' : 'familyUnknown');
}

export function familySpoken(family: Family | undefined): string {
  return family === undefined ? t('familyUnknownSpoken') : familyLabel(family);
}

/** Value of the stable `data-family` attribute (the report's family filter uses the same keys). */
export function familyAttribute(family: Family | undefined): FamilyKey {
  return familyKeyOf(family);
}

const CLASS_KEYS: Record<AddressClass, [MessageKey, MessageKey]> = {
  global: ['classGlobal', 'classGlobalTitle'],
  private: ['classPrivate', 'classPrivateTitle'],
  shared: ['classShared', 'classSharedTitle'],
  loopback: ['classLoopback', 'classLoopbackTitle'],
  'link-local': ['classLinkLocal', 'classLinkLocalTitle'],
  'unique-local': ['classUniqueLocal', 'classUniqueLocalTitle'],
  documentation: ['classDocumentation', 'classDocumentationTitle'],
  nat64: ['classNat64', 'classNat64Title'],
  'ipv4-mapped': ['classIpv4Mapped', 'classIpv4MappedTitle'],
  '6to4': ['classSixToFour', 'classSixToFourTitle'],
  teredo: ['classTeredo', 'classTeredoTitle'],
  multicast: ['classMulticast', 'classMulticastTitle'],
  benchmarking: ['classBenchmarking', 'classBenchmarkingTitle'],
  reserved: ['classReserved', 'classReservedTitle'],
  unspecified: ['classUnspecified', 'classUnspecifiedTitle'],
};

/** Short label of an address's class; "unparseable" for text that is not an address. */
export function classLabel(addressClass: AddressClass | undefined): string {
  return addressClass === undefined ? t('unparseableLabel') : t(CLASS_KEYS[addressClass][0]);
}

/** The class in plain words, with what is embedded in the address (IPv4 server, Teredo ends). */
export function classTitle(address: AddressSnapshot): string {
  if (address.addressClass === undefined) return t('unparseableTitle', address.canonical);
  const lines = [t(CLASS_KEYS[address.addressClass][1])];
  if (address.teredo !== undefined && address.ipv4 !== undefined) {
    lines.push(t('detailTeredo', [address.teredo.server, address.ipv4, String(address.teredo.clientPort)]));
  } else if (address.addressClass === '6to4' && address.ipv4 !== undefined) {
    lines.push(t('detail6to4', address.ipv4));
  } else if (address.ipv4 !== undefined && address.addressClass !== 'ipv4-mapped') {
    lines.push(t('detailIPv4', address.ipv4));
  }
  if (address.nat64Prefix !== undefined) lines.push(t('detailNat64Prefix', address.nat64Prefix));
  return lines.join('\n');
}

/** One of a domain's addresses in words: family, class, responses (and how many came from cache). */
export function addressDetail(address: AddressSnapshot): string {
  const detail = t('addressResponses', [familyLabel(address.family), classLabel(address.addressClass), String(address.responses)]);
  return address.cached > 0 ? t('addressCached', [detail, String(address.cached)]) : detail;
}

/** Declared bytes, "?" when nothing declared a size (a tooltip says more). */
export function sizeText(row: DomainSnapshot): string {
  return row.bytes === 0 && row.unsized > 0 ? '?' : formatBytes(row.bytes);
}

/** Flags worth a glance; TLS is the norm, so only its absence is shown. */
export const FLAG_KEYS: Partial<Record<FlagName, [MessageKey, MessageKey]>> = {
  cache: ['flagCache', 'flagCacheTitle'],
  prefetch: ['flagPrefetch', 'flagPrefetchTitle'],
  serviceWorker: ['flagServiceWorker', 'flagServiceWorkerTitle'],
  websocket: ['flagWebsocket', 'flagWebsocketTitle'],
  plainHttp: ['flagPlainHttp', 'flagPlainHttpTitle'],
};

const twoDigits = (n: number): string => String(n).padStart(2, '0');

/** Local time as HH:MM:SS. Built by hand: an Intl formatter costs more to create than a popup render. */
export function timeOfDay(epochMs: number): string {
  const date = new Date(epochMs);
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}
