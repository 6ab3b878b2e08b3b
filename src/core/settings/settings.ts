/**
 * The user's settings (synced across the user's browsers, but for those that make IPvLens send
 * something, kept on each device: deviceSettings.ts) and the rules on them: defaults, how a
 * stored value is read back, validation of look-up templates and NAT64 prefixes, look-up links.
 */
import { parseAddress } from '../address/address';
import { combinePrefixes, parseNat64Prefix, type Nat64Prefix, type Nat64PrefixError, type Nat64Source } from '../address/nat64';
import { DOH_RESOLVER_IDS, checkDohUrl, normalizeDohUrl, type DohResolverId } from './dohResolvers';

/** The browser's light or dark appearance; also which toolbar an icon palette is drawn for. */
export type ColorScheme = 'light' | 'dark';

export const ICON_STYLES = ['auto', 'light', 'dark'] as const satisfies readonly ('auto' | ColorScheme)[];
export type IconStyle = (typeof ICON_STYLES)[number];

export const LOOKUP_PROVIDER_IDS = ['bgp.he.net', 'ipinfo.io', 'info.addr.tools', 'custom'] as const;
export type LookupProviderId = (typeof LOOKUP_PROVIDER_IDS)[number];

export interface Settings {
  iconStyle: IconStyle;
  /** The user's own NAT64 prefixes, canonical text ("2001:db8:64::/96"). */
  nat64Prefixes: string[];
  lookupProvider: LookupProviderId;
  /** `https://…$…` templates, used when lookupProvider is 'custom'. */
  customDomainTemplate: string;
  customAddressTemplate: string;
  showConnectedHighlight: boolean;
  /**
   * Ask whether domains reached over IPv4 have IPv6 too: Firefox's own resolver (may cause DNS
   * look-ups), or on Chrome the DNS-over-HTTPS resolver below (sends those names to it).
   */
  dnsIpv6Check: boolean;
  /** The DNS-over-HTTPS resolver the check asks on Chrome. */
  dohResolver: DohResolverId;
  /** Its `https://` URL when dohResolver is 'custom' ('' while none is set: nothing is sent). */
  dohCustomUrl: string;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  iconStyle: 'auto',
  nat64Prefixes: [],
  lookupProvider: 'bgp.he.net',
  customDomainTemplate: '',
  customAddressTemplate: '',
  showConnectedHighlight: true,
  dnsIpv6Check: false,
  dohResolver: 'cloudflare',
  dohCustomUrl: '',
});

/**
 * What a page needs of the config to render: sent with each report, so the popup shows the user's
 * settings from its first frame without a storage read of its own.
 */
export interface ViewConfig {
  settings: Settings;
  /** The colour scheme last reported by a page (pages update it when theirs differs). */
  pageScheme: ColorScheme | undefined;
}

/** storage.sync key of the synced settings; storage.local keys of per-machine state (and DEVICE_SETTINGS_KEY). */
export const SETTINGS_KEY = 'settings';
export const LEARNED_NAT64_KEY = 'learnedNat64';
export const COLOR_SCHEME_KEY = 'colorScheme';

/** `$` is replaced by the value. Built-in services; ipinfo.io has no page per domain. */
export const LOOKUP_PROVIDERS: Record<Exclude<LookupProviderId, 'custom'>, { domain?: string; address: string }> = {
  'bgp.he.net': { domain: 'https://bgp.he.net/dns/$', address: 'https://bgp.he.net/ip/$' },
  'ipinfo.io': { address: 'https://ipinfo.io/$' },
  'info.addr.tools': { domain: 'https://info.addr.tools/$', address: 'https://info.addr.tools/$' },
};

const isOneOf = <T extends string>(options: readonly T[], value: unknown): value is T => typeof value === 'string' && (options as readonly string[]).includes(value);

/**
 * Settings from whatever storage holds: each field that is missing or of the wrong shape falls
 * back to its default, so a damaged or older value never breaks the extension.
 */
export function settingsFrom(stored: unknown): Settings {
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const template = (field: unknown): string => (typeof field === 'string' && checkTemplate(field) === undefined ? field : '');
  return {
    iconStyle: isOneOf(ICON_STYLES, value.iconStyle) ? value.iconStyle : DEFAULT_SETTINGS.iconStyle,
    nat64Prefixes: validPrefixTexts(value.nat64Prefixes, 'user'),
    lookupProvider: isOneOf(LOOKUP_PROVIDER_IDS, value.lookupProvider) ? value.lookupProvider : DEFAULT_SETTINGS.lookupProvider,
    customDomainTemplate: template(value.customDomainTemplate),
    customAddressTemplate: template(value.customAddressTemplate),
    showConnectedHighlight: typeof value.showConnectedHighlight === 'boolean' ? value.showConnectedHighlight : DEFAULT_SETTINGS.showConnectedHighlight,
    dnsIpv6Check: typeof value.dnsIpv6Check === 'boolean' ? value.dnsIpv6Check : DEFAULT_SETTINGS.dnsIpv6Check,
    dohResolver: isOneOf(DOH_RESOLVER_IDS, value.dohResolver) ? value.dohResolver : DEFAULT_SETTINGS.dohResolver,
    dohCustomUrl: typeof value.dohCustomUrl === 'string' && checkDohUrl(value.dohCustomUrl) === undefined ? normalizeDohUrl(value.dohCustomUrl) : '',
  };
}

