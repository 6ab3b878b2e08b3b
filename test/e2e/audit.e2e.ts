/**
 * The headless audit (npm run audit) as a user runs it — a child process — over six local sites,
 * in Chromium and in Firefox: its summary against what the fixture server served, the scroll that
 * reveals a lazy image, an unreachable site as a row with its error and exit code 1 under
 * --min-score 100, shards that merge into the whole run, and --resume that re-audits only what is
 * missing. The audit's AAAA look-ups go to the local DNS-over-HTTPS responder the extension's tests
 * use (RFC 8484 wire format, over plain HTTP on loopback: --doh).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSites, type LocalSites, type SiteName } from '../../scripts/audit/localSites';
import { entryKey } from '../../scripts/audit/siteList';
import type { SiteRow } from '../../scripts/audit/siteRow';
import type { AuditSummary } from '../../scripts/audit/summary';
import { RESOLVER_RULES } from '../support/chromium';
import { startLoopbackDohResponder, type LoopbackDohResponder } from '../support/dohResponder';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';

const ROOT = resolve(import.meta.dirname, '../..');

interface Expected {
  verdict: string;
  verdictNat64: string;
  score: number;
  scoreWithPublished: number;
}

/** What each site must come to: facts of the fixture pages (readiness from the responder's answers). */
const EXPECTED: Record<Exclude<SiteName, 'down'>, Expected> = {
  all6: { verdict: 'ready', verdictNat64: 'ready', score: 100, scoreWithPublished: 100 },
  // Page over IPv6, an ipv4-only tracker, a host that publishes AAAA: 1 of 3 requests proven, 2 of 3 with published.
  thirdParty4: { verdict: 'not-ready', verdictNat64: 'ready', score: 33, scoreWithPublished: 66 },
  // The main host has no IPv6: both scores 0, however the rest came.
  main4: { verdict: 'not-ready', verdictNat64: 'ready', score: 0, scoreWithPublished: 0 },
  // The lazy image's host is ipv4-only: half the requests.
  lazy: { verdict: 'not-ready', verdictNat64: 'ready', score: 50, scoreWithPublished: 50 },
  redirect: { verdict: 'ready', verdictNat64: 'ready', score: 100, scoreWithPublished: 100 },
};

function runAudit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit/cli.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stderr }));
  });
}

const readSummary = (dir: string): AuditSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as AuditSummary;

/** Per host, the requests the summary's sites counted, summed over sites (hosts may serve several). */
function requestsByHost(sites: readonly SiteRow[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const site of sites) for (const host of site.hosts) totals.set(host.domain, (totals.get(host.domain) ?? 0) + host.requests);
  return totals;
}

