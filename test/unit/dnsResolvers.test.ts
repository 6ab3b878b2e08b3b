/**
 * The DNS check's resolvers (Firefox's own, DNS-over-HTTPS on Chrome) with the network replaced,
 * and the check's rule of one look-up per host per page view, with the resolver injected.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDnsCheck } from '../../src/background/dnsCheck';
import { DOH_TIMEOUT_MS, dohResolver, firefoxResolver, readCapped, resolverFor, type Resolver } from '../../src/background/dnsResolvers';
import { MAX_DNS_MESSAGE } from '../../src/core/address/dohMessage';
import type { DnsLookup } from '../../src/core/address/dnsCheck';
import { aaaaQuery } from '../../src/core/address/dohMessage';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';
import { drainChanges, recordDnsAnswer, recordDnsFailure, type Tracker } from '../../src/core/tab/tracker';
import { dnsAnswer } from '../support/dnsAnswer';
import { load, navigate, newTracker } from './trackerEvents';

const RESOLVER = 'https://dns.example/dns-query';

/** The resolver's answer to the AAAA question for `name`. */
const answerTo = (name: string, addresses: number[][], rcode = 0): Uint8Array => dnsAnswer(aaaaQuery(name) as Uint8Array, addresses.map((address) => Uint8Array.from(address)), rcode);
const V6_ONE = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1];

/** The one form the resolver calls fetch in: a URL string. */
type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

function recordingFetch(respond: (url: URL) => Response | Promise<Response>): { fetch: typeof fetch; calls: Array<{ url: URL; init: RequestInit | undefined }> } {
  const calls: Array<{ url: URL; init: RequestInit | undefined }> = [];
  const fake: Fetch = async (url, init) => {
    calls.push({ url: new URL(url), init });
    return respond(new URL(url));
  };
  return { fetch: fake as unknown as typeof fetch, calls };
}

const dnsMessage = (body: Uint8Array, type = 'application/dns-message'): Response => new Response(new Uint8Array(body), { status: 200, headers: { 'content-type': type } });

afterEach(() => {
  vi.useRealTimers();
});

describe('asking a DNS-over-HTTPS resolver', () => {
  it('sends one GET with the question, no cookies, no referrer, no redirect followed, and reads the answer', async () => {
    const net = recordingFetch(() => dnsMessage(answerTo('v4.example', [V6_ONE])));
    expect(await dohResolver(RESOLVER, net.fetch)('v4.example')).toStrictEqual({ kind: 'answer', addresses: ['2001:db8::1'] });
    expect(net.calls).toHaveLength(1);
    const { url, init } = net.calls[0] ?? { url: new URL('about:blank'), init: undefined };
    expect(`${url.origin}${url.pathname}`).toBe(RESOLVER);
    expect([...Buffer.from(url.searchParams.get('dns') ?? '', 'base64url')]).toStrictEqual([...(aaaaQuery('v4.example') as Uint8Array)]);
    expect(init).toMatchObject({ headers: { accept: 'application/dns-message' }, credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'error' });
    expect(init?.method ?? 'GET').toBe('GET');
  });

  it.each<[string, () => Response | Promise<Response>, DnsLookup]>([
    ['an answer with no AAAA is "none"', () => dnsMessage(answerTo('v4.example', [])), { kind: 'answer', addresses: [] }],
    ['a media type with parameters', () => dnsMessage(answerTo('v4.example', [V6_ONE]), 'Application/DNS-Message; charset=binary'), { kind: 'answer', addresses: ['2001:db8::1'] }],
    ['NXDOMAIN fails', () => dnsMessage(answerTo('v4.example', [], 3)), { kind: 'failed', reason: 'nxdomain' }],
    ['SERVFAIL fails', () => dnsMessage(answerTo('v4.example', [], 2)), { kind: 'failed', reason: 'rcode' }],
    ['an answer to another name fails', () => dnsMessage(answerTo('w4.example', [V6_ONE])), { kind: 'failed', reason: 'wrong-question' }],
    ['a cut answer fails', () => dnsMessage(answerTo('v4.example', [V6_ONE]).subarray(0, 40)), { kind: 'failed', reason: 'truncated' }],
    ['HTTP 500 fails', () => new Response('oops', { status: 500 }), { kind: 'failed', reason: 'HTTP 500' }],
    ['a web page instead of a DNS message fails', () => dnsMessage(Uint8Array.from(Buffer.from('<html></html>')), 'text/html'), { kind: 'failed', reason: 'content type text/html' }],
    ['an answer longer than any DNS message fails', () => dnsMessage(new Uint8Array(70_000)), { kind: 'failed', reason: 'an answer longer than a DNS message' }],
    ['a network error fails', () => Promise.reject(new TypeError('Failed to fetch')), { kind: 'failed', reason: 'TypeError: Failed to fetch' }],
  ])('%s', async (_name, respond, expected) => {
    const net = recordingFetch(respond);
    expect(await dohResolver(RESOLVER, net.fetch)('v4.example')).toStrictEqual(expected);
    expect(net.calls).toHaveLength(1);
  });

  it('a resolver that does not answer in time fails with "timeout"', async () => {
    vi.useFakeTimers();
    let aborted = false;
    const hanging: Fetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    const lookup = dohResolver(RESOLVER, hanging as unknown as typeof fetch)('v4.example');
    await vi.advanceTimersByTimeAsync(DOH_TIMEOUT_MS - 1);
    expect(aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await lookup).toStrictEqual({ kind: 'failed', reason: 'timeout' });
    expect(aborted).toBe(true);
  });

  it('a name DNS cannot carry fails without asking', async () => {
    const net = recordingFetch(() => dnsMessage(answerTo('v4.example', [])));
    expect((await dohResolver(RESOLVER, net.fetch)(`${'x'.repeat(64)}.example`)).kind).toBe('failed');
    expect(net.calls).toHaveLength(0);
  });
});

