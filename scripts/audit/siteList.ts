/**
 * The sites to audit, from list-file lines and command-line URLs: blank lines and `#` comments are
 * skipped, a bare host name means https://, and a line that is not an http(s) URL becomes an entry
 * with its error (a row in the results), so nothing in the list is dropped without a word.
 */
import { digest } from './shard';

export interface SiteEntry {
  /** Order in the input (list lines first, then arguments): the summary's order. */
  position: number;
  /** The URL as audited (normalised), or the text as given when it is not a usable URL. */
  url: string;
  /** Why this entry cannot be audited; undefined for a good URL. */
  error: string | undefined;
}

export interface SiteList {
  entries: SiteEntry[];
  /** Inputs left out because an earlier one normalises to the same URL. */
  duplicates: number;
}

const BARE_HOST = /^[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/;

/** The URL to audit for one input, or why there is none. */
export function normaliseUrl(input: string): { url: string } | { error: string } {
  const text = input.trim();
  if (/\s/.test(text)) return { error: 'not a URL (contains spaces)' };
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) && !BARE_HOST.test(text);
  const candidate = hasScheme ? text : BARE_HOST.test(text) && text.includes('.') ? `https://${text}` : undefined;
  if (candidate === undefined) return { error: 'not a URL' };
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { error: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `not an http(s) URL (${url.protocol})` };
  if (url.hostname === '') return { error: 'not a URL (no host)' };
  url.hash = '';
  return { url: url.href };
}

/** Entries from a list file's text (line numbers start at 1) and from arguments, in that order. */
export function siteList(listText: string | undefined, args: readonly string[]): SiteList {
  const inputs: Array<{ text: string; where: string }> = [];
  (listText ?? '').split(/\r?\n/).forEach((line, index) => {
    const text = line.replace(/(^|\s)#.*$/, '').trim();
    if (text !== '') inputs.push({ text, where: `line ${index + 1}` });
  });
  for (const arg of args) inputs.push({ text: arg, where: 'argument' });
  const seen = new Set<string>();
  const entries: SiteEntry[] = [];
  let duplicates = 0;
  for (const { text, where } of inputs) {
    const result = normaliseUrl(text);
    const url = 'url' in result ? result.url : text;
    if (seen.has(url)) {
      duplicates++;
      continue;
    }
    seen.add(url);
    entries.push({ position: entries.length, url, error: 'error' in result ? `${where}: ${result.error}` : undefined });
  }
  return { entries, duplicates };
}

/** A file-name-safe key for an entry's outputs: its host, then a hash of the whole URL. */
export function entryKey(url: string): string {
  let host = 'entry';
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    // A malformed entry: the hash alone tells it apart.
  }
  const safe = host.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'entry';
  return `${safe}-${digest(url).slice(0, 12)}`;
}
