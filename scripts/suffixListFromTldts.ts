/**
 * The Public Suffix List the site history reads (public/psl/public_suffix_list.txt, through
 * src/core/history/publicSuffixList.ts), taken from the copy tldts ships: tldts is a devDependency
 * kept for this and for the test that our matcher answers as tldts does, so both stay one version
 * of the list. scripts/make-suffix-list.ts writes the file; a unit test checks it is current.
 *
 * tldts keeps the list as a trie of labels (rules and exceptions apart, each node flagged ICANN or
 * private); we read it back into the list's own rule syntax, one rule a line. Both sections are
 * kept, unmarked: the history counts private suffixes too (a.github.io and b.github.io are two
 * sites), as it did with tldts's `allowPrivateDomains`. Browsers hand us hosts in their ASCII
 * (punycode) form, so rules written in Unicode are written as punycode.
 */
import { domainToASCII } from 'node:url';
import { createRequire } from 'node:module';
import { suffixListTrailer } from '../src/core/history/publicSuffixList';

interface Trie {
  nodeFlags: Uint8Array;
  edgeStart: Uint16Array;
  edgeLength: Uint8Array;
  edgeChild: Uint16Array;
  labelText: string;
  rulesRoot: number;
  exceptionsRoot: number;
}

const NOTICE = [
  '// The Public Suffix List (https://publicsuffix.org/), ICANN and private sections, one rule a line.',
  '// This Source Code Form is subject to the terms of the Mozilla Public',
  '// License, v. 2.0. If a copy of the MPL was not distributed with this',
  '// file, You can obtain one at https://mozilla.org/MPL/2.0/.',
];

/** Every rule under `root`, as label paths from the top-level label down. */
function rulesUnder(t: Trie, root: number): string[][] {
  // Where each edge's label starts in labelText: the labels are laid end to end in edge order.
  const edgeOffset: number[] = [];
  for (let edge = 0, offset = 0; edge < t.edgeLength.length; edge++) {
    edgeOffset.push(offset);
    offset += t.edgeLength[edge] ?? 0;
  }
  const rules: string[][] = [];
  const visit = (node: number, path: string[]): void => {
    for (let edge = t.edgeStart[node] ?? 0; edge < (t.edgeStart[node + 1] ?? 0); edge++) {
      const start = edgeOffset[edge] ?? 0;
      const label = t.labelText.slice(start, start + (t.edgeLength[edge] ?? 0));
      const child = t.edgeChild[edge] ?? 0;
      const childPath = [...path, label];
      if ((t.nodeFlags[child] ?? 0) !== 0) rules.push(childPath);
      visit(child, childPath);
    }
  };
  visit(root, []);
  return rules;
}

/** A label in ASCII: punycode for Unicode labels (only those: WHATWG's domainToASCII reads "0" as an IPv4 address). */
function asciiLabel(label: string): string {
  if (/^[\x21-\x7e]+$/.test(label)) return label;
  const ascii = domainToASCII(label);
  if (!/^xn--[a-z0-9-]+$/.test(ascii)) throw new Error(`label ${label} has no punycode form`);
  return ascii;
}

function asciiRule(labels: readonly string[]): string {
  const rule = labels.map(asciiLabel).reverse();
  if (rule.slice(1).includes('*')) throw new Error(`rule ${rule.join('.')} has a wildcard past its first label, which the matcher does not handle`);
  return rule.join('.');
}

/** The data file's text, from the list in the installed tldts. */
export function suffixListText(): string {
  // tldts's data module (no types of its own: it is not tldts's public interface).
  const t = createRequire(import.meta.url)('tldts/dist/cjs/src/data/trie.js') as Trie;
  const rules = new Set(rulesUnder(t, t.rulesRoot).map(asciiRule));
  const exceptions = new Set(rulesUnder(t, t.exceptionsRoot).map((labels) => `!${asciiRule(labels)}`));
  // Sorted by UTF-16 code unit, as the matcher's binary search expects.
  const lines = [...rules, ...exceptions].sort();
  return `${[...NOTICE, ...lines, suffixListTrailer(lines.length)].join('\n')}\n`;
}