/**
 * A body served in chunks of `chunkSize` as they are asked for (high-water mark 0: a chunk is
 * pulled only for a pending read), `total` bytes in all (Infinity: endless), copied from `bytes`
 * when given. Counts what was pulled and whether the reader cancelled.
 */
function countedBody(chunkSize: number, total: number, bytes?: Uint8Array): { response: Response; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(chunkSize, total - pulled);
        if (size <= 0) return controller.close();
        controller.enqueue(bytes === undefined ? new Uint8Array(size) : bytes.slice(pulled, pulled + size));
        pulled += size;
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(stream, { status: 200, headers: { 'content-type': 'application/dns-message' } });
  return { response, pulled: () => pulled, cancelled: () => cancelled };
}

describe('the answer is read as a stream, cut past 65,535 bytes', () => {
  it.each<[string, number, number]>([
    ['an endless body in 1 KiB chunks', 1024, Infinity],
    ['an endless body in 64 KiB chunks', 65_536, Infinity],
    ['a 1 GiB body in 7-byte chunks', 7, 2 ** 30],
    ['one byte past the limit', 65_536, 65_536],
  ])('%s: refused after at most 65,535 bytes and one chunk pulled, the stream cancelled', async (_name, chunkSize, total) => {
    const body = countedBody(chunkSize, total);
    expect(await readCapped(body.response, MAX_DNS_MESSAGE)).toBeUndefined();
    expect(body.pulled()).toBeGreaterThan(MAX_DNS_MESSAGE);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_DNS_MESSAGE + chunkSize);
    expect(body.cancelled()).toBe(true);
  });

  it.each<[string, number, number]>([
    ['exactly 65,535 bytes in 1 KiB chunks', 1024, MAX_DNS_MESSAGE],
    ['one chunk of 65,535 bytes', MAX_DNS_MESSAGE, MAX_DNS_MESSAGE],
    ['an empty body', 16, 0],
  ])('positive control, %s: read whole, not cancelled', async (_name, chunkSize, total) => {
    const body = countedBody(chunkSize, total);
    expect((await readCapped(body.response, MAX_DNS_MESSAGE))?.length).toBe(total);
    expect(body.cancelled()).toBe(false);
  });

  it('the DoH look-up fails with the reason on an endless answer, and reads an in-limit answer sent a byte at a time', async () => {
    const endless = countedBody(4096, Infinity);
    expect(await dohResolver(RESOLVER, recordingFetch(() => endless.response).fetch)('v4.example')).toStrictEqual({ kind: 'failed', reason: 'an answer longer than a DNS message' });
    expect(endless.pulled()).toBeLessThanOrEqual(MAX_DNS_MESSAGE + 4096);
    const message = answerTo('v4.example', [V6_ONE]);
    const trickle = countedBody(1, message.length, message);
    expect(await dohResolver(RESOLVER, recordingFetch(() => trickle.response).fetch)('v4.example')).toStrictEqual({ kind: 'answer', addresses: ['2001:db8::1'] });
    expect(trickle.pulled()).toBe(message.length);
  });

  it('a body that stops coming fails with "timeout" when the time is up', async () => {
    vi.useFakeTimers();
    const stalled = new Response(new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new Uint8Array(12)) }), { status: 200, headers: { 'content-type': 'application/dns-message' } });
    const lookup = dohResolver(RESOLVER, recordingFetch(() => stalled).fetch)('v4.example');
    await vi.advanceTimersByTimeAsync(DOH_TIMEOUT_MS);
    expect(await lookup).toStrictEqual({ kind: 'failed', reason: 'timeout' });
  });
});

describe('Firefox’s resolver', () => {
  it('an answer keeps its addresses; an error (NXDOMAIN, offline) is a failure, not "none"', async () => {
    const resolve = vi.fn((name: string) =>
      name === 'v4.example' ? Promise.resolve({ addresses: ['192.0.2.1', '2001:db8::1'], isTRR: 'false', canonicalName: name }) : Promise.reject(new Error('NS_ERROR_UNKNOWN_HOST')),
    );
    const resolver = firefoxResolver({ resolve });
    expect(await resolver('v4.example')).toStrictEqual({ kind: 'answer', addresses: ['192.0.2.1', '2001:db8::1'] });
    expect(await resolver('gone.example')).toStrictEqual({ kind: 'failed', reason: 'Error: NS_ERROR_UNKNOWN_HOST' });
  });
});

