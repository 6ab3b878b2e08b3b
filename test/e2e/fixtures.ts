/** Pages the end-to-end tests load. Each test uses its own host names so tests cannot mix. */
import type { FixtureServer } from '../support/fixtureServer';

export function img(server: FixtureServer, host: string, path = '/i.png'): string {
  return `<img src="${server.url(host, path)}">`;
}

export function page(body: string): { body: string } {
  return { body: `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>${body}</body></html>` };
}

/**
 * A page that fetches `count` segments from each host, `parallel` at a time, then sets
 * document.title to "done". The URL differs per segment so nothing is served from cache.
 */
export function streamPage(server: FixtureServer, hosts: Record<string, number>, parallel = 4): { body: string } {
  const plan = JSON.stringify(Object.entries(hosts).map(([host, count]) => [server.url(host, '/seg'), count]));
  return page(`<script>
    const plan = ${plan};
    async function run() {
      for (const [base, count] of plan) {
        let next = 0;
        const worker = async () => { while (next < count) { const n = next++; await (await fetch(base + '?n=' + n)).text(); } };
        await Promise.all(Array.from({ length: ${parallel} }, worker));
      }
      document.title = 'done';
    }
    run().catch((e) => { document.title = 'failed: ' + e; });
  </script>`);
}
