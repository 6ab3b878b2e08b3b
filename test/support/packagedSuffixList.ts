/** The Public Suffix List the extension ships (public/psl/), read from the sources for unit tests. */
import { readFileSync } from 'node:fs';
import { parseSuffixList, SUFFIX_LIST_FILE, type PublicSuffixList } from '../../src/core/history/publicSuffixList';

export const packagedSuffixListText = readFileSync(new URL(`../../public/${SUFFIX_LIST_FILE}`, import.meta.url), 'utf8');
export const packagedSuffixList: PublicSuffixList = parseSuffixList(packagedSuffixListText);
/** What the history writer is given in tests: the packaged list, already read. */
export const readPackagedSuffixList = (): Promise<PublicSuffixList> => Promise.resolve(packagedSuffixList);
