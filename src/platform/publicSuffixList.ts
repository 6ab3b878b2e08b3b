/**
 * The Public Suffix List packaged with the extension, fetched from its own files at the first
 * need (the site history recording a visit), never at start: a worker with history off never
 * reads or holds it.
 */
import browser from 'webextension-polyfill';
import { lazySuffixList, SUFFIX_LIST_FILE } from '../core/history/publicSuffixList';

export const packagedSuffixList = lazySuffixList(async () => {
  const response = await fetch(browser.runtime.getURL(SUFFIX_LIST_FILE));
  if (!response.ok) throw new Error(`${SUFFIX_LIST_FILE}: HTTP ${response.status}`);
  return response.text();
});
