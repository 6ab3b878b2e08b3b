/**
 * The resolvers the optional DNS check asks: Firefox's own (`browser.dns`), or where the browser
 * has none for extensions (Chrome) the DNS-over-HTTPS resolver the user chose (RFC 8484, GET).
 * Any error, a timeout or an answer the core refuses is a failed look-up, never "no IPv6".
 */
import type { DnsLookup } from '../core/address/dnsCheck';
import { DNS_MESSAGE_TYPE, MAX_DNS_MESSAGE, aaaaQuery, dohGetUrl, parseAaaaAnswer } from '../core/address/dohMessage';
import { dohResolverUrl } from '../core/settings/dohResolvers';
import type { Settings } from '../core/settings/settings';
import type { BrowserDns } from '../platform/dns';

export type Resolver = (domain: string) => Promise<DnsLookup>;

/** Longer than a resolver takes to answer from afar, short enough for the answer to matter. */
export const DOH_TIMEOUT_MS = 5000;

const failed = (reason: string): DnsLookup => ({ kind: 'failed', reason });

export function firefoxResolver(dns: BrowserDns): Resolver {
  return (domain) =>
    dns.resolve(domain).then(
      (answer): DnsLookup => ({ kind: 'answer', addresses: answer.addresses }),
      (error: unknown) => failed(String(error)),
    );
}

/**
 * The body of `response`, read chunk by chunk; undefined as soon as it passes `limit` bytes, the
 * stream cancelled there: a resolver (or anything posing as one) sending an endless or huge body
 * costs at most `limit` plus one chunk, never the whole body in memory. Stops, with what it has,
 * when `signal` aborts (the caller's timeout).
 */
export async function readCapped(response: Response, limit: number, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > limit) {
        stop();
        return undefined;
      }
      chunks.push(value);
    }
    const body = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return body;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * Asks `url` for the AAAA records of a domain: one GET, no cookies, no referrer, no redirect
 * followed (the names go to the resolver named, nowhere else). The browser's HTTP cache may answer
 * a repeat within the resolver's TTL (RFC 8484 §5.1: ID 0 makes equal questions equal URLs).
 * The answer is read no further than a DNS message can be long (readCapped).
 */
export function dohResolver(url: string, fetchImpl: typeof fetch = fetch, timeoutMs = DOH_TIMEOUT_MS): Resolver {
  return async (domain) => {
    const query = aaaaQuery(domain);
    if (query === undefined) return failed('not a name DNS can carry');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetchImpl(dohGetUrl(url, query), {
        headers: { accept: DNS_MESSAGE_TYPE },
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        redirect: 'error',
        signal: controller.signal,
      });
      if (response.status !== 200) return failed(`HTTP ${response.status}`);
      const type = response.headers.get('content-type') ?? '';
      if (type.split(';')[0]?.trim().toLowerCase() !== DNS_MESSAGE_TYPE) return failed(`content type ${type}`);
      const body = await readCapped(response, MAX_DNS_MESSAGE, controller.signal);
      if (body === undefined) return failed('an answer longer than a DNS message');
      if (controller.signal.aborted) return failed('timeout');
      const answer = parseAaaaAnswer(body, domain);
      return answer.ok ? { kind: 'answer', addresses: answer.addresses } : failed(answer.reason);
    } catch (error) {
      return failed(controller.signal.aborted ? 'timeout' : String(error));
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The resolver the settings choose in this browser; undefined when there is none to ask. */
export function resolverFor(settings: Settings, dns: BrowserDns | undefined, fetchImpl: typeof fetch = fetch): Resolver | undefined {
  if (dns !== undefined) return firefoxResolver(dns);
  const url = dohResolverUrl(settings.dohResolver, settings.dohCustomUrl);
  return url === undefined ? undefined : dohResolver(url, fetchImpl);
}
