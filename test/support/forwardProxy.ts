/**
 * A small HTTP forward proxy for the proxy tests: absolute-URI requests (`GET http://host/…`) and
 * CONNECT tunnels, each forwarded to the address `resolve` gives for the host (the fixture hosts
 * are names no DNS knows, so the proxy maps them as the browsers' resolver rules do). Everything
 * it forwarded is logged, so a test can check the browser really went through it.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ForwardedRequest {
  method: string;
  /** The absolute URL asked for, or `host:port` for CONNECT. */
  target: string;
  /** The host name asked for, without port or brackets. */
  host: string;
  /** The status the origin answered (absent for CONNECT, or when it could not be reached). */
  status?: number;
}

export interface ForwardProxy {
  port: number;
  /** `127.0.0.1:<port>`, as browsers report the proxy. */
  endpoint: string;
  forwarded(): ForwardedRequest[];
  close(): Promise<void>;
}

/** Fixture names as the tests' resolver rules map them: *.v6.test over ::1, anything else over 127.0.0.1. */
export function fixtureAddressOf(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare.includes(':')) return bare;
  return bare === 'v6.test' || bare.endsWith('.v6.test') ? '::1' : bare === 'localhost' ? '127.0.0.1' : /^[0-9.]+$/.test(bare) ? bare : '127.0.0.1';
}

// Hop-by-hop headers (RFC 9110 7.6.1) and the proxy's own: not passed on.
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function forwardedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

export async function startForwardProxy(resolve: (host: string) => string = fixtureAddressOf): Promise<ForwardProxy> {
  const log: ForwardedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming, outgoing) => {
    let url: URL;
    try {
      url = new URL(incoming.url ?? '');
    } catch {
      outgoing.writeHead(400).end('absolute URI expected');
      return;
    }
    const entry: ForwardedRequest = { method: incoming.method ?? 'GET', target: url.href, host: url.hostname.replace(/^\[|\]$/g, '') };
    log.push(entry);
    const upstream = httpRequest(
      { host: resolve(url.hostname), port: url.port === '' ? 80 : Number(url.port), method: incoming.method, path: `${url.pathname}${url.search}`, headers: forwardedHeaders(incoming.headers) },
      (answer) => {
        entry.status = answer.statusCode;
        outgoing.writeHead(answer.statusCode ?? 502, forwardedHeaders(answer.headers));
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  server.on('connect', (incoming, client: Socket, head: Buffer) => {
    const target = incoming.url ?? '';
    const at = target.lastIndexOf(':');
    const host = target.slice(0, at).replace(/^\[|\]$/g, '');
    log.push({ method: 'CONNECT', target, host });
    const upstream = connect(Number(target.slice(at + 1)), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen({ host: '127.0.0.1', port: 0 }, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    forwarded: () => [...log],
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
