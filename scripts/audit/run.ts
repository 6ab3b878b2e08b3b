/**
 * The audit run: the list (this shard's share of it, less what --resume finds done), a pool of
 * tabs in one browser, each site's files as soon as it is done, then the summary and the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuditOptions } from './args';
import type { AuditBrowser } from './auditBrowser';
import { launchChromium } from './chromiumBrowser';
import { aaaaLookup, lookUpAll } from './dnsLookup';
import { exitCodeFor, sitesBelow } from './exitCode';
import { launchFirefox } from './firefoxBrowser';
import { existingRows, writeSite, writeSummary } from './outputs';
import { visit } from './pageVisit';
import { progressReporter } from './progress';
import { inShard } from './shard';
import { siteList, type SiteEntry } from './siteList';
import { errorRow, hostsToLookUp, siteRow, type SiteRow } from './siteRow';

const DIST = resolve(import.meta.dirname, '../../dist');

/** A reason the audit cannot start or go on (exit code 2), said in one sentence. */
export class SetupError extends Error {}

function extensionDir(options: AuditOptions): string {
  const dir = join(DIST, options.browser === 'chromium' ? 'chrome' : 'firefox');
  if (!existsSync(join(dir, 'manifest.json'))) throw new SetupError(`no built extension in ${dir}: run npm run build first`);
  return dir;
}

function readList(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new SetupError(`cannot read the list ${path}: ${(error as Error).message}`);
  }
}

function launch(options: AuditOptions, dir: string): Promise<AuditBrowser> {
  return options.browser === 'chromium' ? launchChromium(dir, options.browserArgs) : launchFirefox(dir, options.browserPrefs);
}

async function auditOne(browser: AuditBrowser, entry: SiteEntry, options: AuditOptions, lookup: ReturnType<typeof aaaaLookup> | undefined): Promise<SiteRow> {
  let outcome = await visit(browser, entry.url, options);
  for (let retry = 0; retry < options.retries && 'error' in outcome && !browser.gone(); retry++) outcome = await visit(browser, entry.url, options);
  // Not the site's fault: no row, so that --resume audits it once the browser is back.
  if (browser.gone()) throw new SetupError('the browser closed unexpectedly; what was done is kept: run again with --resume');
  if ('error' in outcome) {
    const row = errorRow(entry, outcome.error, outcome.finalUrl);
    writeSite(options.out, row, undefined);
    return row;
  }
  const dns = lookup === undefined ? new Map() : await lookUpAll(hostsToLookUp(outcome.report), lookup);
  const row = siteRow(entry, outcome.report, dns);
  writeSite(options.out, row, outcome.report);
  return row;
}

export async function runAudit(options: AuditOptions): Promise<number> {
  const dir = extensionDir(options);
  const list = siteList(readList(options.list), options.urls);
  const mine = list.entries.filter((entry) => inShard(entry.url, options.shard));
  const previous = options.resume ? existingRows(options.out) : new Map<string, SiteRow>();
  const rows: SiteRow[] = [];
  const todo: SiteEntry[] = [];
  for (const entry of mine) {
    const done = previous.get(entry.url);
    if (done !== undefined) rows.push({ ...done, position: entry.position });
    else if (entry.error !== undefined) {
      const row = errorRow(entry, entry.error);
      writeSite(options.out, row, undefined);
      rows.push(row);
      if (options.jsonLines) process.stdout.write(`${JSON.stringify(row)}\n`);
    } else todo.push(entry);
  }
  const notes = [
    options.shard === undefined ? '' : `shard ${options.shard.index}/${options.shard.count}: ${mine.length} of ${list.entries.length} entries`,
    list.duplicates > 0 ? `${list.duplicates} duplicate URLs are audited once` : '',
    rows.length > 0 ? `${rows.length} entries need no visit (${options.resume ? 'already in --out, or ' : ''}not a URL)` : '',
  ].filter((note) => note !== '');
  for (const note of notes) process.stderr.write(`${note}\n`);

  if (todo.length > 0) {
    const progress = progressReporter(todo.length, { tty: process.stderr.isTTY === true && !options.jsonLines, jsonLines: options.jsonLines });
    const lookup = options.dns ? aaaaLookup(options.doh) : undefined;
    const browser = await launch(options, dir);
    const stop = (): void => {
      void browser.close().finally(() => process.exit(130));
    };
    process.once('SIGINT', stop);
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < todo.length) {
          const entry = todo[next++] as SiteEntry;
          const row = await auditOne(browser, entry, options, lookup);
          rows.push(row);
          progress.done(row);
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, todo.length) }, worker));
    } finally {
      process.off('SIGINT', stop);
      progress.finish();
      await browser.close();
    }
  }
  const summary = writeSummary(options.out, rows);
  const below = sitesBelow(summary.sites, options.minScore);
  process.stderr.write(`${summary.sites.length} sites in ${join(options.out, 'summary.html')}${options.minScore === undefined ? '' : `; ${below.length} below ${options.minScore}%`}\n`);
  return exitCodeFor(summary.sites, options.minScore);
}

