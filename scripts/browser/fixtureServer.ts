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
  /** Body bytes declared in Content-Length per host name, and responses sent without one. */
  declaredBytes(host: string): number;
  undeclared(host: string): number;
  resetHits(): void;
  /** Every Host header value seen, for "no unexpected request" checks. */
  hostsSeen(): Set<string>;
  /** Every response sent, in order (since start or the last reset): its URL, status and the address it was served on. */
  served(): ServedRequest[];
  /** Stops listening on one address and drops its connections (a server going away). */
  stopListening(address: string): Promise<void>;
  close(): Promise<void>;
}

export interface ServedRequest {
  url: string;
  status: number;
  /** The server's own address the request came in on ("127.0.0.1", "::1"). */
  address: string;
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

/** Per host: declared body bytes and responses without a declared size. */
interface SizeTally {
  bytes: Map<string, number>;
  undeclared: Map<string, number>;
}

function tallySize(tally: SizeTally, host: string, headers: Record<string, string>): void {
  const length = headers['content-length'];
  if (length === undefined) tally.undeclared.set(host, (tally.undeclared.get(host) ?? 0) + 1);
  else tally.bytes.set(host, (tally.bytes.get(host) ?? 0) + Number(length));
}

/**
 * The default asset: tiny bodies with CORS; `?cache=1` makes it cacheable, `?delay=ms` slow,
 * `?chunked=1` sent without Content-Length (chunked), `?size=N` N bytes long.
 */
function serveAsset(url: URL, response: ServerResponse, tally: SizeTally, host: string): void {
  const cacheable = url.searchParams.get('cache') === '1';
  const chunked = url.searchParams.get('chunked') === '1';
  const size = Number(url.searchParams.get('size') ?? '0');
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
      const pngHeaders = { ...headers, 'content-type': 'image/png', 'content-length': String(body.length) };
      tallySize(tally, host, pngHeaders);
      response.writeHead(200, pngHeaders);
      response.end(body);
      return;
    }
    const type = kind === 'js' ? 'text/javascript' : kind === 'css' ? 'text/css' : 'text/plain';
    const text = kind === 'js' ? '/* fixture */' : kind === 'css' ? '/* fixture */' : `segment ${url.pathname}\n`;
    const body = size > 0 ? text.padEnd(size, '.').slice(0, size) : text;
    const bodyHeaders: Record<string, string> = { ...headers, 'content-type': type };
    if (!chunked) bodyHeaders['content-length'] = String(Buffer.byteLength(body));
    tallySize(tally, host, bodyHeaders);
    response.writeHead(200, bodyHeaders);
    // Written in two parts so that, without Content-Length, Node really sends it chunked.
    response.write(body.slice(0, 1));
    response.end(body.slice(1));
  };
  if (delay > 0) setTimeout(send, delay);
  else send();
}

export async function startFixtureServer(options: { extraAddresses?: string[] } = {}): Promise<FixtureServer> {
  const routes = new Map<string, PageHandler>();
  const hitCounts = new Map<string, number>();
  const sizes: SizeTally = { bytes: new Map(), undeclared: new Map() };
  const seen = new Set<string>();
  const servedLog: ServedRequest[] = [];

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const hostHeader = request.headers.host ?? 'unknown';
    seen.add(hostHeader);
    const localAddress = (request.socket.localAddress ?? '').replace(/^::ffff:/, '');
    response.on('finish', () => servedLog.push({ url: `http://${hostHeader}${request.url ?? '/'}`, status: response.statusCode, address: localAddress }));
    const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
    hitCounts.set(host, (hitCounts.get(host) ?? 0) + 1);
    const url = new URL(request.url ?? '/', `http://${hostHeader}`);
    const handler = routes.get(url.pathname);
    if (handler === undefined) {
      serveAsset(url, response, sizes, host);
      return;
    }
    const result = handler(url, request);
    if ('status' in result) {
      const headers = { ...CORS, 'content-length': '0', ...result.headers };
      tallySize(sizes, host, headers);
      response.writeHead(result.status, headers);
      response.end();
      return;
    }
    const headers = {
      ...CORS,
      'content-type': result.type ?? 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(result.body)),
      ...result.headers,
    };
    tallySize(sizes, host, headers);
    response.writeHead(200, headers);
    response.end(result.body);
  };

  const servers: Server[] = [];
  const byAddress = new Map<string, Server>();
  const first = createServer(handle);
  servers.push(first);
  byAddress.set('127.0.0.1', first);
  const port = await listen(first, '127.0.0.1', 0);
  for (const address of ['::1', ...(options.extraAddresses ?? [])]) {
    const server = createServer(handle);
    servers.push(server);
    byAddress.set(address, server);
    await listen(server, address, port);
  }
  for (const server of servers) server.keepAliveTimeout = 1000;
  const closeServer = (server: Server): Promise<void> =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    port,
    url: (host, path = '/') => `http://${host}:${port}${path}`,
    route: (path, handler) => routes.set(path, handler),
    hits: (host) => hitCounts.get(host) ?? 0,
    hitsMatching: (predicate) => [...hitCounts].reduce((sum, [host, n]) => (predicate(host) ? sum + n : sum), 0),
    declaredBytes: (host) => sizes.bytes.get(host) ?? 0,
    undeclared: (host) => sizes.undeclared.get(host) ?? 0,
    resetHits: () => {
      hitCounts.clear();
      servedLog.length = 0;
      sizes.bytes.clear();
      sizes.undeclared.clear();
    },
    hostsSeen: () => new Set(seen),
    served: () => [...servedLog],
    stopListening: async (address) => {
      const server = byAddress.get(address);
      if (server === undefined) throw new Error(`not listening on ${address}`);
      byAddress.delete(address);
      servers.splice(servers.indexOf(server), 1);
      await closeServer(server);
    },
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}
