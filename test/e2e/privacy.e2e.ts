/**
 * The extension sends nothing anywhere: Chromium's own network log, which records every URL
 * request the browser makes (extension ones included), holds only the fixture hosts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { currentWorker, launchWithExtension, openPopup, tabIdOf, waitForRows, rowOf } from '../support/chromium';
import { img, page } from './fixtures';

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/private', () => page(img(server, 'p.v4.test') + img(server, 'p.v6.test')));
});
afterAll(async () => server?.close());

interface StartJob {
  url: string;
  initiator: string;
}

/** Every URL request the browser started, with the origin that started it. */
function startedJobs(netLog: string): StartJob[] {
  const log = JSON.parse(netLog) as {
    constants: { logEventTypes: Record<string, number> };
    events: Array<{ type: number; params?: { url?: string; initiator?: string } }>;
  };
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  return log.events.flatMap((event) =>
    event.type === startJob && typeof event.params?.url === 'string'
      ? [{ url: event.params.url, initiator: event.params.initiator ?? '' }]
      : [],
  );
}

it('makes no network request of its own', async () => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'ipvlens-netlog-')), 'netlog.json');
  let extensionOrigin = '';
  const browser = await launchWithExtension({ extraArgs: [`--log-net-log=${logFile}`] });
  try {
    const tab = await browser.context.newPage();
    await tab.goto(server.url('privacy.v6.test', '/private'));
    const tabId = await tabIdOf(browser, tab);
    const popup = await openPopup(browser, tabId);
    await waitForRows(popup, (r) => rowOf(r, 'p.v4.test')?.family === '4' && rowOf(r, 'p.v6.test')?.family === '6');
    // A positive control: a request the extension's own worker makes must show up as such.
    const worker = await currentWorker(browser);
    await worker.evaluate(async (url: string) => (await fetch(url)).text(), server.url('control.v4.test', '/control.txt'));
    extensionOrigin = `chrome-extension://${browser.extensionId}`;
    // Let any deferred work of the extension happen while the log is still recording.
    await new Promise((r) => setTimeout(r, 2000));
  } finally {
    await browser.close();
  }
  const jobs = startedJobs(readFileSync(logFile, 'utf8'));
  const fromPage = jobs.filter((job) => job.initiator.startsWith('http://privacy.v6.test'));
  expect(fromPage.map((job) => new URL(job.url).hostname).sort()).toEqual(['p.v4.test', 'p.v6.test']);
  const fromExtension = jobs.filter((job) => job.initiator === extensionOrigin).map((job) => job.url);
  // Only the control request: nothing the extension did on its own.
  expect(fromExtension).toEqual([server.url('control.v4.test', '/control.txt')]);
});
