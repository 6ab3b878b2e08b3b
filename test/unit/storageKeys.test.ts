import { describe, expect, it } from 'vitest';
import { newDomainRecord } from '../../src/core/tab/model';
import { decodeDomainRecord, encodeDomainRecord } from '../../src/core/session/sessionCodec';
import { DOMAIN_KEY_PREFIX, TAB_KEY_PREFIX, domainKey, parseDomainKey, tabKey, timeBaseOfView } from '../../src/core/session/storageKeys';

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

describe('timeBaseOfView', () => {
  const made = 1_795_440_000_123;
  it.each<[string, number]>([
    [`${made.toString(36)}.0`, made],
    [`${made.toString(36)}.1z`, made],
    // Ids that carry no time (tests, other writers) count from 0: absolute times, still exact.
    ['v1', 0],
    ['.5', 0],
    ['x y.1', 0],
    ['', 0],
    ['-1.0', 0],
  ])('%s → %d', (viewId, base) => {
    expect(timeBaseOfView(viewId)).toBe(base);
  });

  it('lets a domain key decode on its own, exactly, without its view', () => {
    const viewId = `${made.toString(36)}.3`;
    const record = newDomainRecord('cdn.example', made + 12.345);
    record.requests = 2;
    record.lastSeen = made + 250.5;
    const decoded = decodeDomainRecord(encodeDomainRecord(record, timeBaseOfView(viewId)), 'cdn.example', timeBaseOfView(viewId));
    expect(decoded).toEqual(record);
  });
});
