/**
 * What an AAAA look-up by Node's resolver says (c-ares error codes); the --doh look-up is the
 * extension's own (dnsLookup.ts). An error or a timeout is `failed` — no evidence — never "no AAAA".
 */
import type { DnsAnswer } from './siteRow';

/**
 * Node's resolve6 error code for "the name has no AAAA records". No such name (ENOTFOUND, NXDOMAIN)
 * is no evidence, as in the extension's DoH reader: the browser did reach that name, so this
 * resolver sees another DNS than the browser did.
 */
const NO_AAAA_CODES = new Set(['ENODATA']);

export function answerFromNodeError(code: string | undefined): DnsAnswer {
  return code !== undefined && NO_AAAA_CODES.has(code) ? 'none' : 'failed';
}

