import { describe, expect, it } from 'vitest';
import { ONE_SHOT_REPLY_CHECKS, isAllRowsRequest, isOneShot, isWatchTabRequest, isWatchTabResponse, parsePortName, portName } from '../../src/core/messages';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';

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

describe('one-shot messages', () => {
  // Shaped like the background's handler map: its keys are the names accepted.
  const handlers = { historyDelete: () => undefined, historyImport: () => undefined };

  it.each<[string, unknown, boolean]>([
    ['a delete', { message: 'historyDelete', request: { all: true } }, true],
    ['an import', { message: 'historyImport', request: { records: [] } }, true],
    ['a name the map lacks', { message: 'historyWipe', request: { all: true } }, false],
    ['a name from the prototype', { message: 'toString', request: {} }, false],
    ['a port message', { message: 'watchTab', request: { tabId: 1 } }, false],
    ['no request', { message: 'historyDelete' }, false],
    ['a null request', { message: 'historyDelete', request: null }, false],
    ['a string', 'historyDelete', false],
    ['null', null, false],
  ])('%s: accepted %s', (_why, message, expected) => {
    expect(isOneShot(message, handlers)).toBe(expected);
  });

  it('accepts only the names of the map it is given', () => {
    const message = { message: 'historyImport', request: { records: [] } };
    expect(isOneShot(message, handlers)).toBe(true);
    expect(isOneShot(message, { historyDelete: () => undefined })).toBe(false);
  });

  it.each<[string, 'historyDelete' | 'historyImport', unknown, boolean]>([
    ['a delete', 'historyDelete', { ok: true, removed: 2 }, true],
    ['a failure', 'historyDelete', { ok: false, error: 'quota' }, true],
    ['a delete without its count', 'historyDelete', { ok: true }, false],
    ['a negative count', 'historyDelete', { ok: true, removed: -1 }, false],
    ['a failure without its reason', 'historyDelete', { ok: false }, false],
    ['no answer', 'historyDelete', undefined, false],
    ['an import', 'historyImport', { ok: true, added: 1, replaced: 0, unchanged: 3, evicted: 0 }, true],
    ['an import answered as a delete', 'historyImport', { ok: true, removed: 2 }, false],
    ['a failed import', 'historyImport', { ok: false, error: 'malformed records' }, true],
  ])('reply check, %s: valid %s', (_why, name, reply, expected) => {
    expect(ONE_SHOT_REPLY_CHECKS[name](reply)).toBe(expected);
  });
});

describe('watchTab updates', () => {
  const config = { settings: { ...DEFAULT_SETTINGS }, pageScheme: undefined };

  it.each<[string, unknown, boolean]>([
    ['a report', { report: { tabId: 1, state: 'ok', snapshot: {} }, config }, true],
    ['a page not seen', { report: { tabId: 1, state: 'not-seen', pageKind: 'web', url: undefined }, config }, true],
    ['no tab', { report: { tabId: 1, state: 'no-tab' }, config }, true],
    ['a report without its snapshot', { report: { tabId: 1, state: 'ok' }, config }, false],
    ['an unknown state', { report: { tabId: 1, state: 'gone' }, config }, false],
    ['no config', { report: { tabId: 1, state: 'no-tab' } }, false],
    ['a config without settings', { report: { tabId: 1, state: 'no-tab' }, config: {} }, false],
    ['null', null, false],
  ])('%s: an update %s', (_why, message, expected) => {
    expect(isWatchTabResponse(message)).toBe(expected);
  });
});
