/**
 * `npm run audit -- …`: audits a list of sites with the built extension in a headless browser,
 * or merges shard outputs (`merge`). See the README's "Audit many sites" section.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingBrowserError } from '../browser/findBrowser';
import { parseArgs, USAGE, type MergeOptions } from './args';
import { exitCodeFor, EXIT_OK, EXIT_USAGE } from './exitCode';
import { mergeSummaries } from './merge';
import { writeSummary } from './outputs';
import { runAudit, SetupError } from './run';

function runMerge(options: MergeOptions): number {
  const inputs = options.dirs.map((dir) => {
    const path = join(dir, 'summary.json');
    if (!existsSync(path)) throw new SetupError(`${dir} has no summary.json (is it an audit's --out?)`);
    try {
      return { name: path, summary: JSON.parse(readFileSync(path, 'utf8')) as unknown };
    } catch (error) {
      throw new SetupError(`${path} is not JSON: ${(error as Error).message}`);
    }
  });
  const merged = mergeSummaries(inputs);
  if (!merged.ok) throw new SetupError(merged.error);
  // Each shard's per-site files come along, so the merged directory is complete.
  for (const dir of options.dirs) {
    if (existsSync(join(dir, 'sites'))) cpSync(join(dir, 'sites'), join(options.out, 'sites'), { recursive: true });
  }
  const summary = writeSummary(options.out, merged.rows);
  process.stderr.write(`${summary.sites.length} sites from ${options.dirs.length} shards in ${join(options.out, 'summary.json')}${merged.duplicates > 0 ? ` (${merged.duplicates} duplicate rows merged)` : ''}\n`);
  return exitCodeFor(summary.sites, options.minScore);
}

async function main(): Promise<number> {
  const parsed = parseArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const { options } = parsed;
  if (options.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  try {
    return options.command === 'merge' ? runMerge(options) : await runAudit(options);
  } catch (error) {
    if (error instanceof SetupError || error instanceof MissingBrowserError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

process.exitCode = await main();
