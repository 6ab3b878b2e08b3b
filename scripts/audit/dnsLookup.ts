/**
 * The audit's own AAAA look-ups for hosts a page reached over IPv4: Node's resolver, or a
 * DNS-over-HTTPS resolver given with --doh. Each host is asked once per run.
 */
import { Resolver } from 'node:dns/promises';
import { answerFromDohJson, answerFromNodeError, isAddressLiteral } from './dnsAnswer';
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

function dohLookup(resolverUrl: string): AaaaLookup {
  return async (host) => {
    const url = new URL(resolverUrl);
    url.searchParams.set('name', host);
    url.searchParams.set('type', 'AAAA');
    try {
      const response = await fetch(url, { headers: { accept: 'application/dns-json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) return 'failed';
      return answerFromDohJson(await response.json());
    } catch {
      return 'failed';
    }
  };
}

/** A look-up that asks each host once (the answers of a run are shared by its pages). */
export function aaaaLookup(doh: string | undefined): AaaaLookup {
  const ask = doh === undefined ? nodeLookup() : dohLookup(doh);
  const asked = new Map<string, Promise<DnsAnswer>>();
  return (host) => {
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
