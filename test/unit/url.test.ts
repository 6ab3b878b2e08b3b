import { describe, expect, it } from 'vitest';
import { hostOf, isSecureScheme, networkScheme, originOf, pageKindOf, type PageKind } from '../../src/core/tab/url';

describe('networkScheme', () => {
  it.each<[string, string | undefined]>([
    ['http://example.com/', 'http://'],
    ['https://example.com/', 'https://'],
    ['ws://example.com/socket', 'ws://'],
    ['wss://example.com/socket', 'wss://'],
    ['ftp://example.com/', undefined],
    ['file:///tmp/a.html', undefined],
    ['chrome://extensions/', undefined],
    ['data:text/html,hi', undefined],
    ['blob:https://example.com/uuid', undefined],
    ['about:blank', undefined],
    ['http:example.com', undefined],
    ['httpx://example.com', undefined],
    ['', undefined],
  ])('%j → %j', (url, expected) => {
    expect(networkScheme(url)).toBe(expected);
  });
});

describe('hostOf', () => {
  it.each<[string, string | undefined]>([
    ['https://example.com/', 'example.com'],
    ['https://example.com', 'example.com'],
    ['http://example.com:8080/path', 'example.com'],
    ['https://example.com:443', 'example.com'],
    ['https://user@example.com/', 'example.com'],
    ['https://user:pa:ss@example.com:8443/x', 'example.com'],
    ['https://a@b@example.com/', 'example.com'],
    ['https://example.com?q=1', 'example.com'],
    ['https://example.com#frag', 'example.com'],
    ['https://example.com/path?next=http://evil.test/#x', 'example.com'],
    ['https://example.com/user@evil.test', 'example.com'],
    ['https://example.com?u=a@evil.test', 'example.com'],
    ['https://Sub.EXAMPLE.com/', 'sub.example.com'],
    ['https://xn--bcher-kva.example/', 'xn--bcher-kva.example'],
    ['http://192.0.2.1:8080/', '192.0.2.1'],
    ['http://[::1]/', '[::1]'],
    ['http://[::1]:8080/', '[::1]'],
    ['http://[2001:DB8::1]:8080/x', '[2001:db8::1]'],
    ['http://user@[::1]:8080/', '[::1]'],
    ['http://[::1', undefined],
    ['wss://socket.example.com/ws', 'socket.example.com'],
    ['ws://socket.example.com:9000', 'socket.example.com'],
    ['https:///path', undefined],
    ['https://', undefined],
    ['https://:443/', undefined],
    ['https://user@/', undefined],
    ['file:///tmp/a.html', undefined],
    ['chrome://newtab/', undefined],
    ['data:text/plain,https://example.com/', undefined],
    ['about:blank', undefined],
    ['', undefined],
  ])('%j → %j', (url, expected) => {
    expect(hostOf(url)).toBe(expected);
  });
});

describe('originOf', () => {
  it.each<[string, string | undefined]>([
    ['https://example.com/', 'https://example.com'],
    ['https://example.com', 'https://example.com'],
    ['https://example.com/a/b?c#d', 'https://example.com'],
    ['https://example.com?c', 'https://example.com'],
    ['https://example.com#d', 'https://example.com'],
    // Default ports are dropped, others kept.
    ['https://example.com:443/', 'https://example.com'],
    ['http://example.com:80/', 'http://example.com'],
    ['wss://example.com:443/ws', 'wss://example.com'],
    ['ws://example.com:80/ws', 'ws://example.com'],
    ['https://example.com:80/', 'https://example.com:80'],
    ['http://example.com:443/', 'http://example.com:443'],
    ['https://example.com:8443/', 'https://example.com:8443'],
    ['https://example.com:4430/', 'https://example.com:4430'],
    ['http://example.com:8080/', 'http://example.com:8080'],
    ['http://example.com:180/', 'http://example.com:180'],
    // User info is not part of an origin; the host is lower case.
    ['https://user:pw@Example.COM:443/', 'https://example.com'],
    ['https://user:443@example.com/', 'https://example.com'],
    ['http://[::1]:8080/', 'http://[::1]:8080'],
    ['https://[::1]:443/', 'https://[::1]'],
    ['http://[::1]/', 'http://[::1]'],
    ['file:///tmp/a.html', undefined],
    ['chrome://newtab/', undefined],
    ['about:blank', undefined],
    ['', undefined],
  ])('%j → %j', (url, expected) => {
    expect(originOf(url)).toBe(expected);
  });

  it.each([
    ['https://example.com:443/page', 'https://example.com/other'],
    ['http://example.com:80/', 'http://EXAMPLE.com/x'],
  ])('%s and %s share an origin', (a, b) => {
    expect(originOf(a)).toBe(originOf(b));
  });
});

describe('isSecureScheme', () => {
  it.each<[string, boolean]>([
    ['https://example.com/', true],
    ['wss://example.com/', true],
    ['http://example.com/', false],
    ['ws://example.com/', false],
    ['file:///x', false],
    ['chrome://newtab/', false],
    ['', false],
  ])('%j → %s', (url, expected) => {
    expect(isSecureScheme(url)).toBe(expected);
  });
});

describe('pageKindOf', () => {
  it.each<[string | undefined, PageKind]>([
    ['https://example.com/', 'web'],
    ['http://example.com/', 'web'],
    ['http://[::1]:8080/', 'web'],
    ['file:///home/user/page.html', 'local-file'],
    ['file://server/share/page.html', 'local-file'],
    ['chrome://extensions/', 'browser-page'],
    ['chrome-extension://abc/popup.html', 'browser-page'],
    ['edge://settings', 'browser-page'],
    ['about:blank', 'browser-page'],
    ['about:preferences', 'browser-page'],
    ['view-source:https://example.com/', 'browser-page'],
    ['data:text/html,hi', 'browser-page'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%j → %s', (url, expected) => {
    expect(pageKindOf(url)).toBe(expected);
  });
});
