// Which tab a page was opened for: the popup's and report's `?tabId=N`, read by the pages and by
// the worker when it serves the popup page.
import { describe, expect, it } from 'vitest';
import { tabIdInQuery } from '../../src/core/view/tabQuery';

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
