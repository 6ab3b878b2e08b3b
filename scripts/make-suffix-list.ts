/**
 * Writes public/psl/public_suffix_list.txt from the Public Suffix List in the installed tldts
 * (see suffixListFromTldts.ts). Run after updating tldts: `npx tsx scripts/make-suffix-list.ts`;
 * `--check` only compares.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { SUFFIX_LIST_FILE } from '../src/core/history/publicSuffixList';
import { suffixListText } from './suffixListFromTldts';

const target = new URL(`../public/${SUFFIX_LIST_FILE}`, import.meta.url);
const text = suffixListText();
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    console.error(`${SUFFIX_LIST_FILE} differs from tldts's list: run npx tsx scripts/make-suffix-list.ts`);
    process.exit(1);
  }
  console.log(`${SUFFIX_LIST_FILE} matches tldts's list`);
} else {
  writeFileSync(target, text);
  console.log(`wrote public/${SUFFIX_LIST_FILE}: ${text.split('\n').at(-2)}`);
}
