/**
 * A one-page server on 127.0.0.1 (which no host-resolver rule or local-domain list touches) for
 * the launchers' readiness probes: each attempt loads a fresh URL of it, never cached.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProbeServer {
  /** `http://127.0.0.1:<port>/ipvlens-ready?attempt=<n>` */
  url(attempt: number): string;
  close(): Promise<void>;
}

export async function startProbeServer(): Promise<ProbeServer> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
    response.end('<!doctype html><title>ready?</title>');
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (attempt) => `http://127.0.0.1:${port}/ipvlens-ready?attempt=${attempt}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}
