/** Generated per-request log entries for the property tests: hostile text, cut marks, failures, pending. */
import fc from 'fast-check';
import { REQUEST_CHUNK_SIZE, type RequestEntry } from '../../../src/core/requests/requestLog';
import { ALL_CUT_FIELDS } from '../../../src/core/tab/caps';

/** Text a page or a server may send: any characters, within the caps IPvLens keeps. */
const hostileText = (maxLength: number): fc.Arbitrary<string> => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }));

const hostileUrl: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.tuple(fc.constantFrom('http://', 'https://', 'ws://', 'wss://', 'data:', ''), hostileText(200)).map(([scheme, rest]) => scheme + rest),
);

const relative = fc.integer({ min: 0, max: 86_400_000 });

/** One entry of chunk `chunk`, its times `base` + whole ms (as the codec stores them). */
export function requestEntry(chunk: number, base: number): fc.Arbitrary<RequestEntry> {
  return fc
    .record(
      {
        offset: fc.integer({ min: 0, max: REQUEST_CHUNK_SIZE - 1 }),
        requestId: fc.string({ maxLength: 12 }),
        start: relative,
        method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS'), hostileText(20)),
        url: hostileUrl,
        type: fc.constantFrom('main_frame', 'script', 'image', 'xmlhttprequest', 'other'),
        flags: fc.integer({ min: 0, max: 15 }),
        status: fc.integer({ min: 0, max: 999 }),
        statusText: hostileText(40),
        ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')),
        proxy: fc.constantFrom('127.0.0.1:3128', '[::1]:1080'),
        size: fc.nat(),
        contentLength: hostileText(20),
        contentType: hostileText(60),
        responseAt: relative,
        end: relative,
        error: fc.constantFrom('net::ERR_FAILED', 'NS_ERROR_NET_RESET', 'failed'),
        httpVersion: fc.constantFrom('HTTP/1.1', 'HTTP/2', 'HTTP/3'),
        redirectUrl: hostileUrl,
        truncated: fc.integer({ min: 1, max: ALL_CUT_FIELDS }),
      },
      { requiredKeys: ['offset', 'requestId', 'start', 'method', 'url', 'type', 'flags'] },
    )
    .map(({ offset, start, responseAt, end, ...rest }) => {
      const entry: RequestEntry = { ...rest, seq: chunk * REQUEST_CHUNK_SIZE + offset, start: base + start };
      if (responseAt !== undefined) entry.responseAt = base + responseAt;
      if (end !== undefined) entry.end = base + end;
      return entry;
    });
}

/** Entries of one chunk, one per seq. */
export function chunkOfEntries(chunk: number, base: number): fc.Arbitrary<RequestEntry[]> {
  return fc.uniqueArray(requestEntry(chunk, base), { selector: (entry) => entry.seq, maxLength: REQUEST_CHUNK_SIZE });
}
