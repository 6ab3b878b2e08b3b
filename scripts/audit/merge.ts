/**
 * `audit merge --out DIR SHARD_DIR...`: the shards' summaries combined into one, in the list's
 * order (each row keeps its position in the whole list). A file that is not an audit summary, or
 * from a newer version, is refused with the reason and nothing is written.
 */
import { SUMMARY_FORMAT, SUMMARY_VERSION } from './summary';
import type { SiteRow } from './siteRow';

export type MergeResult = { ok: true; rows: SiteRow[]; duplicates: number } | { ok: false; error: string };

function isRow(value: unknown): value is SiteRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Partial<SiteRow>;
  return typeof row.url === 'string' && Number.isInteger(row.position) && Array.isArray(row.hosts) && (row.error === null || typeof row.error === 'string');
}

/** `inputs`: each shard's name (for messages) and its parsed summary.json. */
export function mergeSummaries(inputs: ReadonlyArray<{ name: string; summary: unknown }>): MergeResult {
  const byUrl = new Map<string, SiteRow>();
  let duplicates = 0;
  for (const { name, summary } of inputs) {
    if (typeof summary !== 'object' || summary === null || (summary as { format?: unknown }).format !== SUMMARY_FORMAT) {
      return { ok: false, error: `${name} is not an IPvLens audit summary` };
    }
    const { version, sites } = summary as { version?: unknown; sites?: unknown };
    if (version !== SUMMARY_VERSION) return { ok: false, error: `${name} is version ${String(version)}; this audit reads version ${SUMMARY_VERSION}` };
    if (!Array.isArray(sites)) return { ok: false, error: `${name} has no list of sites` };
    const bad = (sites as unknown[]).findIndex((site) => !isRow(site));
    if (bad >= 0) return { ok: false, error: `${name}: site ${bad + 1} is not a valid row` };
    for (const row of sites as SiteRow[]) {
      // The same URL in two shards (overlapping runs): one row, preferring an audited one to an error.
      const kept = byUrl.get(row.url);
      if (kept !== undefined) duplicates++;
      if (kept === undefined || (kept.error !== null && row.error === null)) byUrl.set(row.url, row);
    }
  }
  return { ok: true, rows: [...byUrl.values()], duplicates };
}
