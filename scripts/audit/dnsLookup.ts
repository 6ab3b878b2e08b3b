/**
 * The audit's own AAAA look-ups for hosts a page reached over IPv4: Node's resolver, or a
 * DNS-over-HTTPS resolver given with --doh. Each host is asked once per run.
 */
import { Resolver } from 'node:dns/promises';
import { DOH_TIMEOUT_MS, dohResolver } from '../../src/background/dnsResolvers';
import { isAddressLiteral } from '../../src/core/address/dnsCheck';
import { answerFromNodeError } from './dnsAnswer';
import type { DnsAnswer } from './siteRow';

export type AaaaLookup = (host: string) => Promise<DnsAnswer>;

const TIMEOUT_MS = 5000;

function nodeLookup(): AaaaLookup {
  const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: 2 });
  return async (host) => {
    try {
      return (await resolver.resolve6(host)).length > 0 ? 'aaaa' : 'none';
    } catch (error) {
      return answerFromNodeError((error as { code?: string }).code);
    }
  };
}

/**
 * The extension's own DNS-over-HTTPS client (RFC 8484 GET, its strict answer reader, its timeout):
 * the same question and the same meaning of an answer as the extension's DNS check. Every refusal
 * (an error, a timeout, NXDOMAIN, a malformed answer) is `failed`, never "none".
 */
export function dohLookup(resolverUrl: string, fetchImpl: typeof fetch = fetch, timeoutMs = DOH_TIMEOUT_MS): AaaaLookup {
  const resolve = dohResolver(resolverUrl, fetchImpl, timeoutMs);
  return async (host) => {
    const lookup = await resolve(host);
    if (lookup.kind === 'failed') return 'failed';
    return lookup.addresses.length > 0 ? 'aaaa' : 'none';
  };
}

/** A look-up that asks each host once (the answers of a run are shared by its pages). */
export function aaaaLookup(doh: string | undefined): AaaaLookup {
  const ask = doh === undefined ? nodeLookup() : dohLookup(doh);
  const asked = new Map<string, Promise<DnsAnswer>>();
  return (host) => {
    // IP literals are never looked up: their readiness is already known from the address itself.
    if (isAddressLiteral(host)) return Promise.resolve('failed');
    let answer = asked.get(host);
    if (answer === undefined) {
      answer = ask(host);
      asked.set(host, answer);
    }
    return answer;
  };
}

export async function lookUpAll(hosts: readonly string[], lookup: AaaaLookup): Promise<Map<string, DnsAnswer>> {
  const answers = await Promise.all(hosts.map(async (host) => [host, await lookup(host)] as const));
  return new Map(answers);
}
