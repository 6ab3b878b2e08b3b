/**
 * A small SOCKS5 proxy for the tests (RFC 1928, no authentication, CONNECT only), on loopback. A
 * host name in the request is resolved by the proxy itself (as `fixtureAddressOf` maps the fixture
 * names), so the browser, with proxy-side DNS on, never resolves it. Every request is logged.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { fixtureAddressOf } from './forwardProxy';

export interface SocksRequest {
  /** The host as the browser sent it: a name (proxy-side DNS) or an address. */
  host: string;
  port: number;
  /** The browser sent a name, not an address: it did no DNS of its own for it. */
  byName: boolean;
}

export interface SocksProxy {
  port: number;
  requests(): SocksRequest[];
  close(): Promise<void>;
}

const VERSION = 5;
const NO_AUTH = 0;
const CONNECT = 1;
const ATYP_IPV4 = 1;
const ATYP_NAME = 3;
const ATYP_IPV6 = 4;
const REPLY_OK = 0;
const REPLY_FAILURE = 1;
const REPLY_UNSUPPORTED = 7;

/** The reply: a status and a zero IPv4 bound address (the browser does not use it). */
const reply = (status: number): Buffer => Buffer.from([VERSION, status, 0, ATYP_IPV4, 0, 0, 0, 0, 0, 0]);

function ipv6Text(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** Reads the request once enough bytes are in; undefined while more are needed. */
function parseRequest(data: Buffer): { request?: SocksRequest; error?: number; length: number } | undefined {
  if (data.length < 5) return undefined;
  if (data[0] !== VERSION) return { error: REPLY_FAILURE, length: data.length };
  if (data[1] !== CONNECT) return { error: REPLY_UNSUPPORTED, length: data.length };
  const type = data[3];
  let host: string;
  let offset: number;
  if (type === ATYP_IPV4) {
    if (data.length < 10) return undefined;
    host = [...data.subarray(4, 8)].join('.');
    offset = 8;
  } else if (type === ATYP_NAME) {
    const length = data[4] ?? 0;
    if (data.length < 5 + length + 2) return undefined;
    host = data.subarray(5, 5 + length).toString('latin1');
    offset = 5 + length;
  } else if (type === ATYP_IPV6) {
    if (data.length < 22) return undefined;
    host = ipv6Text(data.subarray(4, 20));
    offset = 20;
  } else {
    return { error: REPLY_UNSUPPORTED, length: data.length };
  }
  return { request: { host, port: data.readUInt16BE(offset), byName: type === ATYP_NAME }, length: offset + 2 };
}

export async function startSocksProxy(resolve: (host: string) => string = fixtureAddressOf): Promise<SocksProxy> {
  const log: SocksRequest[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server: Server = createServer((client) => {
    track(client);
    let buffered = Buffer.alloc(0);
    let stage: 'greeting' | 'request' | 'piping' = 'greeting';
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      if (stage === 'greeting') {
        if (buffered.length < 2 || buffered.length < 2 + (buffered[1] ?? 0)) return;
        const methods = buffered.subarray(2, 2 + (buffered[1] ?? 0));
        buffered = buffered.subarray(2 + (buffered[1] ?? 0));
        if (!methods.includes(NO_AUTH)) {
          client.end(Buffer.from([VERSION, 0xff]));
          return;
        }
        client.write(Buffer.from([VERSION, NO_AUTH]));
        stage = 'request';
      }
      if (stage !== 'request') return;
      const parsed = parseRequest(buffered);
      if (parsed === undefined) return;
      if (parsed.request === undefined) {
        client.end(reply(parsed.error ?? REPLY_FAILURE));
        return;
      }
      const request = parsed.request;
      log.push(request);
      const rest = buffered.subarray(parsed.length);
      stage = 'piping';
      client.off('data', onData);
      client.pause();
      const upstream = connect({ host: request.byName ? resolve(request.host) : request.host, port: request.port }, () => {
        client.write(reply(REPLY_OK));
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      track(upstream);
      upstream.on('error', () => client.end(reply(REPLY_FAILURE)));
    };
    client.on('data', onData);
  });

  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port: 0 }, done));
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => [...log],
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
