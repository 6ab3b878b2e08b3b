/**
 * A resolver's answer to an AAAA question, built the way a DNS server writes it (RFC 1035): the
 * question echoed, then one AAAA record per address, each naming the question by a pointer.
 * Shared by the unit tests and the DNS-over-HTTPS responder (extension and audit tests).
 */

const HEADER = 12;

/** The question section (name, type, class) of a DNS query message; undefined if it has none. */
export function questionOf(query: Uint8Array): { name: string; bytes: Uint8Array } | undefined {
  const labels: string[] = [];
  let at = HEADER;
  while (at < query.length && query[at] !== 0) {
    const length = query[at] as number;
    labels.push(Buffer.from(query.subarray(at + 1, at + 1 + length)).toString('latin1'));
    at += 1 + length;
  }
  if (at + 5 > query.length) return undefined;
  return { name: labels.join('.'), bytes: query.subarray(HEADER, at + 5) };
}

/** The answer to `query` with these IPv6 addresses (16 bytes each) and response code. */
export function dnsAnswer(query: Uint8Array, addresses: Uint8Array[], rcode = 0): Uint8Array {
  const question = questionOf(query);
  if (question === undefined) throw new Error('a query without a question');
  const records = addresses.flatMap((address) => [0xc0, HEADER, 0, 28, 0, 1, 0, 0, 1, 44, 0, 16, ...address]);
  return Uint8Array.from([query[0] ?? 0, query[1] ?? 0, 0x81, 0x80 | rcode, 0, 1, 0, addresses.length, 0, 0, 0, 0, ...question.bytes, ...records]);
}
