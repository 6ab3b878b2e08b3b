import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../src/core/view/utf8Bytes';

describe('utf8Bytes', () => {
  it.each<[string, string]>([
    ['empty', ''],
    ['ASCII, as the rows are', '<div role="row" data-domain="d1.v4.test">127.0.0.1</div>'.repeat(50)],
    ['a Latin-1 letter (2 bytes)', 'café'],
    ['a minus sign at the start (3 bytes)', '\u2212 12 domains'],
    ['non-ASCII in the middle and at the end', 'a·b·c\u2026'],
    ['a surrogate pair (4 bytes for 2 units)', 'x\u{1F600}y'],
    ['only non-ASCII', '\u2212\u2212\u2212'],
    ['a lone surrogate (U+FFFD, as TextEncoder writes it)', 'a\uD800b'],
    ['a long text, non-ASCII near its end', `${'x'.repeat(100_000)}\u00e9\u{1F600}`],
  ])('%s: the bytes TextEncoder.encode gives', (_name, text) => {
    expect([...utf8Bytes(text)]).toEqual([...new TextEncoder().encode(text)]);
  });

  it('takes one byte per character for ASCII, no larger buffer', () => {
    const bytes = utf8Bytes('abc'.repeat(1_000));
    expect(bytes.byteLength).toBe(3_000);
    expect(bytes.buffer.byteLength).toBe(3_000);
  });
});
