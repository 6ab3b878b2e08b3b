import { describe, expect, it } from 'vitest';
import { DOMAIN_KEY_PREFIX, TAB_KEY_PREFIX, domainKey, parseDomainKey, tabKey } from '../../src/core/storageKeys';

describe('storage keys', () => {
  it.each([
    [1, 't:1'],
    [123456, 't:123456'],
  ])('tabKey(%i) → %s', (tabId, key) => {
    expect(tabKey(tabId)).toBe(key);
    expect(key.startsWith(TAB_KEY_PREFIX)).toBe(true);
  });

  it.each<[number, string, string, string]>([
    [1, 'v1', 'example.com', 'd:1:v1:example.com'],
    [42, 'lx3k2.1f', 'cdn.example.com', 'd:42:lx3k2.1f:cdn.example.com'],
    [7, 'v2', '[2001:db8::1]', 'd:7:v2:[2001:db8::1]'],
    [7, 'v2', '192.0.2.1', 'd:7:v2:192.0.2.1'],
  ])('domainKey(%i, %s, %s) → %s and parses back', (tabId, viewId, domain, key) => {
    expect(domainKey(tabId, viewId, domain)).toBe(key);
    expect(key.startsWith(DOMAIN_KEY_PREFIX)).toBe(true);
    expect(parseDomainKey(key)).toEqual({ tabId, viewId, domain });
  });

  it.each([['t:1'], ['d:1'], ['d:1:v1'], ['d:x:v1:a.test'], ['d:1.5:v1:a.test'], ['x:1:v1:a.test'], ['']])('parseDomainKey(%j) → undefined', (key) => {
    expect(parseDomainKey(key)).toBeUndefined();
  });
});
