// Which tab a page was opened for: the popup's and report's `?tabId=N`, read by the pages and by
// the worker when it serves the popup page.
import { describe, expect, it } from 'vitest';
import { popupTabOf, tabIdInQuery } from '../../src/core/view/tabQuery';

describe('tabIdInQuery', () => {
  it.each([
    ['?tabId=5', 5],
    ['?tabId=5&x=1', 5],
    ['?x=1&tabId=123456', 123456],
    ['?tabId=0', 0],
    ['', undefined],
    ['?tabId=', undefined],
    ['?tabId=abc', undefined],
    ['?tabId=-1', undefined],
    ['?tabId=1.5', undefined],
    ['?tabid=5', undefined],
  ])('%j → %j', (search, expected) => {
    expect(tabIdInQuery(search)).toBe(expected);
  });
});

describe('popupTabOf: the one rule of the worker serving the popup and of the popup page', () => {
  it.each([
    ['?tabId=5', { kind: 'named', tabId: 5 }],
    ['?x=1&tabId=0', { kind: 'named', tabId: 0 }],
    ['', { kind: 'active-tab-of-window' }],
    ['?x=1', { kind: 'active-tab-of-window' }],
    // A damaged link names no tab: never the active one in its place.
    ['?tabId=', { kind: 'none' }],
    ['?tabId=abc', { kind: 'none' }],
    ['?tabId=-1', { kind: 'none' }],
  ])('%j → %j', (search, expected) => {
    expect(popupTabOf(search)).toEqual(expected);
  });
});
