/**
 * The audit's command line as data: `audit [options] URL...` or `audit merge --out DIR DIR...`.
 * Pure, so every flag and every refusal is unit-tested; the shell (cli.ts) only prints and exits.
 */
import type { Shard } from './shard';

export type BrowserChoice = 'chromium' | 'firefox';

export interface AuditOptions {
  command: 'audit';
  out: string;
  list: string | undefined;
  urls: string[];
  browser: BrowserChoice;
  concurrency: number;
  settleMs: number;
  timeoutMs: number;
  /** Look up AAAA records of hosts answered over IPv4 (Node's resolver, or `doh`). */
  dns: boolean;
  doh: string | undefined;
  minScore: number | undefined;
  shard: Shard | undefined;
  retries: number;
  resume: boolean;
  jsonLines: boolean;
  scroll: boolean;
  browserArgs: string[];
  /** Firefox preferences (`--browser-pref name=value`), Firefox's counterpart of command-line flags. */
  browserPrefs: Record<string, string | number | boolean>;
}

export interface MergeOptions {
  command: 'merge';
  out: string;
  dirs: string[];
  /** The exit code then says whether every merged site meets it, as an audit's does. */
  minScore: number | undefined;
}

export type ParsedArgs = { ok: true; options: AuditOptions | MergeOptions | { command: 'help' } } | { ok: false; error: string };

export const DEFAULT_OUT = 'audit-results';

export const USAGE = `Usage:
  npm run audit -- [options] URL...
  npm run audit -- merge --out DIR [--min-score P] SHARD_DIR...

Options:
  --out DIR              where results go (default ${DEFAULT_OUT})
  --list FILE            one URL a line ('#' starts a comment)
  --browser NAME         chromium (default) or firefox
  --concurrency N        tabs at once (default 1, at most 32)
  --settle MS            network quiet before the report is read (default 2000)
  --timeout MS           per page, load to report (default 30000)
  --no-dns               do not look up AAAA records of hosts answered over IPv4
  --doh URL              look them up with this DNS-over-HTTPS resolver (RFC 8484) instead of Node's resolver
  --min-score P          exit 1 unless every site scores at least P (0-100)
  --shard K/N            audit only the K-th of N deterministic shares of the list
  --retries N            try a failed page N more times (default 0)
  --resume               skip URLs that already have a result in --out
  --json-lines           write one JSON line per site to stdout
  --no-scroll            do not scroll pages (only what the first screen loads)
  --browser-arg ARG      pass a flag to Chromium (repeatable)
  --browser-pref K=V     set a Firefox preference (repeatable)
Exit code: 0 all sites meet --min-score, 1 otherwise, 2 on a usage error.`;

const VALUE_FLAGS = new Set(['--out', '--list', '--browser', '--concurrency', '--settle', '--timeout', '--doh', '--min-score', '--shard', '--retries', '--browser-arg', '--browser-pref']);

class UsageError extends Error {}

function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number, not "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max}, not ${value}`);
  return value;
}

function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (match === null) throw new UsageError(`--shard takes K/N (e.g. 2/8), not "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard ${text}: K must be between 1 and N`);
  return { index, count };
}

function prefValue(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

function dohUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--doh needs a URL, not "${text}"`);
  }
  // Plain HTTP only to this machine (a test's local resolver): host names are not sent in clear.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new UsageError(`--doh needs an https:// URL, not "${text}"`);
  return url.href;
}

/** Splits `--flag=value` into `--flag value`, so both spellings work. */
function tokens(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => {
    const at = arg.indexOf('=');
    if (arg.startsWith('--') && at > 0 && VALUE_FLAGS.has(arg.slice(0, at))) return [arg.slice(0, at), arg.slice(at + 1)];
    return [arg];
  });
}

function parseMerge(args: string[]): MergeOptions {
  let out: string | undefined;
  let minScore: number | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--out' || arg === '--min-score') {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      if (arg === '--out') out = value;
      else minScore = integer(arg, value, 0, 100);
    } else if (arg.startsWith('--')) throw new UsageError(`merge: unknown option ${arg}`);
    else dirs.push(arg);
  }
  if (out === undefined) throw new UsageError('merge needs --out DIR for the combined summary');
  if (dirs.length === 0) throw new UsageError('merge needs at least one shard directory');
  return { command: 'merge', out, dirs, minScore };
}

function parseAudit(args: string[]): AuditOptions {
  const options: AuditOptions = {
    command: 'audit',
    out: DEFAULT_OUT,
    list: undefined,
    urls: [],
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
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      options.urls.push(arg);
      continue;
    }
    if (arg === '--no-dns') options.dns = false;
    else if (arg === '--resume') options.resume = true;
    else if (arg === '--json-lines') options.jsonLines = true;
    else if (arg === '--no-scroll') options.scroll = false;
    else if (VALUE_FLAGS.has(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      switch (arg) {
        case '--out': options.out = value; break;
        case '--list': options.list = value; break;
        case '--browser':
          if (value !== 'chromium' && value !== 'firefox') throw new UsageError(`--browser is chromium or firefox, not "${value}"`);
          options.browser = value;
          break;
        case '--concurrency': options.concurrency = integer(arg, value, 1, 32); break;
        case '--settle': options.settleMs = integer(arg, value, 0, 600_000); break;
        case '--timeout': options.timeoutMs = integer(arg, value, 1000, 3_600_000); break;
        case '--doh': options.doh = dohUrl(value); break;
        case '--min-score': options.minScore = integer(arg, value, 0, 100); break;
        case '--shard': options.shard = parseShard(value); break;
        case '--retries': options.retries = integer(arg, value, 0, 10); break;
        case '--browser-arg': options.browserArgs.push(value); break;
        case '--browser-pref': {
          const at = value.indexOf('=');
          if (at <= 0) throw new UsageError(`--browser-pref takes name=value, not "${value}"`);
          options.browserPrefs[value.slice(0, at)] = prefValue(value.slice(at + 1));
          break;
        }
      }
    } else throw new UsageError(`unknown option ${arg}`);
  }
  if (options.urls.length === 0 && options.list === undefined) throw new UsageError('give URLs or --list FILE');
  if (options.doh !== undefined && !options.dns) throw new UsageError('--doh and --no-dns contradict each other');
  if (options.browserArgs.length > 0 && options.browser !== 'chromium') throw new UsageError('--browser-arg is for Chromium; use --browser-pref with Firefox');
  if (Object.keys(options.browserPrefs).length > 0 && options.browser !== 'firefox') throw new UsageError('--browser-pref is for Firefox; use --browser-arg with Chromium');
  return options;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const args = tokens(argv);
  if (args.includes('--help') || args.includes('-h')) return { ok: true, options: { command: 'help' } };
  try {
    return { ok: true, options: args[0] === 'merge' ? parseMerge(args.slice(1)) : parseAudit(args) };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, error: error.message };
    throw error;
  }
}
