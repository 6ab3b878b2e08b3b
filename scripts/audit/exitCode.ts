/** The audit's exit code for CI: 0 when every site meets --min-score, 1 otherwise, 2 on a usage error. */
import type { SiteRow } from './siteRow';

export const EXIT_OK = 0;
export const EXIT_BELOW = 1;
export const EXIT_USAGE = 2;

/** Sites below the minimum; a site that could not be audited has no score and never meets one. */
export function sitesBelow(rows: readonly SiteRow[], minScore: number | undefined): SiteRow[] {
  if (minScore === undefined) return [];
  return rows.filter((row) => row.score === null || row.score < minScore);
}

export function exitCodeFor(rows: readonly SiteRow[], minScore: number | undefined): number {
  return sitesBelow(rows, minScore).length === 0 ? EXIT_OK : EXIT_BELOW;
}
