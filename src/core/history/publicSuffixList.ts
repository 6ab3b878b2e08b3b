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

/**
 * The list's rules, read from the data file: only parseSuffixList makes one. Held as the file's
 * own text with an index of where each rule is (the file lists them sorted, so a look-up is a
 * binary search): a Set of ten thousand strings would cost the worker twice the heap.
 */
export interface PublicSuffixList {
  readonly size: number;
  /** Whether the list has this rule, written as in the file ("co.uk", "*.ck", "!www.ck"). */
  has(rule: string): boolean;
  rules(): Generator<string>;
}

/** The data file is not a list we can trust (damaged, cut short, or not the list at all). */
export class SuffixListError extends Error {
  override name = 'SuffixListError';
}

// A rule's labels as the generator writes them: ASCII (punycode), lower case.
const RULE = /^(?:!|\*\.)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;
// The file's last line: how many rules come before it, so a file cut short is caught.
const TRAILER = /^\/\/ end of list: (\d+) rules$/;
const MAX_RULE_LENGTH = 255;

export function suffixListTrailer(ruleCount: number): string {
  return `// end of list: ${ruleCount} rules`;
}

function indexedRules(text: string, starts: Uint32Array, lengths: Uint8Array): PublicSuffixList {
  /** Negative when rule `index` sorts before `rule` (by UTF-16 code unit, as the file is sorted), 0 when equal. */
  const compareAt = (index: number, rule: string): number => {
    const start = starts[index] ?? 0;
    const length = lengths[index] ?? 0;
    for (let i = 0; i < Math.min(length, rule.length); i++) {
      const difference = text.charCodeAt(start + i) - rule.charCodeAt(i);
      if (difference !== 0) return difference;
    }
    return length - rule.length;
  };
  return {
    size: starts.length,
    has(rule) {
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        const order = compareAt(middle, rule);
        if (order === 0) return true;
        if (order < 0) low = middle + 1;
        else high = middle;
      }
      return false;
    },
    *rules() {
      for (let index = 0; index < starts.length; index++) yield text.slice(starts[index], (starts[index] ?? 0) + (lengths[index] ?? 0));
    },
  };
}

/** The rules of the data file's text; throws SuffixListError saying which line is wrong. */
export function parseSuffixList(text: string): PublicSuffixList {
  const starts: number[] = [];
  const lengths: number[] = [];
  let previous = '';
  let declared: number | undefined;
  for (let start = 0, lineNumber = 1; start < text.length; lineNumber++) {
    const newline = text.indexOf('\n', start);
    const lineEnd = newline === -1 ? text.length : newline;
    // A checkout that turned the line ends into CRLF is still the list.
    const end = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const line = text.slice(start, end);
    if (line.trim() !== '') {
      if (declared !== undefined) throw new SuffixListError(`the Public Suffix List file goes on past its end (line ${lineNumber})`);
      const trailer = TRAILER.exec(line);
      if (trailer !== null) declared = Number(trailer[1]);
      else if (!line.startsWith('//')) {
        if (!RULE.test(line) || line.length > MAX_RULE_LENGTH) throw new SuffixListError(`the Public Suffix List file is damaged: line ${lineNumber} is not a rule`);
        if (line <= previous) throw new SuffixListError(`the Public Suffix List file is damaged: line ${lineNumber} is out of order`);
        starts.push(start);
        lengths.push(line.length);
        previous = line;
      }
    }
    start = lineEnd + 1;
  }
  if (declared === undefined) throw new SuffixListError('the Public Suffix List file is cut short (no end line)');
  if (declared !== starts.length) throw new SuffixListError(`the Public Suffix List file holds ${starts.length} rules, not the ${declared} it declares`);
  return indexedRules(text, Uint32Array.from(starts), Uint8Array.from(lengths));
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
    if (list.has(`!${suffixFrom(start)}`)) return start + 1;
  }
  for (let start = 0; start < labels.length; start++) {
    if (list.has(suffixFrom(start))) return start;
    if (start + 1 < labels.length && list.has(`*.${suffixFrom(start + 1)}`)) return start;
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
