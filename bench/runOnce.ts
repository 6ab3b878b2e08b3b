/**
 * One run of `npm run bench`: a fresh headless Chromium with one extension (the floor, IPvLens or
 * IPvFoo), the fixed workload, the extension process's CPU and RSS, then (for the extensions with
 * a popup) the popup-opening measure on the 300-domain tab and on a 2,000-domain tab.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { launchWithExtension, readRows, type ExtensionBrowser } from '../scripts/browser/chromium';
import type { FixtureServer } from '../scripts/browser/fixtureServer';
import type { BenchExtension, Kind, PopupPage } from './extensions';
import { BrokenRun, browserCpuMs, extensionCpuMs, findProcesses, readRssKiB, waitForQuietExtension, type ChromiumProcesses } from './harness';
import { BIG_DOMAINS, DOMAINS, loadManyDomains, manyDomainsPath, manyHost } from './workloads/pageLoad';
import { measurePopup, type PopupMeasure } from './workloads/popupOpen';
import { runStream } from './workloads/streamSegments';

export interface Workload {
  loads: number;
  segments: number;
  /** Quiet time after the workload, so batched work (IPvLens flushes every 250 ms) is counted. */
  settleMs: number;
  /** Warm popup opens per tab. */
  popupOpens: number;
}

export interface RunResult {
  round: number;
  kind: Kind;
  extensionPid: number;
  cpuMs: { loads: number; stream: number; settle: number; total: number };
  browserProcessCpuMs: number;
  rssMiB: number;
  workloadWallMs: number;
  streamMs: number;
  popup?: { tab: PopupMeasure; bigTab: PopupMeasure };
}

/** IPvLens must list every image host of the tab, over the family its name maps to. */
async function checkIpvlensRows(page: Page, domains: number): Promise<void> {
  const family = new Map((await readRows(page)).map((row) => [row.domain, row.family]));
  const wrong: string[] = [];
  for (let i = 1; i <= domains; i++) {
    const host = manyHost(i);
    const expected = host.endsWith('.v6.test') ? '6' : '4';
    if (family.get(host) !== expected) wrong.push(`${host}=${family.get(host) ?? 'missing'}`);
  }
  if (wrong.length > 0) throw new BrokenRun(`popup rows wrong for ${wrong.length} of ${domains} hosts, e.g. ${wrong.slice(0, 5).join(', ')}`);
}

/**
 * Each popup is opened on a quiet extension: an extension still working through the workload's
 * events (IPvFoo takes seconds after the stream) would otherwise be timed on its backlog.
 */
async function measurePopups(browser: ExtensionBrowser, processes: ChromiumProcesses, extension: BenchExtension, popup: PopupPage, server: FixtureServer, tab: Page, opens: number) {
  const check = (domains: number) => async (page: Page) => {
    if (extension.kind !== 'ipvfoo') await checkIpvlensRows(page, domains);
  };
  await waitForQuietExtension(processes);
  const measured = await measurePopup(browser, popup, tab, DOMAINS, check(DOMAINS), opens);
  const big = await browser.context.newPage();
  await loadManyDomains(big, server.url('page.v4.test', manyDomainsPath(BIG_DOMAINS)), BIG_DOMAINS);
  await waitForQuietExtension(processes);
  const bigMeasured = await measurePopup(browser, popup, big, BIG_DOMAINS, check(BIG_DOMAINS), opens);
  return { tab: measured, bigTab: bigMeasured };
}

export async function runOnce(server: FixtureServer, extension: BenchExtension, round: number, workload: Workload): Promise<RunResult> {
  server.resetHits();
  // Every kind gets the DevTools port, so that they differ in nothing else.
  const browser = await launchWithExtension({ extensionDir: extension.dir, extraArgs: ['--remote-debugging-port=0'] });
  try {
    const tab = await browser.context.newPage();
    const live = await browser.context.newPage();
    // The worker is awake: the launcher has just seen it start. Wake it anyway, cheaply, in case.
    await browser.worker.evaluate(() => 0);
    const processes = findProcesses(browser.userDataDir);

    const cpu0 = extensionCpuMs(processes);
    const browserCpu0 = browserCpuMs(processes);
    const started = performance.now();
    for (let i = 0; i < workload.loads; i++) await loadManyDomains(tab, server.url('page.v4.test', manyDomainsPath(DOMAINS)));
    const cpu1 = extensionCpuMs(processes);
    const streamMs = await runStream(live, server.url('live.v4.test', '/live'), workload.segments);
    const cpu2 = extensionCpuMs(processes);
    const workloadWallMs = performance.now() - started;
    await sleep(workload.settleMs);
    const cpu3 = extensionCpuMs(processes);
    const browserCpu3 = browserCpuMs(processes);
    const rssKiB = readRssKiB(processes.extensionPid);
    if (rssKiB === undefined) throw new BrokenRun('could not read the extension process RSS');

    const imageHits = server.hitsMatching((host) => /^d\d+\.v[46]\.test$/.test(host));
    const segmentHits = server.hits('seg.v4.test') + server.hits('seg.v6.test');
    if (imageHits !== DOMAINS * workload.loads) throw new BrokenRun(`server saw ${imageHits} image requests, expected ${DOMAINS * workload.loads}`);
    if (segmentHits !== workload.segments) throw new BrokenRun(`server saw ${segmentHits} segment requests, expected ${workload.segments}`);

    const result: RunResult = {
      round,
      kind: extension.kind,
      extensionPid: processes.extensionPid,
      cpuMs: { loads: cpu1 - cpu0, stream: cpu2 - cpu1, settle: cpu3 - cpu2, total: cpu3 - cpu0 },
      browserProcessCpuMs: browserCpu3 - browserCpu0,
      rssMiB: rssKiB / 1024,
      workloadWallMs,
      streamMs,
    };
    // After the samples, so the popup's own cost (it lives in the same process) is not counted.
    if (extension.popup !== undefined) result.popup = await measurePopups(browser, processes, extension, extension.popup, server, tab, workload.popupOpens);
    return result;
  } finally {
    await browser.close();
  }
}
