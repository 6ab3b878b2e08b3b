/**
 * The audit's --doh look-up with the network replaced: the extension's RFC 8484 question, and each
 * kind of answer mapped to the audit's DNS evidence (aaaa, none, failed — NXDOMAIN, an error, a
 * timeout and a malformed answer are never "none").
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dohLookup } from '../../scripts/audit/dnsLookup';
import { DOH_TIMEOUT_MS } from '../../src/background/dnsResolvers';
import { MAX_DNS_MESSAGE, aaaaQuery, dohGetUrl } from '../../src/core/address/dohMessage';
import { dnsAnswer } from '../support/dnsAnswer';

const RESOLVER = 'http://127.0.0.1:8053/dns-query';
const HOST = 'pub.v4.test';
const V6 = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 0x64]);

const answerTo = (name: string, addresses: Uint8Array[], rcode = 0): Uint8Array => dnsAnswer(aaaaQuery(name) as Uint8Array, addresses, rcode);
const dnsMessage = (body: Uint8Array): Response => new Response(new Uint8Array(body), { headers: { 'content-type': 'application/dns-message' } });

function fakeFetch(respond: () => Response | Promise<Response>): { fetch: typeof fetch; urls: string[]; inits: Array<RequestInit | undefined> } {
  const urls: string[] = [];
  const inits: Array<RequestInit | undefined> = [];
  const fake = (url: string, init?: RequestInit): Promise<Response> => {
    urls.push(url);
    inits.push(init);
    return Promise.resolve().then(respond);
  };
  return { fetch: fake as unknown as typeof fetch, urls, inits };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the audit asks a DoH resolver as the extension does', () => {
  it.each<[string, () => Response | Promise<Response>, string]>([
    ['an AAAA record is aaaa', () => dnsMessage(answerTo(HOST, [V6])), 'aaaa'],
    ['NOERROR without AAAA records is none', () => dnsMessage(answerTo(HOST, [])), 'none'],
    ['NXDOMAIN is no evidence (the resolver does not see the name the browser reached)', () => dnsMessage(answerTo(HOST, [], 3)), 'failed'],
    ['SERVFAIL fails', () => dnsMessage(answerTo(HOST, [], 2)), 'failed'],
    ['an HTTP error fails', () => new Response('no', { status: 503 }), 'failed'],
    ['a network error fails', () => Promise.reject(new TypeError('fetch failed')), 'failed'],
    ['a JSON answer (not RFC 8484) fails', () => new Response('{"Status":0}', { headers: { 'content-type': 'application/dns-json' } }), 'failed'],
    ['a cut-off message fails', () => dnsMessage(answerTo(HOST, [V6]).subarray(0, 40)), 'failed'],
    ['a malformed message (bytes after its records) fails', () => dnsMessage(Uint8Array.from([...answerTo(HOST, [V6]), 0])), 'failed'],
    ['an answer to another question fails', () => dnsMessage(answerTo('other.test', [V6])), 'failed'],
  ])('%s', async (_name, respond, expected) => {
    const net = fakeFetch(respond);
    expect(await dohLookup(RESOLVER, net.fetch)(HOST)).toBe(expected);
    // One GET of the extension's own question, asking for a DNS message.
    expect(net.urls).toStrictEqual([dohGetUrl(RESOLVER, aaaaQuery(HOST) as Uint8Array)]);
    expect(new Headers(net.inits[0]?.headers).get('accept')).toBe('application/dns-message');
    expect(net.inits[0]?.method ?? 'GET').toBe('GET');
  });

  it('an endless answer fails after at most 65,535 bytes and one chunk read, as in the extension', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 4096;
          controller.enqueue(new Uint8Array(4096));
        },
      },
      { highWaterMark: 0 },
    );
    const net = fakeFetch(() => new Response(endless, { headers: { 'content-type': 'application/dns-message' } }));
    expect(await dohLookup(RESOLVER, net.fetch)(HOST)).toBe('failed');
    expect(pulled).toBeGreaterThan(MAX_DNS_MESSAGE);
    expect(pulled).toBeLessThanOrEqual(MAX_DNS_MESSAGE + 4096);
  });

  it('a resolver that does not answer in time fails once the timeout is over, not before', async () => {
    vi.useFakeTimers();
    let aborted = false;
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('aborted', 'AbortError'));
        });
      })) as unknown as typeof fetch;
    const answer = dohLookup(RESOLVER, hanging)(HOST);
    await vi.advanceTimersByTimeAsync(DOH_TIMEOUT_MS - 1);
    expect(aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(aborted).toBe(true);
    expect(await answer).toBe('failed');
  });
});