describe('which resolver the settings choose', () => {
  const firefoxDns = { resolve: vi.fn(() => Promise.resolve({ addresses: [], isTRR: 'false', canonicalName: 'x' })) };
  it.each<[string, Partial<typeof DEFAULT_SETTINGS>, boolean, string | undefined]>([
    ['Firefox: its own resolver, whatever the DoH choice', { dohResolver: 'custom', dohCustomUrl: '' }, true, 'firefox'],
    ['Chrome: the listed resolver', { dohResolver: 'google' }, false, 'https://dns.google/dns-query'],
    ['Chrome: the custom URL', { dohResolver: 'custom', dohCustomUrl: 'https://dns.example/q' }, false, 'https://dns.example/q'],
    ['Chrome: custom with no URL: none, nothing is sent', { dohResolver: 'custom', dohCustomUrl: '' }, false, undefined],
  ])('%s', async (_name, overrides, onFirefox, expected) => {
    firefoxDns.resolve.mockClear();
    const net = recordingFetch(() => dnsMessage(answerTo('v4.example', [])));
    const resolver = resolverFor({ ...DEFAULT_SETTINGS, ...overrides }, onFirefox ? firefoxDns : undefined, net.fetch);
    await resolver?.('v4.example');
    const asked = firefoxDns.resolve.mock.calls.length > 0 ? 'firefox' : net.calls[0] === undefined ? undefined : `${net.calls[0].url.origin}${net.calls[0].url.pathname}`;
    expect(resolver === undefined).toBe(expected === undefined);
    expect(asked).toBe(expected);
  });
});

describe('once per host per page view', () => {
  const TAB = 1;
  function pageWithIpv4Hosts(): Tracker {
    const t = newTracker();
    navigate(t, TAB, 'https://a.example/', '2001:db8::a', 'docA');
    load(t, 'https://v4.example/x', '192.0.2.1', { documentId: 'docA' });
    load(t, 'https://w4.example/x', '192.0.2.2', { documentId: 'docA' });
    drainChanges(t);
    return t;
  }
  const view = (t: Tracker) => t.tabs.get(TAB)!.current;

  /** A check whose resolver answers `lookup(name)` when released, counting what it was asked. */
  function checkWith(t: Tracker, lookup: (name: string) => DnsLookup | Promise<DnsLookup>) {
    const asked: string[] = [];
    const resolver: Resolver = async (name) => {
      asked.push(name);
      return lookup(name);
    };
    const check = createDnsCheck({
      resolver: () => resolver,
      isNormalTab: () => Promise.resolve(true),
      record: (tabId, viewId, domain, result) => (result.kind === 'answer' ? recordDnsAnswer(t, tabId, viewId, domain, result.addresses) : recordDnsFailure(t, tabId, viewId, domain)),
    });
    return { asked, run: () => check(t, [TAB], true) };
  }

  it('two batches while the first look-ups are in flight ask each host once', async () => {
    const t = pageWithIpv4Hosts();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { asked, run } = checkWith(t, async () => {
      await gate;
      return { kind: 'answer', addresses: [] };
    });
    const first = run();
    const second = run();
    release();
    await Promise.all([first, second]);
    expect(asked.sort()).toStrictEqual(['v4.example', 'w4.example']);
    expect(view(t).domains.get('v4.example')?.dnsIpv6).toStrictEqual([]);
  });

  it('an answer or a failure settles the host for the view; the next view asks again', async () => {
    const t = pageWithIpv4Hosts();
    const { asked, run } = checkWith(t, (name) => (name === 'v4.example' ? { kind: 'answer', addresses: ['2001:db8::4'] } : { kind: 'failed', reason: 'timeout' }));
    await run();
    await run();
    expect(asked.sort()).toStrictEqual(['v4.example', 'w4.example']);
    expect(view(t).domains.get('v4.example')).toMatchObject({ dnsIpv6: ['2001:db8::4'] });
    expect(view(t).domains.get('w4.example')).toMatchObject({ dnsLookupFailed: true });
    expect(view(t).domains.get('w4.example')?.dnsIpv6).toBeUndefined();
    navigate(t, TAB, 'https://a.example/', '2001:db8::a', 'docB');
    load(t, 'https://w4.example/x', '192.0.2.2', { documentId: 'docB' });
    await run();
    expect(asked.sort()).toStrictEqual(['v4.example', 'w4.example', 'w4.example']);
  });

  it('a resolver that throws is a failed look-up', async () => {
    const t = pageWithIpv4Hosts();
    const { run } = checkWith(t, () => {
      throw new Error('resolver broke');
    });
    await run();
    expect(view(t).domains.get('v4.example')).toMatchObject({ dnsLookupFailed: true });
  });
});
