/**
 * Firefox private windows leave nothing behind (issue #32): with IPvLens allowed in private windows
 * (test/support/privateBrowsing.ts), a private window loads a page over two hosts of its own and a
 * third a normal tab has cached; once it closes, storage.session and storage.local hold nothing of
 * its two hosts, and the normal tab's cache hit on the third never shows the address the private
 * window reached it at. The control runs the same flow with a normal window in the middle: its
 * hosts stay remembered, and the cache hit does show the address it learned.
 *
 * Different addresses for one name: names in network.dns.localDomains resolve to 127.0.0.1 and
 * ::1, and Firefox connects over 127.0.0.1 first; once a scenario's server stops listening there,
 * the middle window reaches the same name over ::1.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollRows } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../support/fixtureServer';
import { inExtension, launchFirefoxWithExtension, openExtensionPage, waitForFirefoxRows, type ExtensionFirefox } from '../support/firefox';
import { FIREFOX_SYSTEM_ACCESS_ARGS, allowInPrivateWindows } from '../support/privateBrowsing';
import { page } from './fixtures';

const KINDS = ['private', 'normal'] as const;
type Kind = (typeof KINDS)[number];
const hostsOf = (kind: Kind) => ({ main: `main.${kind}-window.localtest`, sub: `sub.${kind}-window.localtest`, cached: `cached.${kind}-window.localtest` });

let base: FixtureServer;
let firefox: ExtensionFirefox;
let control: Page;

/** A page that fetches the URLs, then sets its title (fetch goes through the HTTP cache; images may not reach an extension). */
function fetchPage(urls: string[]): { body: string } {
  return page(`<script>
    Promise.all(${JSON.stringify(urls)}.map((u) => fetch(u).then((r) => r.text())))
      .then(() => { document.title = 'fetched'; }, (e) => { document.title = 'failed: ' + e; });
  </script>`);
}

beforeAll(async () => {
  base = await startFixtureServer();
  base.route('/blank', () => page(''));
  firefox = await launchFirefoxWithExtension({ localDomains: KINDS.flatMap((kind) => Object.values(hostsOf(kind))), args: FIREFOX_SYSTEM_ACCESS_ARGS });
  control = await openExtensionPage(firefox, base.url('127.0.0.1', '/blank'), 'src/options/index.html');
});

afterAll(async () => {
  await firefox?.close();
  await base?.close();
});

/** Every storage.session and storage.local entry whose key or value names one of the hosts. */
function storedMentions(hosts: string[]): Promise<string[]> {
  return inExtension(
    control,
    async (names: string[]) => {
      const found: string[] = [];
      for (const [area, entries] of [['session', await browser.storage.session.get(null)], ['local', await browser.storage.local.get(null)]] as const) {
        for (const [key, value] of Object.entries(entries)) {
          const text = `${key} ${JSON.stringify(value)}`;
          if (names.some((name) => text.includes(name))) found.push(`${area} ${key}`);
        }
      }
      return found.sort();
    },
    hosts,
  );
}

async function tabIdOf(url: string): Promise<number> {
  const id = await inExtension(control, async (target: string) => (await browser.tabs.query({})).find((t) => t.url === target)?.id, url);
  if (id === undefined) throw new Error(`no tab found for ${url}`);
  return id;
}

const until = async <T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string): Promise<T> => {
  const [value] = await pollRows(async () => [await read()], ([v]) => ready(v as T), 20_000, 150).catch(() => {
    throw new Error(`timed out waiting for ${what}`);
  });
  return value as T;
};

