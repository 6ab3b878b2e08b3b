/**
 * The proxy a browser says a request went through (Firefox's webRequest `proxyInfo`). Read from
 * an untyped value because it comes straight from the browser: anything malformed reads as "no
 * proxy reported", never as a wrong one.
 */

export type ProxyType = 'http' | 'https' | 'socks' | 'socks4';

export interface ReportedProxy {
  type: ProxyType;
  host: string;
  port: number;
  /** The proxy resolved the host name (SOCKS with remote DNS): the browser did no DNS of its own. */
  proxyDns: boolean;
}

const PROXY_TYPES: ReadonlySet<string> = new Set<ProxyType>(['http', 'https', 'socks', 'socks4']);

function isProxyType(value: unknown): value is ProxyType {
  return typeof value === 'string' && PROXY_TYPES.has(value);
}

/** `undefined` for no proxy: absent, `direct`, or not a shape a browser sends. */
export function reportedProxyOf(proxyInfo: unknown): ReportedProxy | undefined {
  if (typeof proxyInfo !== 'object' || proxyInfo === null) return undefined;
  const { type, host, port, proxyDNS } = proxyInfo as Record<string, unknown>;
  if (!isProxyType(type) || typeof host !== 'string' || host === '') return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { type, host, port, proxyDns: proxyDNS === true };
}

/** "host:port", an IPv6 host in brackets: how the proxy is named in rows and `data-proxy`. */
export function proxyEndpoint(proxy: Pick<ReportedProxy, 'host' | 'port'>): string {
  const host = proxy.host.includes(':') && !proxy.host.startsWith('[') ? `[${proxy.host}]` : proxy.host;
  return `${host}:${proxy.port}`;
}
