/**
 * Small URL helpers for the per-request path. Browsers hand us canonical URLs (lower-case host,
 * punycode), so a string scan is enough and avoids building a URL object for every request.
 */

const NETWORK_SCHEMES = ['http://', 'https://', 'ws://', 'wss://'] as const;

/** The scheme prefix ("https://") of a URL that goes over the network, else undefined. */
export function networkScheme(url: string): (typeof NETWORK_SCHEMES)[number] | undefined {
  for (const scheme of NETWORK_SCHEMES) if (url.startsWith(scheme)) return scheme;
  return undefined;
}

/** Host of an http(s)/ws(s) URL without port or user info; IPv6 literals keep their brackets. */
export function hostOf(url: string): string | undefined {
  const scheme = networkScheme(url);
  if (scheme === undefined) return undefined;
  const start = scheme.length;
  let end = url.length;
  for (let i = start; i < url.length; i++) {
    const c = url.charCodeAt(i);
    // '/', '?', '#'
    if (c === 47 || c === 63 || c === 35) {
      end = i;
      break;
    }
  }
  let authority = url.slice(start, end);
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    return close === -1 ? undefined : authority.slice(0, close + 1).toLowerCase();
  }
  const colon = authority.indexOf(':');
  return normalizeHost(colon === -1 ? authority : authority.slice(0, colon));
}

/**
 * A host name as IPvLens stores it, whatever the source: lower case, without the trailing dot of
 * a fully qualified name ("cdn.example.com." and "cdn.example.com" are one domain), and an IDN in
 * punycode as browsers give it. Undefined for an empty name (".", "").
 */
export function normalizeHost(host: string): string | undefined {
  let name = host.toLowerCase();
  while (name.endsWith('.')) name = name.slice(0, -1);
  // Browsers hand over punycode already; a name from elsewhere goes through the URL parser once.
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) name = punycodeOf(name) ?? name;
  return name === '' ? undefined : name;
}

function punycodeOf(name: string): string | undefined {
  try {
    return new URL(`http://${name}/`).hostname.replace(/\.+$/, '');
  } catch {
    return undefined;
  }
}

/** Origin ("https://host:port") of a network URL, as browsers report it in `initiator`. */
export function originOf(url: string): string | undefined {
  const scheme = networkScheme(url);
  if (scheme === undefined) return undefined;
  const rest = url.slice(scheme.length);
  const end = rest.search(/[/?#]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  authority = authority.toLowerCase();
  const defaultPort = scheme === 'https://' || scheme === 'wss://' ? ':443' : ':80';
  if (authority.endsWith(defaultPort)) authority = authority.slice(0, -defaultPort.length);
  return scheme + authority;
}

export function isSecureScheme(url: string): boolean {
  return url.startsWith('https://') || url.startsWith('wss://');
}

/** What kind of page a tab shows, for the popup's empty states. */
export type PageKind = 'web' | 'local-file' | 'browser-page' | 'unknown';

export function pageKindOf(url: string | undefined): PageKind {
  if (url === undefined || url === '') return 'unknown';
  if (url.startsWith('http://') || url.startsWith('https://')) return 'web';
  if (url.startsWith('file:')) return 'local-file';
  return 'browser-page';
}