describe.each([
  { kind: 'private' as const, keptAfterClose: false, cacheHitAddress: '127.0.0.1' },
  { kind: 'normal' as const, keptAfterClose: true, cacheHitAddress: '::1' },
])('a $kind window between a normal tab and its cache hit', ({ kind, keptAfterClose, cacheHitAddress }) => {
  let server: FixtureServer;
  const hosts = hostsOf(kind);
  const cachedUrl = (): string => `${server.url(hosts.cached, '/r.txt')}?cache=1`;

  beforeAll(async () => {
    server = await startFixtureServer();
    server.route('/first', () => fetchPage([cachedUrl()]));
    // Other URLs than the normal tab's: the middle window goes to the network, whatever its cache.
    server.route('/middle', () => fetchPage([server.url(hosts.sub, '/r.txt?n=middle'), server.url(hosts.cached, '/r.txt?n=middle')]));
  });

  afterAll(async () => {
    await server?.close();
  });

  it(kind === 'private' ? 'leaves nothing of its hosts in storage, and lends its address to no normal tab' : 'is remembered, and lends its address to the normal tab’s cache hit (control)', async () => {
    if (kind === 'private') expect(await allowInPrivateWindows(firefox)).toBe(true);

    // A normal tab fetches the cacheable resource over 127.0.0.1; its address is remembered.
    const first = await firefox.browser.newPage();
    await first.goto(server.url('[::1]', '/first'), { waitUntil: 'load' });
    await first.waitForFunction(() => document.title === 'fetched');
    expect(server.served().filter((s) => s.url.includes(hosts.cached)).map((s) => s.address)).toEqual(['127.0.0.1']);
    await until(() => storedMentions([hosts.cached]), (found) => found.includes(`session a:${hosts.cached}`), 'the remembered address');
    await first.close();

    // The middle window reaches the same name over ::1, and a page host and another of its own.
    await server.stopListening('127.0.0.1');
    const opened = await inExtension(
      control,
      async ({ url, incognito }: { url: string; incognito: boolean }) => {
        const window = await browser.windows.create({ url, incognito });
        return { windowId: window?.id, tabId: window?.tabs?.[0]?.id, incognito: window?.incognito };
      },
      { url: server.url(hosts.main, '/middle'), incognito: kind === 'private' },
    );
    expect(opened.incognito).toBe(kind === 'private');
    // Recorded while open (the extension does see the window), in session storage only.
    const whileOpen = await until(
      () => storedMentions([hosts.main, hosts.sub, hosts.cached]),
      (found) => [hosts.main, hosts.sub, hosts.cached].every((host) => found.some((key) => key.startsWith(`session d:${opened.tabId}:`) && key.endsWith(`:${host}`))),
      'the middle window’s rows',
    );
    expect(whileOpen.filter((key) => key.startsWith('local'))).toEqual([]);
    expect(server.served().filter((s) => s.url.includes(hosts.cached) && s.url.includes('middle')).map((s) => s.address)).toEqual(['::1']);

    await inExtension(control, (windowId: number) => browser.windows.remove(windowId), opened.windowId!);
    await until(() => storedMentions([hosts.main, hosts.sub]), (found) => !found.some((key) => key.includes(`:${opened.tabId}:`) || key === `session t:${opened.tabId}`), 'the closed tab’s keys to go');
    const afterClose = await storedMentions([hosts.main, hosts.sub]);
    expect(afterClose).toEqual(keptAfterClose ? [`session a:${hosts.main}`, `session a:${hosts.sub}`] : []);

    // A normal tab's cache hit: Firefox reports no address, IPvLens lends the remembered one.
    const hitsBefore = server.hits(hosts.cached);
    const last = await firefox.browser.newPage();
    await last.goto(server.url('[::1]', '/first'), { waitUntil: 'load' });
    await last.waitForFunction(() => document.title === 'fetched');
    expect(server.hits(hosts.cached)).toBe(hitsBefore);
    const popup = await openExtensionPage(firefox, base.url('127.0.0.1', '/blank'), `src/popup/index.html?tabId=${await tabIdOf(server.url('[::1]', '/first'))}`);
    const rows = await waitForFirefoxRows(popup, (r) => r.some((row) => row.domain === hosts.cached && row.address !== ''));
    expect(rows.find((row) => row.domain === hosts.cached)?.address).toBe(cacheHitAddress);
    expect(await popup.evaluate((host: string) => document.querySelector(`[data-domain="${host}"]`)?.getAttribute('data-remembered'), hosts.cached)).toBe('true');
    await popup.close();
    await last.close();
  });
});
