/**
 * Did a page view's answers come through a proxy? Firefox says so per request (proxyInfo, kept on
 * the address: AddressStat.proxy). Chrome does not: there a page whose many domains all answer
 * from one address is *suspected* — a mark only, which changes no family, share or verdict — and
 * becomes *confirmed* when the browser's proxy settings (read with the optional `proxy`
 * permission, on the user's request) say a proxy may be in force.
 */
import type { Describer } from '../address/addressClass';
import type { Translate } from '../i18n';
import { domainProxy, type DomainRecord, type PageView } from '../tab/model';
import { proxyEndpoint, type ProxyType } from './reportedProxy';

/** chrome.proxy.settings' modes. */
export type ProxyMode = 'direct' | 'auto_detect' | 'pac_script' | 'fixed_servers' | 'system';
export const PROXY_MODES: readonly ProxyMode[] = ['direct', 'auto_detect', 'pac_script', 'fixed_servers', 'system'];

/** What the browser's settings say (Chrome, read on the user's request). */
export interface BrowserProxySettings {
  mode: ProxyMode;
  /** "host:port" of a fixed single proxy, when the settings name one. */
  endpoint?: string;
}

/**
 * chrome.proxy.settings' value ({ mode, rules?: { singleProxy?: { host, port } } }) as far as it
 * matters here; undefined for a shape the browser does not send.
 */
export function browserProxySettingsOf(value: unknown): BrowserProxySettings | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { mode, rules } = value as Record<string, unknown>;
  if (typeof mode !== 'string' || !(PROXY_MODES as readonly string[]).includes(mode)) return undefined;
  const settings: BrowserProxySettings = { mode: mode as ProxyMode };
  const single = typeof rules === 'object' && rules !== null ? (rules as Record<string, unknown>).singleProxy : undefined;
  if (mode === 'fixed_servers' && typeof single === 'object' && single !== null) {
    const { host, port } = single as Record<string, unknown>;
    if (typeof host === 'string' && host !== '' && typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535) {
      settings.endpoint = proxyEndpoint({ host, port });
    }
  }
  return settings;
}

/** Why the one address looks like a proxy's: it is loopback, private (any local range), or merely the same for every host. */
export type SuspicionReason = 'loopback' | 'private' | 'same';

export interface ProxySuspicion {
  reason: SuspicionReason;
  /** The one address every domain answered from. */
  address: string;
  /** How many domains answered from it. */
  domains: number;
}

/**
 * Thresholds: a local server for a few host names is common in development, ten names on one
 * global address is not (a CDN serves a page's own hosts, rarely every third party too).
 */
export const SUSPECT_LOCAL_MIN_DOMAINS = 4;
export const SUSPECT_SHARED_MIN_DOMAINS = 10;

const LOCAL_CLASSES: ReadonlySet<string> = new Set(['private', 'shared', 'link-local', 'unique-local']);

/** The address a domain's answers came from over the network (its newest one, else any it has). */
function answeredFrom(record: DomainRecord): string | undefined {
  return record.networkAddress ?? record.primary;
}

/**
 * The heuristic: at least the threshold of different domains answered, every one of them from the
 * same address. Domains with no answer yet are left out; one domain elsewhere clears the page.
 */
export function proxySuspicionOf(domains: Iterable<DomainRecord>, describe: Describer): ProxySuspicion | undefined {
  let address: string | undefined;
  let count = 0;
  for (const record of domains) {
    const from = answeredFrom(record);
    if (from === undefined) continue;
    if (address === undefined) address = from;
    else if (from !== address) return undefined;
    count++;
  }
  if (address === undefined) return undefined;
  const addressClass = describe(address)?.addressClass;
  const reason: SuspicionReason = addressClass === 'loopback' ? 'loopback' : addressClass !== undefined && LOCAL_CLASSES.has(addressClass) ? 'private' : 'same';
  const needed = reason === 'same' ? SUSPECT_SHARED_MIN_DOMAINS : SUSPECT_LOCAL_MIN_DOMAINS;
  return count >= needed ? { reason, address, domains: count } : undefined;
}

/** Settings under which requests may go through a proxy. `auto_detect` (WPAD) may too, but finds none on most networks: not taken as one. */
export function settingsMayProxy(settings: BrowserProxySettings | undefined): boolean {
  return settings !== undefined && (settings.mode === 'fixed_servers' || settings.mode === 'pac_script' || settings.mode === 'system');
}

/**
 * A page view's proxy state:
 * - `reported`: the browser said some answers came through a proxy (endpoints listed);
 * - `settings`: suspected, and the browser's proxy settings confirm one may be in force;
 * - `suspected`: the heuristic only — a mark, nothing is taken out of the counts.
 */
export type PageProxy =
  | { kind: 'reported'; endpoints: string[] }
  | { kind: 'settings'; settings: BrowserProxySettings; suspicion: ProxySuspicion }
  | { kind: 'suspected'; suspicion: ProxySuspicion };

/**
 * What the background knows beyond the page: whether this browser leaves proxies to be suspected
 * (Chrome; Firefox reports them, so a suspicion there would only be wrong), and its proxy settings.
 */
export interface ProxyContext {
  suspect: boolean;
  settings?: BrowserProxySettings;
}

export function pageProxyOf(view: PageView, describe: Describer, context: ProxyContext = { suspect: true }): PageProxy | undefined {
  const endpoints = new Set<string>();
  for (const record of view.domains.values()) {
    for (const canonical in record.addresses) {
      const proxy = record.addresses[canonical]?.proxy;
      if (proxy !== undefined) endpoints.add(proxyEndpoint(proxy));
    }
  }
  if (endpoints.size > 0) return { kind: 'reported', endpoints: [...endpoints].sort() };
  const suspicion = context.suspect ? proxySuspicionOf(view.domains.values(), describe) : undefined;
  if (suspicion === undefined) return undefined;
  const settings = context.settings;
  return settings !== undefined && settingsMayProxy(settings) ? { kind: 'settings', settings, suspicion } : { kind: 'suspected', suspicion };
}

/** The confirmed proxy of a whole page from the settings: every domain's answers are the proxy's, none counts as the server's. */
export function allAnswersProxied(proxy: PageProxy | undefined): boolean {
  return proxy?.kind === 'settings';
}

/**
 * A row's `data-proxy`: the proxy's "host:port" when the browser named it (its per-request report,
 * or a fixed proxy in its settings), `settings` when the settings confirm one without naming it
 * (PAC script, system), `suspected` on the heuristic alone; undefined otherwise.
 */
export function rowProxyMark(record: DomainRecord, page: PageProxy | undefined): string | undefined {
  const reported = domainProxy(record);
  if (reported !== undefined) return proxyEndpoint(reported);
  if (page === undefined || page.kind === 'reported' || answeredFrom(record) === undefined) return undefined;
  if (page.kind === 'suspected') return 'suspected';
  return page.settings.endpoint ?? 'settings';
}

const TYPE_LABELS: Record<ProxyType, string> = { http: 'HTTP', https: 'HTTPS', socks: 'SOCKS', socks4: 'SOCKS4' };

/** A row's proxy in words, beside its address and in the Markdown export: "via proxy 127.0.0.1:3128, HTTP", "proxy?". */
export function proxyNoteText(t: Translate, proxy: { mark: string; confirmed: boolean; type?: ProxyType }): string {
  if (!proxy.confirmed) return t('proxySuspectedRow');
  return proxy.type === undefined ? t('proxyViaSettings') : t('proxyVia', [proxy.mark, TYPE_LABELS[proxy.type]]);
}
