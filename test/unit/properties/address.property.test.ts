/**
 * The address parser reads text the browser reported (and the user typed): it never throws, what
 * it accepts round-trips through its canonical text, and every valid IPv4 or IPv6 address is
 * accepted with its family — checked against the WHATWG URL parser's reading of the same text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, parseAddress } from '../../../src/core/address/address';

/** Strings made of what addresses are made of, so the parser's branches are reached, not just its first refusal. */
const addressLike = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.%[] zZ-'.split('')), maxLength: 48 });

/** Canonical text of parsed bytes: dotted decimal, or RFC 5952 with the zone kept. */
function canonical(bytes: Uint8Array, zone: string | undefined): string {
  if (bytes.length === 4) return formatIPv4(bytes);
  return zone === undefined ? formatIPv6(bytes) : `${formatIPv6(bytes)}%${zone}`;
}

/** A guard, not a measure: long runs (FC_RUNS=20000 npm run test:properties) take minutes on a shared machine. */
const TIMEOUT_MS = Math.max(5_000, (fc.readConfigureGlobal().numRuns ?? 100) * 20);

describe('parseAddress', { timeout: TIMEOUT_MS }, () => {
  it('never throws, and refuses with a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), addressLike), (text) => {
        const result = parseAddress(text);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        else expect([4, 16]).toContain(result.bytes.length);
      }),
    );
  });

  it('an accepted address round-trips through its canonical text', () => {
    fc.assert(
      fc.property(fc.oneof(addressLike, fc.ipV4(), fc.ipV6()), (text) => {
        const first = parseAddress(text);
        if (!first.ok) return;
        const text1 = canonical(first.bytes, first.zone);
        const again = parseAddress(text1);
        expect(again.ok && [...again.bytes]).toEqual([...first.bytes]);
        expect(again.ok && canonical(again.bytes, again.zone)).toBe(text1);
      }),
    );
  });

  it('accepts every valid IPv4 address as IPv4, as the URL parser reads it', () => {
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        const result = parseAddress(text);
        expect(result.ok && result.bytes.length).toBe(4);
        expect(result.ok && formatIPv4(result.bytes)).toBe(new URL(`http://${text}/`).hostname);
      }),
    );
  });

  it('accepts every valid IPv6 address as IPv6, with the URL parser’s canonical form', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const result = parseAddress(text);
        expect(result.ok && result.bytes.length).toBe(16);
        expect(result.ok && `[${formatIPv6(result.bytes)}]`).toBe(new URL(`http://[${text}]/`).hostname);
      }),
    );
  });
});
