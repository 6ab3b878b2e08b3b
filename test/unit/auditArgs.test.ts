import { describe, expect, it } from 'vitest';
import { DEFAULT_OUT, parseArgs, type AuditOptions } from '../../scripts/audit/args';

function audit(argv: string[]): AuditOptions {
  const parsed = parseArgs(argv);
  if (!parsed.ok || parsed.options.command !== 'audit') throw new Error(`not an audit: ${JSON.stringify(parsed)}`);
  return parsed.options;
}

describe('audit arguments', () => {
  it('has the documented defaults', () => {
    expect(audit(['https://example.org'])).toEqual({
      command: 'audit',
      out: DEFAULT_OUT,
      list: undefined,
      urls: ['https://example.org'],
      browser: 'chromium',
      concurrency: 1,
      settleMs: 2000,
      timeoutMs: 30_000,
      dns: true,
      doh: undefined,
      minScore: undefined,
      shard: undefined,
      retries: 0,
      resume: false,
      jsonLines: false,
      scroll: true,
      browserArgs: [],
      browserPrefs: {},
    });
  });

  it.each<[string[], Partial<AuditOptions>]>([
    [['--out', 'r', 'a.org'], { out: 'r' }],
    [['--out=r', 'a.org'], { out: 'r' }],
    [['--list', 'sites.txt'], { list: 'sites.txt', urls: [] }],
    [['--browser', 'firefox', 'a.org'], { browser: 'firefox' }],
    [['--concurrency', '4', 'a.org'], { concurrency: 4 }],
    [['--settle', '0', '--timeout', '5000', 'a.org'], { settleMs: 0, timeoutMs: 5000 }],
    [['--no-dns', 'a.org'], { dns: false }],
    [['--doh', 'https://dns.example/dns-query', 'a.org'], { doh: 'https://dns.example/dns-query' }],
    [['--doh', 'http://127.0.0.1:8053/q', 'a.org'], { doh: 'http://127.0.0.1:8053/q' }],
    [['--min-score', '100', 'a.org'], { minScore: 100 }],
    [['--shard', '2/8', 'a.org'], { shard: { index: 2, count: 8 } }],
    [['--retries', '2', '--resume', '--json-lines', '--no-scroll', 'a.org'], { retries: 2, resume: true, jsonLines: true, scroll: false }],
    [['--browser-arg', '--host-resolver-rules=MAP * ::1', '--browser-arg=--lang=en', 'a.org'], { browserArgs: ['--host-resolver-rules=MAP * ::1', '--lang=en'] }],
    [['--browser', 'firefox', '--browser-pref', 'network.dns.localDomains=a.test,b.test', '--browser-pref', 'x.n=3', '--browser-pref', 'x.b=false', 'a.org'], { browserPrefs: { 'network.dns.localDomains': 'a.test,b.test', 'x.n': 3, 'x.b': false } }],
    [['a.org', 'b.org'], { urls: ['a.org', 'b.org'] }],
  ])('%j', (argv, expected) => {
    expect(audit(argv)).toMatchObject(expected);
  });

  it.each<[string[], RegExp]>([
    [[], /give URLs or --list/],
    [['--browser', 'safari', 'a.org'], /chromium or firefox/],
    [['--concurrency', '0', 'a.org'], /between 1 and 32/],
    [['--concurrency', 'two', 'a.org'], /whole number/],
    [['--settle', '-1', 'a.org'], /whole number/],
    [['--min-score', '101', 'a.org'], /between 0 and 100/],
    [['--shard', '3/2', 'a.org'], /K must be between 1 and N/],
    [['--shard', '0/2', 'a.org'], /K must be between 1 and N/],
    [['--shard', '1', 'a.org'], /K\/N/],
    [['--doh', 'http://dns.example/q', 'a.org'], /https:\/\//],
    [['--doh', 'not a url', 'a.org'], /needs a URL/],
    [['--no-dns', '--doh', 'https://d.example/q', 'a.org'], /contradict/],
    [['--browser', 'firefox', '--browser-arg', '--x', 'a.org'], /--browser-arg is for Chromium/],
    [['--browser-pref', 'a=1', 'a.org'], /--browser-pref is for Firefox/],
    [['--browser', 'firefox', '--browser-pref', 'novalue', 'a.org'], /name=value/],
    [['--out'], /--out needs a value/],
    [['--frobnicate', 'a.org'], /unknown option --frobnicate/],
    [['merge', 'a', 'b'], /needs --out/],
    [['merge', '--out', 'all'], /at least one shard/],
    [['merge', '--out', 'all', '--resume', 'a'], /unknown option --resume/],
    [['merge', '--out', 'all', '--min-score', '200', 'a'], /between 0 and 100/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('parses merge and help', () => {
    expect(parseArgs(['merge', '--out', 'all', 's1', 's2'])).toEqual({ ok: true, options: { command: 'merge', out: 'all', dirs: ['s1', 's2'], minScore: undefined } });
    expect(parseArgs(['merge', '--min-score=90', '--out', 'all', 's1'])).toEqual({ ok: true, options: { command: 'merge', out: 'all', dirs: ['s1'], minScore: 90 } });
    expect(parseArgs(['--help'])).toEqual({ ok: true, options: { command: 'help' } });
  });
});
