/**
 * A local HTTP server for end-to-end tests, the demo and the benchmark. It listens on 127.0.0.1
 * and [::1] on one port (plus any extra loopback addresses asked for), so host names mapped by
 * Chromium's --host-resolver-rules reach it over the family the test chooses. Every request is
 * counted by host name, so tests compare what the extension shows with what was really served.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PageHandler = (url: URL, request: IncomingMessage) => { body: string; type?: string; headers?: Record<string, string> } | { status: number; headers: Record<string, string> };

export interface FixtureServer {
  port: number;
  /** `http://<host>:<port><path>` */
  url(host: string, path?: string): string;
  /** Registers a page (or any response) at a path, for every host. */
  route(path: string, handler: PageHandler): void;
  /** Requests served per host name (without port), since start or the last reset. */
  hits(host: string): number;
  hitsMatching(predicate: (host: string) => boolean): number;
  resetHits(): void;
  /** Every Host header value seen, for "no unexpected request" checks. */
  hostsSeen(): Set<string>;
  close(): Promise<void>;
}

const CORS = { 'access-control-allow-origin': '*' };

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: host.includes(':') }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The default asset: tiny bodies with CORS; `?cache=1` makes it cacheable, `?delay=ms` slow. */
function serveAsset(url: URL, response: ServerResponse): void {
  const cacheable = url.searchParams.get('cache') === '1';
  const delay = Number(url.searchParams.get('delay') ?? '0');
  const kind = url.pathname.endsWith('.js') ? 'js' : url.pathname.endsWith('.css') ? 'css' : url.pathname.endsWith('.png') ? 'png' : 'txt';
  const send = (): void => {
    const headers: Record<string, string> = {
      ...CORS,
      'cache-control': cacheable ? 'public, max-age=3600' : 'no-store',
    };
    if (kind === 'png') {
      // 1×1 transparent PNG.
      const body = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
      response.writeHead(200, { ...headers, 'content-type': 'image/png', 'content-length': String(body.length) });
      response.end(body);
      return;
    }
    const type = kind === 'js' ? 'text/javascript' : kind === 'css' ? 'text/css' : 'text/plain';
    const body = kind === 'js' ? '/* fixture */' : kind === 'css' ? '/* fixture */' : `segment ${url.pathname}\n`;
    response.writeHead(200, { ...headers, 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
    response.end(body);
  };
  if (delay > 0) setTimeout(send, delay);
  else send();
}

export async function startFixtureServer(options: { extraAddresses?: string[] } = {}): Promise<FixtureServer> {
  const routes = new Map<string, PageHandler>();
  const hitCounts = new Map<string, number>();
  const seen = new Set<string>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const hostHeader = request.headers.host ?? 'unknown';
    seen.add(hostHeader);
    const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
    hitCounts.set(host, (hitCounts.get(host) ?? 0) + 1);
    const url = new URL(request.url ?? '/', `http://${hostHeader}`);
    const handler = routes.get(url.pathname);
    if (handler === undefined) {
      serveAsset(url, response);
      return;
    }
    const result = handler(url, request);
    if ('status' in result) {
      response.writeHead(result.status, { ...CORS, ...result.headers });
      response.end();
      return;
    }
    response.writeHead(200, {
      ...CORS,
      'content-type': result.type ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...result.headers,
    });
    response.end(result.body);
  };

  const servers: Server[] = [];
  const first = createServer(handle);
  servers.push(first);
  const port = await listen(first, '127.0.0.1', 0);
  for (const address of ['::1', ...(options.extraAddresses ?? [])]) {
    const server = createServer(handle);
    servers.push(server);
    await listen(server, address, port);
  }
  for (const server of servers) server.keepAliveTimeout = 1000;

  return {
    port,
    url: (host, path = '/') => `http://${host}:${port}${path}`,
    route: (path, handler) => routes.set(path, handler),
    hits: (host) => hitCounts.get(host) ?? 0,
    hitsMatching: (predicate) => [...hitCounts].reduce((sum, [host, n]) => (predicate(host) ? sum + n : sum), 0),
    resetHits: () => hitCounts.clear(),
    hostsSeen: () => new Set(seen),
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
