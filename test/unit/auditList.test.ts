import { describe, expect, it } from 'vitest';
import { inShard, shardOf } from '../../scripts/audit/shard';
import { entryKey, normaliseUrl, siteList } from '../../scripts/audit/siteList';

describe('audit list', () => {
  it.each<[string, { url: string } | { error: RegExp }]>([
    ['https://example.org', { url: 'https://example.org/' }],
    ['http://EXAMPLE.org/a?b=1#frag', { url: 'http://example.org/a?b=1' }],
    ['example.org', { url: 'https://example.org/' }],
    ['www.example.org:8443/path', { url: 'https://www.example.org:8443/path' }],
    ['http://[::1]:8080/', { url: 'http://[::1]:8080/' }],
    ['  https://example.org/  ', { url: 'https://example.org/' }],
    ['ftp://example.org/file', { error: /not an http\(s\) URL \(ftp:\)/ }],
    ['javascript:alert(1)', { error: /not an http\(s\) URL/ }],
    ['file:///etc/passwd', { error: /not an http\(s\) URL \(file:\)/ }],
    ['example org', { error: /contains spaces/ }],
    ['localhost', { error: /not a URL/ }],
    ['http://', { error: /not a URL/ }],
  ])('%j', (input, expected) => {
    const result = normaliseUrl(input);
    if ('url' in expected) expect(result).toEqual(expected);
    else expect('error' in result && result.error).toMatch(expected.error);
  });

  it('reads lines and arguments in order, skips blanks and comments, keeps bad lines as entries, audits duplicates once', () => {
    const list = siteList('# my sites\nexample.org\n\nhttps://example.net/  # the other one\nnot a url\nhttps://example.org/\n', ['example.com', 'ftp://x.example']);
    expect(list.duplicates).toBe(1);
    expect(list.entries).toEqual([
      { position: 0, url: 'https://example.org/', error: undefined },
      { position: 1, url: 'https://example.net/', error: undefined },
      { position: 2, url: 'not a url', error: 'line 5: not a URL (contains spaces)' },
      { position: 3, url: 'https://example.com/', error: undefined },
      { position: 4, url: 'ftp://x.example', error: 'argument: not an http(s) URL (ftp:)' },
    ]);
  });

  it('names each entry\'s files by host and a hash of the URL', () => {
    expect(entryKey('https://www.example.org/')).toMatch(/^www\.example\.org-[0-9a-f]{12}$/);
    expect(entryKey('https://www.example.org/a')).not.toBe(entryKey('https://www.example.org/b'));
    expect(entryKey('http://[::1]:8080/')).toMatch(/^1-[0-9a-f]{12}$/);
    expect(entryKey('not a url')).toMatch(/^entry-[0-9a-f]{12}$/);
  });
});

describe('audit shards', () => {
  const urls = Array.from({ length: 300 }, (_, n) => `https://site${n}.example/`);

  it.each([1, 2, 3, 7])('%i shards take every URL exactly once', (count) => {
    const taken = urls.map((url) => Array.from({ length: count }, (_, k) => inShard(url, { index: k + 1, count })).filter(Boolean).length);
    expect(taken.every((n) => n === 1)).toBe(true);
  });

  it('splits a list roughly evenly, and the same way every time', () => {
    const sizes = [1, 2, 3, 4].map((index) => urls.filter((url) => inShard(url, { index, count: 4 })).length);
    for (const size of sizes) expect(size).toBeGreaterThan(45);
    expect(urls.map((url) => shardOf(url, 4))).toEqual(urls.map((url) => shardOf(url, 4)));
    expect(shardOf('https://example.org/', 1)).toBe(1);
  });

  it('without --shard takes everything', () => {
    expect(urls.every((url) => inShard(url, undefined))).toBe(true);
  });
});
