import { describe, expect, it } from 'vitest';
import { declaredBodySize, type ResponseHead } from '../../src/core/tab/bodySize';
import { isHeaderName } from '../../src/core/tab/headerName';

const withLength = (...values: string[]): ResponseHead => ({ method: 'GET', statusCode: 200, headers: values.map((value) => ({ name: 'Content-Length', value })) });

describe('declaredBodySize', () => {
  it.each<[string, ResponseHead, number | undefined]>([
    ['a Content-Length', withLength('1234'), 1234],
    ['zero', withLength('0'), 0],
    ['the header name in any case', { statusCode: 200, headers: [{ name: 'content-LENGTH', value: '7' }] }, 7],
    ['other names, as long or longer, are not it', { statusCode: 200, headers: [{ name: 'Content-Lengthy', value: '8' }, { name: 'X-Content-Leng', value: '9' }, { name: 'Content-Type', value: 'a' }] }, undefined],
    ['spaces around the value', withLength(' 42 '), 42],
    ['no Content-Length (chunked)', { statusCode: 200, headers: [{ name: 'Transfer-Encoding', value: 'chunked' }] }, undefined],
    ['no headers at all', { statusCode: 200 }, undefined],
    ['a header with no value', { statusCode: 200, headers: [{ name: 'Content-Length' }] }, undefined],
    ['a negative length', withLength('-5'), undefined],
    ['a fraction', withLength('1.5'), undefined],
    ['text', withLength('lots'), undefined],
    ['an absurd length', withLength('9999999999999999'), undefined],
    ['the same value twice in one header', withLength('42, 42'), 42],
    ['the same value in two headers', withLength('42', '42'), 42],
    ['two different values', withLength('42', '43'), undefined],
    ['different values in one header', withLength('42, 7'), undefined],
    ['HEAD: no body whatever the header says', { method: 'HEAD', statusCode: 200, headers: [{ name: 'Content-Length', value: '5000' }] }, 0],
    ['204 No Content', { ...withLength('10'), statusCode: 204 }, 0],
    ['304 Not Modified', { ...withLength('5000'), statusCode: 304 }, 0],
    ['a 1xx response', { statusCode: 101 }, 0],
    ['a redirect with a body', { ...withLength('154'), statusCode: 302 }, 154],
  ])('%s', (_name, head, expected) => {
    expect(declaredBodySize(head)).toBe(expected);
  });
});

describe('isHeaderName', () => {
  it.each<[string, string, string, boolean]>([
    ['as sent over HTTP/1.1', 'Content-Length', 'content-length', true],
    ['lower case (HTTP/2, HTTP/3)', 'content-length', 'content-length', true],
    ['upper case', 'CONTENT-TYPE', 'content-type', true],
    ['mixed case', 'cOnTeNt-TyPe', 'content-type', true],
    ['one letter short', 'Content-Lengt', 'content-length', false],
    ['one letter more', 'Content-Lengthy', 'content-length', false],
    ['as long, another name', 'X-Content-Type', 'content-length', false],
    ['an underscore for the hyphen', 'Content_Type', 'content-type', false],
    // Only A–Z fold: "@" (64) and "[" (91) sit beside them, and the Kelvin sign lower-cases to "k" in JavaScript.
    ['the characters beside A and Z do not fold', '@[', '`{', false],
    ['a non-ASCII letter does not fold', 'X-\u212Aey', 'x-key', false],
    ['empty', '', '', true],
  ])('%s', (_name, name, lowerName, expected) => {
    expect(isHeaderName(name, lowerName)).toBe(expected);
  });
});
