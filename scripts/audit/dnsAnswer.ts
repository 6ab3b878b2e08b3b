/**
 * What an AAAA look-up says, from the two resolvers the audit can ask: Node's (c-ares error codes)
 * and a DNS-over-HTTPS resolver's JSON API (`?name=…&type=AAAA`, as Cloudflare, Google and Quad9
 * serve it). An error or a timeout is `failed` — no evidence — never "no AAAA".
 */
import type { DnsAnswer } from './siteRow';

/** Node's resolve6 error codes for "the name has no AAAA records" (no data, or no such name). */
const NO_AAAA_CODES = new Set(['ENODATA', 'ENOTFOUND']);

export function answerFromNodeError(code: string | undefined): DnsAnswer {
  return code !== undefined && NO_AAAA_CODES.has(code) ? 'none' : 'failed';
}

const AAAA_TYPE = 28;
const NOERROR = 0;
const NXDOMAIN = 3;

/** A JSON answer: AAAA records → aaaa; NOERROR without them, or NXDOMAIN → none; anything else → failed. */
export function answerFromDohJson(body: unknown): DnsAnswer {
  if (typeof body !== 'object' || body === null) return 'failed';
  const { Status: status, Answer: answer } = body as { Status?: unknown; Answer?: unknown };
  if (status === NXDOMAIN) return 'none';
  if (status !== NOERROR) return 'failed';
  if (answer === undefined) return 'none';
  if (!Array.isArray(answer)) return 'failed';
  const records = answer as unknown[];
  if (!records.every((record) => typeof record === 'object' && record !== null)) return 'failed';
  return records.some((record) => (record as { type?: unknown }).type === AAAA_TYPE) ? 'aaaa' : 'none';
}

/** IP literals are never looked up: their readiness is already known from the address itself. */
export function isAddressLiteral(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}
