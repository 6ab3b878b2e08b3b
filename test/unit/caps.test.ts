/**
 * What a page sends is cut at the adapter to its cap, and the cut is marked through the request
 * log, its stored form, the Requests view's attributes and the HAR.
 */
import type { WebRequest } from 'webextension-polyfill';
import { describe, expect, it } from 'vitest';
import { commitEvent, redirectEvent, requestEvent, responseEvent } from '../../src/background/adapt';
import { buildHar } from '../../src/core/requests/har';
import { decodeRequestChunk, encodeRequestChunk } from '../../src/core/requests/requestCodec';
import { logRequestStart, logResponse, newRequestLog } from '../../src/core/requests/requestLog';
import { truncatedAttribute, wasCut } from '../../src/core/requests/requestView';
import { CutField, MAX_HEADER_VALUE_LENGTH, MAX_URL_LENGTH, cutFieldNames, cutText } from '../../src/core/tab/caps';
import { hostOf } from '../../src/core/tab/url';
import { responseDetails } from '../support/responseDetails';

const long = (length: number, prefix = 'https://a.example/'): string => prefix + 'x'.repeat(length - prefix.length);

describe('cutText', () => {
  it.each<[string, string, number, string]>([
    ['shorter: as it is', 'abc', 5, 'abc'],
    ['exactly the cap: as it is', 'abcde', 5, 'abcde'],
    ['one longer: cut', 'abcdef', 5, 'abcde'],
    ['a surrogate pair at the cut: left whole out', 'abcd\u{1F600}f', 5, 'abcd'],
    ['a surrogate pair before the cut: kept', 'abc\u{1F600}f', 5, 'abc\u{1F600}'],
  ])('%s', (_name, text, max, kept) => {
    expect(cutText(text, max)).toBe(kept);
  });
});

const details = responseDetails;

const header = (name: string, value: string): WebRequest.HttpHeaders => [{ name, value }];

describe('the adapter cuts what a page sends, and says what it cut', () => {
  it.each<[string, Partial<WebRequest.OnResponseStartedDetailsType>, Record<string, number>, number | undefined]>([
    ['a URL at the cap: kept whole', { url: long(MAX_URL_LENGTH) }, { url: MAX_URL_LENGTH }, undefined],
    ['a URL of 1 MB', { url: long(1 << 20) }, { url: MAX_URL_LENGTH }, CutField.url],
    ['a long method', { method: 'M'.repeat(1000) }, { method: MAX_HEADER_VALUE_LENGTH }, CutField.method],
    ['a long Content-Type', { responseHeaders: header('Content-Type', long(5000, 'text/plain;')) }, { contentType: MAX_HEADER_VALUE_LENGTH }, CutField.contentType],
    ['a long Content-Length', { responseHeaders: header('Content-Length', '1'.repeat(300)) }, { contentLength: MAX_HEADER_VALUE_LENGTH }, CutField.contentLength],
    ['a long status line', { statusLine: `HTTP/1.1 200 ${'O'.repeat(400)}` }, { statusLine: MAX_HEADER_VALUE_LENGTH }, CutField.statusText],
    ['a short header: kept whole', { responseHeaders: header('Content-Type', 'text/css') }, { contentType: 8 }, undefined],
  ])('%s', (_name, over, lengths, cut) => {
    const event = responseEvent(details(over), true) as unknown as Record<string, string | number | undefined>;
    for (const [field, length] of Object.entries(lengths)) expect(String(event[field]).length, field).toBe(length);
    expect(event.cut).toBe(cut);
  });

  it('a redirect to a long URL, from a long one: both cut and marked', () => {
    const event = redirectEvent({ ...details({ url: long(MAX_URL_LENGTH + 1) }), redirectUrl: long(1 << 20) }, true);
    expect(event.url).toHaveLength(MAX_URL_LENGTH);
    expect(event.redirectUrl).toHaveLength(MAX_URL_LENGTH);
    expect(cutFieldNames(event.cut ?? 0).sort()).toEqual(['redirectUrl', 'url']);
  });

  it('a page URL, an initiator and a host are cut too', () => {
    const committed = { tabId: 1, frameId: 0, url: long(1 << 20), timeStamp: 1 } as unknown as Parameters<typeof commitEvent>[0];
    expect(commitEvent(committed).url).toHaveLength(MAX_URL_LENGTH);
    const withInitiator = requestEvent({ ...details(), initiator: long(5000, 'https://') });
    expect(withInitiator.initiator).toHaveLength(MAX_URL_LENGTH);
    // A host is bounded by its URL's cap.
    expect(hostOf(requestEvent({ ...details(), url: `https://${'h'.repeat(5000)}/x` }).url)).toHaveLength(MAX_URL_LENGTH - 'https://'.length);
  });
});

describe('the mark through the log, its stored form, the view and the HAR', () => {
  const cases: Array<[string, Partial<WebRequest.OnResponseStartedDetailsType>, string[]]> = [
    ['nothing cut', {}, []],
    ['the URL', { url: long(1 << 16) }, ['url']],
    ['the URL and the Content-Type', { url: long(1 << 16), responseHeaders: header('Content-Type', long(300, 'a/b')) }, ['url', 'contentType']],
    ['the status text', { statusLine: `HTTP/1.1 200 ${'O'.repeat(400)}` }, ['statusText']],
  ];
  it.each(cases)('%s', (_name, over, names) => {
    const log = newRequestLog();
    const start = requestEvent(details(over));
    logRequestStart(log, start);
    logResponse(log, responseEvent(details(over), true));
    const entry = log.open.get('1');
    if (entry === undefined) throw new Error('no entry');
    expect(cutFieldNames(entry.truncated ?? 0)).toEqual(names);
    const [restored] = decodeRequestChunk(encodeRequestChunk([entry], 0), 0, 0) ?? [];
    expect(restored).toEqual(entry);
    expect(truncatedAttribute(entry)).toBe(names.length === 0 ? undefined : names.join(' '));
    expect(wasCut(entry, 'url')).toBe(names.includes('url'));
    const [har] = buildHar({ id: 'p', startedAt: 0 }, [entry], { name: 'IPvLens', version: '0' }).log.entries;
    expect(har?._truncated).toEqual(names.length === 0 ? undefined : names);
  });

  it('a stored value longer than its cap (kept whole by an earlier version) is cut and marked on restore', () => {
    const stored = JSON.stringify([[0, 'r', 0, 'GET', long(1 << 16), 'script', 0]]);
    const [entry] = decodeRequestChunk(stored, 0, 0) ?? [];
    expect(entry?.url).toHaveLength(MAX_URL_LENGTH);
    expect(cutFieldNames(entry?.truncated ?? 0)).toEqual(['url']);
  });

  it('a stored mark with bits no version writes keeps only the known ones', () => {
    const stored = JSON.stringify([[0, 'r', 0, 'GET', 'https://a.example/', 'script', 0, null, null, null, null, null, null, null, null, null, null, null, null, 1024 + CutField.url]]);
    expect(decodeRequestChunk(stored, 0, 0)?.[0]?.truncated).toBe(CutField.url);
  });
});
