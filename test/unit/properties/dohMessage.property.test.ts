/**
 * The DoH reader reads bytes a resolver (or anything at its URL) sent: it never throws, gives an
 * answer or one of its named refusals, never more addresses than the bytes can hold, refuses
 * compression-pointer loops, and reads back answers built from generated records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv6 } from '../../../src/core/address/address';
import { aaaaQuery, parseAaaaAnswer, type AnswerRefusal } from '../../../src/core/address/dohMessage';
import { dnsAnswer } from '../../support/dnsAnswer';

const REFUSALS: readonly AnswerRefusal[] = ['truncated', 'not-a-response', 'wrong-id', 'wrong-question', 'malformed', 'nxdomain', 'rcode'];
/** A compressed AAAA record takes at least 2 (pointer) + 10 (type, class, TTL, length) + 16 bytes. */
const SMALLEST_AAAA_RECORD = 28;
const NAME = 'v4.example';
const QUERY = aaaaQuery(NAME) as Uint8Array;
const address16 = fc.uint8Array({ minLength: 16, maxLength: 16 });

function checkAnswer(message: Uint8Array, name: string): void {
  const answer = parseAaaaAnswer(message, name);
  if (answer.ok) expect(answer.addresses.length).toBeLessThanOrEqual(Math.floor(message.length / SMALLEST_AAAA_RECORD));
  else expect(REFUSALS).toContain(answer.reason);
}

/** A guard, not a measure: long runs (FC_RUNS=20000 npm run test:properties) take minutes on a shared machine. */
const TIMEOUT_MS = Math.max(5_000, (fc.readConfigureGlobal().numRuns ?? 100) * 20);

describe('parseAaaaAnswer', { timeout: TIMEOUT_MS }, () => {
  it('arbitrary bytes: an answer or a named refusal, never a throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => checkAnswer(bytes, NAME)));
  });

  it('a real answer damaged anywhere: an answer or a named refusal, never a throw', () => {
    const damaged = fc
      .tuple(fc.array(address16, { maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.oneof(fc.constant(0), fc.nat()))
      .map(([addresses, edits, cut]) => {
        const message = dnsAnswer(QUERY, addresses);
        for (const [at, value] of edits) message[at % message.length] = value;
        return message.subarray(0, message.length - (cut % (message.length + 1)));
      });
    fc.assert(fc.property(damaged, (message) => checkAnswer(message, NAME)));
  });

  it('a question name that points to itself or forward (a compression loop) is refused as malformed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 40 }), fc.uint8Array({ minLength: 40, maxLength: 40 }), (target, filler) => {
        // Header: a response to ID 0, one question; at offset 12 a pointer to `target` >= 12.
        const message = Uint8Array.from([0, 0, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0 | (target >> 8), target & 0xff, ...filler]);
        expect(parseAaaaAnswer(message, NAME)).toStrictEqual({ ok: false, reason: 'malformed' });
      }),
    );
  });

  it('answers built from generated names and records read back as they were built', () => {
    const dnsName = fc.domain().filter((name) => aaaaQuery(name) !== undefined);
    fc.assert(
      fc.property(dnsName, fc.array(address16, { maxLength: 20 }), (name, addresses) => {
        const query = aaaaQuery(name) as Uint8Array;
        expect(parseAaaaAnswer(dnsAnswer(query, addresses), name)).toStrictEqual({ ok: true, addresses: addresses.map((bytes) => formatIPv6(bytes)) });
        expect(parseAaaaAnswer(dnsAnswer(query, addresses, 3), name)).toStrictEqual({ ok: false, reason: 'nxdomain' });
      }),
    );
  });
});
