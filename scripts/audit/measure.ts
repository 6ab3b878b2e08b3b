/**
 * `npx tsx scripts/audit/measure.ts [--browser chromium|firefox] [--pages N] [--settle MS]`:
 * pages per minute of the audit at concurrency 1, 2 and 4 against the local fixture sites (not a
 * test: a measurement, printed). The clock runs from the first page done to the last, so the
 * browser's start is left out; the figure depends on the machine and on what else runs on it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RESOLVER_RULES } from '../browser/chromium';
import { startFixtureServer } from '../browser/fixtureServer';
import { startLoopbackDohResponder } from '../browser/dohResponder';
import { localSites } from './localSites';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { browser: { type: 'string', default: 'chromium' }, pages: { type: 'string', default: '24' }, settle: { type: 'string', default: '2000' } } });
const browser = values.browser === 'firefox' ? 'firefox' : 'chromium';
const pages = Number(values.pages);

/** Runs one audit; resolves the times (ms) at which each page was done, from its --json-lines. */
function timedAudit(args: string[]): Promise<number[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit/cli.ts', '--json-lines', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const times: number[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') times.push(Date.now());
    });
    child.on('error', fail);
    child.on('exit', () => done(times));
  });
}

const server = await startFixtureServer();
const sites = await localSites(server, browser);
const doh = await startLoopbackDohResponder((name) => ({ aaaa: sites.published.includes(name) ? ['2001:db8::64'] : [] }));
const reachable = [sites.urls.all6, sites.urls.thirdParty4, sites.urls.main4, sites.urls.lazy, sites.urls.redirect];
// Distinct URLs (a query per page), so the list has no duplicates and nothing is served from cache.
const urls = Array.from({ length: pages }, (_, n) => `${reachable[n % reachable.length]}?n=${n}`);
const browserArgs = browser === 'chromium' ? ['--browser-arg', `--host-resolver-rules=${RESOLVER_RULES}`] : ['--browser', 'firefox', '--browser-pref', `network.dns.localDomains=${sites.v4Names.join(',')}`];
const work = mkdtempSync(join(tmpdir(), 'ipvlens-audit-measure-'));
try {
  for (const concurrency of [1, 2, 4]) {
    const times = await timedAudit(['--out', join(work, String(concurrency)), '--concurrency', String(concurrency), '--settle', values.settle, '--doh', doh.url, ...browserArgs, ...urls]);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    const perMinute = times.length > 1 && span > 0 ? ((times.length - 1) * 60_000) / span : NaN;
    console.log(`${browser}, concurrency ${concurrency}, settle ${values.settle} ms: ${times.length} pages, ${perMinute.toFixed(1)} pages/min`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  await server.close();
  await doh.close();
}
