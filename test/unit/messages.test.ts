import { describe, expect, it } from 'vitest';
import { isAllRowsRequest, isWatchTabRequest, parsePortName, portName } from '../../src/core/messages';

describe('port names carry the request', () => {
  it.each([{ tabId: 0 }, { tabId: 7 }, { tabId: 2147483647 }])('round-trips %o', (request) => {
    const parsed = parsePortName(portName('watchTab', request));
    expect(parsed).toEqual({ name: 'watchTab', request });
    expect(isWatchTabRequest(parsed?.request)).toBe(true);
  });

  it.each([
    ['no separator', 'watchTab'],
    ['empty name', ':{"tabId":1}'],
    ['not JSON', 'watchTab:{tabId:1}'],
    ['empty request', 'watchTab:'],
  ])('rejects %s', (_why, name) => {
    expect(parsePortName(name)).toBeUndefined();
  });

  it.each([
    ['a string id', { tabId: '1' }],
    ['a fractional id', { tabId: 1.5 }],
    ['no id', {}],
    ['null', null],
  ])('a request with %s is not a watchTab request', (_why, request) => {
    expect(isWatchTabRequest(request)).toBe(false);
  });

  it.each<[unknown, boolean]>([
    [{ allRows: true }, true],
    [{ allRows: 'yes' }, false],
    [{}, false],
    [null, false],
  ])('%o is an allRows request: %s', (message, expected) => {
    expect(isAllRowsRequest(message)).toBe(expected);
  });
});