/** The distinct texts of a stored list that are valid NAT64 prefixes; [] for anything else. */
function validPrefixTexts(stored: unknown, source: Nat64Source): string[] {
  return Array.isArray(stored) ? [...new Set(stored.filter((p): p is string => typeof p === 'string' && parseNat64Prefix(p, source).ok))] : [];
}

export function learnedPrefixesFrom(stored: unknown): string[] {
  return validPrefixTexts(stored, 'learned');
}

export function prefixesInForce(settings: Settings, learned: readonly string[]): Nat64Prefix[] {
  return combinePrefixes(settings.nat64Prefixes, learned);
}

export type TemplateError = 'https' | 'dollar' | 'url';

/** An empty template is allowed (no link); otherwise `https://`, a `$`, and a valid URL. */
export function checkTemplate(template: string): TemplateError | undefined {
  const text = template.trim();
  if (text === '') return undefined;
  if (!/^https:\/\//i.test(text)) return 'https';
  if (!text.includes('$')) return 'dollar';
  try {
    const url = new URL(text.replaceAll('$', 'example.com'));
    if (url.hostname === '') return 'url';
  } catch {
    return 'url';
  }
  return undefined;
}

export type AddPrefixResult = { ok: true; settings: Settings; prefix: string } | { ok: false; error: Nat64PrefixError | { code: 'duplicate'; prefix: string } };

/** Adds a user prefix; refused (settings unchanged) if invalid or already in force. */
export function addNat64Prefix(settings: Settings, learned: readonly string[], input: string): AddPrefixResult {
  const parsed = parseNat64Prefix(input);
  if (!parsed.ok) return parsed;
  const text = parsed.prefix.text;
  if (prefixesInForce(settings, learned).some((prefix) => prefix.text === text)) return { ok: false, error: { code: 'duplicate', prefix: text } };
  return { ok: true, settings: { ...settings, nat64Prefixes: [...settings.nat64Prefixes, text] }, prefix: text };
}

export function removeNat64Prefix(settings: Settings, text: string): Settings {
  return { ...settings, nat64Prefixes: settings.nat64Prefixes.filter((prefix) => prefix !== text) };
}

export type LookupKind = 'domain' | 'address';

/** The template for a kind of value under the current settings, if the service has one. */
export function lookupTemplate(settings: Settings, kind: LookupKind): string | undefined {
  if (settings.lookupProvider === 'custom') {
    const template = kind === 'domain' ? settings.customDomainTemplate : settings.customAddressTemplate;
    return template.trim() === '' || checkTemplate(template) !== undefined ? undefined : template.trim();
  }
  return LOOKUP_PROVIDERS[settings.lookupProvider][kind];
}

/** Host name of the look-up service, for link titles. */
export function lookupServiceName(settings: Settings, kind: LookupKind): string | undefined {
  const template = lookupTemplate(settings, kind);
  if (template === undefined) return undefined;
  try {
    return new URL(template.replaceAll('$', 'x')).hostname;
  } catch {
    return undefined;
  }
}

/** A value as it goes into a URL: percent-encoded, but IPv6 colons kept readable; no zone. */
function encodeValue(value: string): string {
  const withoutZone = value.includes(':') ? value.replace(/%.*$/, '') : value;
  return encodeURIComponent(withoutZone).replaceAll('%3A', ':');
}

export function lookupUrl(settings: Settings, kind: LookupKind, value: string): string | undefined {
  const template = lookupTemplate(settings, kind);
  return template === undefined ? undefined : template.replaceAll('$', encodeValue(value));
}

const HOST_NAME = /^(?=.{1,253}\.?$)(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_-]{0,61}[\p{L}\p{N}_])?\.)+[\p{L}\p{N}-]{2,63}\.?$/u;

/**
 * What a selection in an extension page can be looked up as: the first word of it that is an IP
 * address or a host name. Undefined if none is.
 */
export function lookupTargetOf(selection: string): { kind: LookupKind; value: string } | undefined {
  for (const raw of selection.split(/[\s,;()]+/)) {
    const word = raw.replace(/^[[“"']+|[\]”"'.]+$/g, '');
    if (word === '') continue;
    if (parseAddress(word).ok) return { kind: 'address', value: word };
    if (HOST_NAME.test(word) && !/^[\d.]+$/.test(word)) return { kind: 'domain', value: word.toLowerCase().replace(/\.$/, '') };
  }
  return undefined;
}
