/**
 * A local DNS-over-HTTPS responder (RFC 8484, GET) for end-to-end tests: HTTPS on 127.0.0.1 with a
 * certificate made for this run (openssl), answering each AAAA question as the test says and
 * recording every name it is asked. Chromium trusts the certificate through
 * `--ignore-certificate-errors-spki-list` (this certificate's key alone, in a test profile), so the
 * extension's request is a normal HTTPS request to a resolver. The audit (Node, which would refuse
 * the certificate) asks the same responder over plain HTTP on loopback, which its --doh accepts.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsAnswer, questionOf } from './dnsAnswer';

/** What the responder does with a question: answer (with these IPv6 addresses, maybe none), fail with an HTTP status, or never answer. */
export type DohBehaviour = { aaaa: string[] } | { status: number } | 'hang';

export interface LoopbackDohResponder {
  /** The resolver URL to put in the options (or give to the audit's --doh). */
  url: string;
  /** Every name asked, in order. */
  asked(): string[];
  close(): Promise<void>;
}

export interface DohResponder extends LoopbackDohResponder {
  /** The Chromium flag that trusts this responder's certificate (and nothing else). */
  chromiumFlag: string;
}

/** 16 bytes of an IPv6 address written in full or with "::". */
function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail = ''] = text.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const before = groups(head);
  const after = groups(tail);
  const all = text.includes('::') ? [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after] : before;
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'ipvlens-doh-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Answers RFC 8484 GETs on /dns-query as `behaviour` says; anything else is a 400. */
function dohHandler(behaviour: (name: string) => DohBehaviour, asked: string[]): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'https://responder');
    const query = Uint8Array.from(Buffer.from(url.searchParams.get('dns') ?? '', 'base64url'));
    const question = url.pathname === '/dns-query' ? questionOf(query) : undefined;
    if (question === undefined) {
      response.writeHead(400).end();
      return;
    }
    asked.push(question.name);
    const action = behaviour(question.name);
    if (action === 'hang') return;
    if ('status' in action) {
      response.writeHead(action.status, { 'content-type': 'text/plain' }).end('no');
      return;
    }
    const body = dnsAnswer(query, action.aaaa.map(ipv6Bytes));
    response.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': String(body.length), 'cache-control': 'no-store' }).end(body);
  };
}

/** Listens on 127.0.0.1 (a free port); the URL of its /dns-query and how to close it. */
async function listen(server: Server, scheme: 'http' | 'https', asked: string[]): Promise<LoopbackDohResponder> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}/dns-query`,
    asked: () => [...asked],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startDohResponder(behaviour: (name: string) => DohBehaviour): Promise<DohResponder> {
  const { key, cert } = selfSignedCertificate();
  const spki = createHash('sha256')
    .update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const asked: string[] = [];
  const responder = await listen(createServer({ key, cert }, dohHandler(behaviour, asked)), 'https', asked);
  return { ...responder, chromiumFlag: `--ignore-certificate-errors-spki-list=${spki}` };
}

/** The same responder over plain HTTP on loopback, for the audit (Node does not trust the test certificate). */
export function startLoopbackDohResponder(behaviour: (name: string) => DohBehaviour): Promise<LoopbackDohResponder> {
  const asked: string[] = [];
  return listen(createHttpServer(dohHandler(behaviour, asked)), 'http', asked);
}