describe.each(['chromium', 'firefox'] as const)('npm run audit in %s', (browser) => {
  let server: FixtureServer;
  let sites: LocalSites;
  let doh: LoopbackDohResponder;
  let work: string;
  let browserArgs: string[];

  beforeAll(async () => {
    server = await startFixtureServer();
    sites = await localSites(server, browser);
    doh = await startLoopbackDohResponder((name) => ({ aaaa: sites.published.includes(name) ? ['2001:db8::64'] : [] }));
    work = mkdtempSync(join(tmpdir(), `ipvlens-audit-${browser}-`));
    browserArgs =
      browser === 'chromium'
        ? ['--browser-arg', `--host-resolver-rules=${RESOLVER_RULES}`]
        : ['--browser', 'firefox', '--browser-pref', `network.dns.localDomains=${sites.v4Names.join(',')}`];
  });

  afterAll(async () => {
    await server?.close();
    await doh?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  const common = (): string[] => ['--settle', '300', '--timeout', '20000', '--doh', doh.url, ...browserArgs];
  const allUrls = (): string[] => Object.values(sites.urls);

  it('audits the list: verdicts, scores and per-host counts as served; the unreachable site is a row; exit 1 under --min-score 100', async () => {
    server.resetHits();
    const out = join(work, 'whole');
    const { code, stderr } = await runAudit(['--out', out, '--concurrency', '2', '--min-score', '100', ...common(), ...allUrls()]);
    expect(code, stderr).toBe(1);
    const summary = readSummary(out);
    expect(summary.sites.map((site) => site.url)).toEqual(allUrls().map((url) => new URL(url).href));
    const byName = (name: SiteName): SiteRow => summary.sites.find((site) => site.url === new URL(sites.urls[name]).href) as SiteRow;
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const site = byName(name as SiteName);
      expect({ site: name, error: site.error, verdict: site.verdict, verdictNat64: site.verdictNat64, score: site.score, scoreWithPublished: site.scoreWithPublished }).toEqual({
        site: name,
        error: null,
        ...expected,
      });
    }
    const down = byName('down');
    expect(down.error).toMatch(/REFUSED/i);
    expect(down.verdict).toBeNull();
    expect(byName('redirect').finalUrl).toBe(browser === 'chromium' ? server.url('target.v6.test', '/all6') : server.url('[::1]', '/all6'));
    // Every host's requests, summed over the sites, are what the server served it.
    const counted = requestsByHost(summary.sites);
    for (const host of new Set([...counted.keys(), ...[...server.hostsSeen()].map((seen) => seen.replace(/:\d+$/, ''))])) {
      expect({ host, requests: counted.get(host) ?? 0 }).toEqual({ host, requests: server.hits(host) });
    }
    // The scroll revealed the lazy image, and its host blocks the page.
    expect(server.hits(sites.lazyHost)).toBe(1);
    expect(byName('lazy').hosts.find((host) => host.domain === sites.lazyHost)?.readiness).toBe('ipv4-only');
    // The audit asked the resolver about IPv4-answered hosts only.
    expect(new Set(doh.asked())).toEqual(new Set(sites.v4Names));
    expect(summary.blockers.map((b) => b.domain).sort()).toEqual(['lazy.v4.test', 'tracker.v4.test']);
    // Per site: the tab export (JSON, CSV, Markdown) and the row.
    expect(readdirSync(join(out, 'sites')).filter((file) => file.endsWith('.json') && !file.endsWith('.row.json'))).toHaveLength(5);
    expect(readdirSync(out).sort()).toEqual(['sites', 'summary.csv', 'summary.html', 'summary.json']);
  });

  it('shards 1/2 and 2/2, merged, equal the whole run', async () => {
    const shards = [join(work, 'shard1'), join(work, 'shard2')];
    const runs = await Promise.all(shards.map((out, k) => runAudit(['--out', out, '--shard', `${k + 1}/2`, ...common(), ...allUrls()])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const sizes = shards.map((dir) => readSummary(dir).sites.length);
    expect(sizes[0]! + sizes[1]!).toBe(6);
    const merged = join(work, 'merged');
    const merge = await runAudit(['merge', '--out', merged, ...shards]);
    expect(merge.code, merge.stderr).toBe(0);
    const comparable = (summary: AuditSummary) => ({ sites: summary.sites, blockers: summary.blockers });
    expect(comparable(readSummary(merged))).toEqual(comparable(readSummary(join(work, 'whole'))));
  });

  it('--resume re-audits only what is missing from --out (here without scrolling: the lazy host is never fetched)', async () => {
    const out = join(work, 'whole');
    rmSync(join(out, 'sites', `${entryKey(new URL(sites.urls.lazy).href)}.row.json`));
    server.resetHits();
    const { code, stderr } = await runAudit(['--out', out, '--resume', '--no-scroll', ...common(), ...allUrls()]);
    expect(code, stderr).toBe(0);
    const lazyPage = new URL(sites.urls.lazy).hostname;
    // Only the lazy page was visited again (positive control: its page host was served once)…
    expect(server.hits(lazyPage)).toBe(1);
    expect(server.hitsMatching(() => true)).toBe(1);
    // …and without the scroll its image never loaded (the whole run, scrolling, fetched it).
    expect(server.hits(sites.lazyHost)).toBe(0);
    const summary = readSummary(out);
    expect(summary.sites).toHaveLength(6);
    const lazy = summary.sites.find((site) => site.url === new URL(sites.urls.lazy).href)!;
    expect(lazy.hosts.map((host) => host.domain)).toEqual([lazyPage]);
    expect(lazy.verdict).toBe('ready');
  });
});
