/**
 * The audit's files in --out: per site `sites/<key>.json|.csv|.md` (the tab export and the core's
 * CSV and Markdown of it) and `sites/<key>.row.json` (its summary row, which --resume and the
 * summary read back); then `summary.json`, `summary.csv` and `summary.html`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tabCsv } from '../../src/core/export/csv';
import { tabMarkdown } from '../../src/core/export/markdown';
import type { TabExport } from '../../src/core/export/tabExport';
import { translatorFor, type LocaleMessage } from '../../src/core/i18n';
import { entryKey } from './siteList';
import type { SiteRow } from './siteRow';
import { buildSummary, type AuditSummary } from './summary';
import { summaryCsv } from './summaryCsv';
import { summaryHtml } from './summaryHtml';

const MESSAGES = resolve(import.meta.dirname, '../../public/_locales/en/messages.json');
const translate = translatorFor(JSON.parse(readFileSync(MESSAGES, 'utf8')) as Record<string, LocaleMessage>);

const ROW_SUFFIX = '.row.json';

function sitesDir(out: string): string {
  return join(out, 'sites');
}

export function writeSite(out: string, row: SiteRow, report: TabExport | undefined): void {
  const dir = sitesDir(out);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, entryKey(row.url));
  if (report !== undefined) {
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${base}.csv`, tabCsv(report));
    writeFileSync(`${base}.md`, tabMarkdown(report, translate));
  }
  // The row last: a site counts as done (for --resume) only once all its files are there.
  writeFileSync(`${base}${ROW_SUFFIX}`, `${JSON.stringify(row, null, 2)}\n`);
}

/** Rows already in --out, by URL; a row file that cannot be read is left out (that site is audited again). */
export function existingRows(out: string): Map<string, SiteRow> {
  const rows = new Map<string, SiteRow>();
  const dir = sitesDir(out);
  if (!existsSync(dir)) return rows;
  for (const name of readdirSync(dir).filter((file) => file.endsWith(ROW_SUFFIX))) {
    try {
      const row = JSON.parse(readFileSync(join(dir, name), 'utf8')) as SiteRow;
      if (typeof row.url === 'string' && typeof row.position === 'number') rows.set(row.url, row);
    } catch {
      // Unreadable (an audit stopped mid-write): audited again.
    }
  }
  return rows;
}

export function writeSummary(out: string, rows: readonly SiteRow[], at = new Date()): AuditSummary {
  mkdirSync(out, { recursive: true });
  const summary = buildSummary(rows, at);
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(out, 'summary.csv'), summaryCsv(summary));
  writeFileSync(join(out, 'summary.html'), summaryHtml(summary));
  return summary;
}
