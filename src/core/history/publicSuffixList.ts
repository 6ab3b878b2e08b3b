/**
 * The registrable domain of a host by the Public Suffix List (https://publicsuffix.org/list/):
 * the list is a data file in the extension (public/psl/, written by scripts/make-suffix-list.ts),
 * read only when the site history needs it, so the worker carries no tables when history is off.
 *
 * The list's algorithm: of the rules matching a host, an exception rule ("!www.ck") prevails and
 * loses its left-most label; otherwise the rule with the most labels, a wildcard ("*.ck") matching
 * any one label; with no rule matching, the implicit "*" makes the last label the suffix. The
 * registrable domain is the public suffix and one label more.
 */

/** Where the list is in the built extension (and under public/ in the sources). */
export const SUFFIX_LIST_FILE = 'psl/public_suffix_list.txt';

/** The list's rules, read from the data file: only parseSuffixList makes one. */
export interface PublicSuffixList {
  readonly rules: ReadonlySet<string>;
}

/** The data file is not a list we can trust (damaged, cut short, or not the list at all). */
export class SuffixListError extends Error {
  override name = 'SuffixListError';
}

// A rule's labels as the generator writes them: ASCII (punycode), lower case.
const RULE = /^(?:!|\*\.)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;
// The file's last line: how many rules come before it, so a file cut short is caught.
const TRAILER = /^\/\/ end of list: (\d+) rules$/;

export function suffixListTrailer(ruleCount: number): string {
  return `// end of list: ${ruleCount} rules`;
}

/** The rules of the data file's text; throws SuffixListError saying which line is wrong. */
export function parseSuffixList(text: string): PublicSuffixList {
  const rules = new Set<string>();
  const lines = text.split('\n');
  let declared: number | undefined;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (declared !== undefined) throw new SuffixListError(`the Public Suffix List file goes on past its end (line ${index + 1})`);
    const trailer = TRAILER.exec(line);
    if (trailer !== null) declared = Number(trailer[1]);
    else if (line.startsWith('//')) continue;
    else if (RULE.test(line)) rules.add(line);
    else throw new SuffixListError(`the Public Suffix List file is damaged: line ${index + 1} is not a rule`);
  }
  if (declared === undefined) throw new SuffixListError('the Public Suffix List file is cut short (no end line)');
  if (declared !== rules.size) throw new SuffixListError(`the Public Suffix List file holds ${rules.size} rules, not the ${declared} it declares`);
  return { rules };
}

const MAX_HOST_LENGTH = 255;
const MAX_LABEL_LENGTH = 63;

/**
 * Whether the host is a name the list applies to: labels of letters, digits, "-" and "_" (or
 * other than ASCII), none empty, none starting or ending with "-", within DNS's lengths. Anything
 * else has no registrable domain, as with tldts, which the history used before.
 */
function isDomainName(labels: readonly string[], host: string): boolean {
  if (host.length === 0 || host.length > MAX_HOST_LENGTH) return false;
  return labels.every((label) => label.length > 0 && label.length <= MAX_LABEL_LENGTH && !label.startsWith('-') && !label.endsWith('-') && /^[a-z0-9_\-\u0080-\uffff]+$/.test(label));
}

/** Four all-digit labels: an IPv4 address (browsers write every IPv4 host this way). */
const isIPv4Like = (labels: readonly string[]): boolean => labels.length === 4 && labels.every((label) => /^\d+$/.test(label));

/** Index of the host's first label that belongs to its public suffix. */
function publicSuffixStart(labels: readonly string[], list: PublicSuffixList): number {
  const suffixFrom = (start: number): string => labels.slice(start).join('.');
  for (let start = 0; start < labels.length; start++) {
    if (list.rules.has(`!${suffixFrom(start)}`)) return start + 1;
  }
  for (let start = 0; start < labels.length; start++) {
    if (list.rules.has(suffixFrom(start))) return start;
    if (start + 1 < labels.length && list.rules.has(`*.${suffixFrom(start + 1)}`)) return start;
  }
  return labels.length - 1;
}

/**
 * The registrable domain of a host given as the browser gives it (lower case, no trailing dot,
 * internationalised names in punycode), or undefined for a host that has none: an address, a
 * public suffix itself ("co.uk", "github.io"), a single label ("localhost"), or no domain name.
 */
export function registrableDomain(host: string, list: PublicSuffixList): string | undefined {
  const labels = host.split('.');
  if (!isDomainName(labels, host) || isIPv4Like(labels)) return undefined;
  const start = publicSuffixStart(labels, list);
  return start === 0 ? undefined : labels.slice(start - 1).join('.');
}

/**
 * The list, read and parsed at the first call and kept for the worker's life; a failed read or a
 * damaged file is not kept, so the next call tries again (and says why it failed). `readText`
 * is the one seam to the browser (a fetch of the packaged file), so tests can count its calls.
 */
export function lazySuffixList(readText: () => Promise<string>): () => Promise<PublicSuffixList> {
  let loading: Promise<PublicSuffixList> | undefined;
  return () => {
    if (loading === undefined) {
      const attempt = readText().then(parseSuffixList, (error: unknown) => {
        throw new SuffixListError(`the Public Suffix List could not be read (${String(error)})`);
      });
      attempt.catch(() => {
        if (loading === attempt) loading = undefined;
      });
      loading = attempt;
    }
    return loading;
  };
}
