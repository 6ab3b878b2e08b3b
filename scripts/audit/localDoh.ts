/**
 * A DNS-over-HTTPS JSON responder on this machine, for the audit's test and speed measurement
 * (--doh http://127.0.0.1:PORT/dns-query): AAAA records for the names it is given, none for the
 * rest; every question is kept, so a test can see which hosts were asked about.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalDoh {
  url: string;
  questions(): string[];
  close(): Promise<void>;
}

export async function startLocalDoh(withAaaa: readonly string[]): Promise<LocalDoh> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const name = url.searchParams.get('name') ?? '';
    asked.push(name);
    const answer = withAaaa.includes(name) ? [{ name: `${name}.`, type: 28, TTL: 60, data: '2001:db8::64' }] : undefined;
    response.writeHead(200, { 'content-type': 'application/dns-json' });
    response.end(JSON.stringify({ Status: 0, Question: [{ name: `${name}.`, type: 28 }], ...(answer === undefined ? {} : { Answer: answer }) }));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dns-query`,
    questions: () => [...asked],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
