/**
 * Progress as sites finish: a bar redrawn in place on a terminal, one plain line per site
 * otherwise (logs, CI), both on stderr; with --json-lines each row also goes to stdout as JSON.
 */
import type { SiteRow } from './siteRow';

export interface Progress {
  done(row: SiteRow): void;
  finish(): void;
}

const BAR_WIDTH = 30;

/** One site's outcome in a few words. */
export function outcomeText(row: SiteRow): string {
  if (row.error !== null) return `error: ${row.error}`;
  return `${row.verdict ?? '?'} (NAT64: ${row.verdictNat64 ?? '?'}), score ${row.score ?? '?'}%`;
}

export function progressBar(done: number, total: number, errors: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}${errors > 0 ? `, ${errors} errors` : ''}`;
}

export function progressReporter(total: number, options: { tty: boolean; jsonLines: boolean }): Progress {
  let done = 0;
  let errors = 0;
  const draw = (): void => {
    process.stderr.write(`\r${progressBar(done, total, errors)}`);
  };
  if (options.tty) draw();
  return {
    done: (row) => {
      done++;
      if (row.error !== null) errors++;
      if (options.jsonLines) process.stdout.write(`${JSON.stringify(row)}\n`);
      if (options.tty) draw();
      else process.stderr.write(`${done}/${total} ${row.url}: ${outcomeText(row)}\n`);
    },
    finish: () => {
      if (options.tty) process.stderr.write('\n');
    },
  };
}
