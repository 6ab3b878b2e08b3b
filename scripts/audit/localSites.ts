/**
 * Six small sites on the local fixture server, for the audit's end-to-end test and its speed
 * measurement: all IPv6; an IPv4 third party (and one that publishes AAAA); an IPv4 main host;
 * an IPv4 image below the fold that only a scroll reveals; a redirect; one unreachable.
 * Chromium maps *.v6.test to ::1 and *.v4.test to 127.0.0.1 (--host-resolver-rules); Firefox has
 * no such rules, so there IPv6 hosts are the literal [::1] and IPv4 names go to this machine by
 * network.dns.localDomains, where Firefox connects over IPv4.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FixtureServer } from '../browser/fixtureServer';

export type SiteName = 'all6' | 'thirdParty4' | 'main4' | 'lazy' | 'redirect' | 'down';

export interface LocalSites {
  urls: Record<SiteName, string>;
  /** IPv4 host names (Firefox's network.dns.localDomains). */
  v4Names: string[];
  /** The IPv4 names whose AAAA look-up answers with an address (readiness `published`). */
  published: string[];
  /** The host of the lazy image, fetched only once the page is scrolled to it. */
  lazyHost: string;
}

const V4 = { main: 'main.v4.test', tracker: 'tracker.v4.test', published: 'pub.v4.test', lazy: 'lazy.v4.test' };

function page(body: string): { body: string } {
  return { body: `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>${body}</body></html>` };
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function localSites(server: FixtureServer, browser: 'chromium' | 'firefox'): Promise<LocalSites> {
  const v6 = (name: string): string => (browser === 'chromium' ? `${name}.v6.test` : '[::1]');
  const img = (host: string, path: string): string => `<img src="${server.url(host, path)}" width="10" height="10">`;
  server.route('/all6', () => page(img(v6('cdn'), '/all6.png')));
  server.route('/thirdparty4', () => page(img(V4.tracker, '/t.png') + img(V4.published, '/p.png')));
  server.route('/main4', () => page(img(v6('cdn'), '/main4.png')));
  // Inserted when the sentinel 20 screens down comes into view: no browser loads it early.
  server.route('/lazy', () =>
    page(`<div style="height: 20000px">top</div><div id="sentinel">bottom</div>
      <script>
        new IntersectionObserver((entries, observer) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(img(V4.lazy, '/lazy.png'))});
        }).observe(document.getElementById('sentinel'));
      </script>`),
  );
  server.route('/redirect', () => ({ status: 302, headers: { location: server.url(v6('target'), '/all6') } }));
  const down = await closedPort();
  return {
    urls: {
      all6: server.url(v6('all6'), '/all6'),
      thirdParty4: server.url(v6('tp'), '/thirdparty4'),
      main4: server.url(V4.main, '/main4'),
      lazy: server.url(v6('lazy'), '/lazy'),
      redirect: server.url(v6('redirect'), '/redirect'),
      down: `http://${v6('down')}:${down}/`,
    },
    v4Names: Object.values(V4),
    published: [V4.published],
    lazyHost: V4.lazy,
  };
}
