/**
 * A local DNS-over-HTTPS responder (RFC 8484, GET) for end-to-end tests: HTTPS on 127.0.0.1 with a
 * certificate made for this run (openssl), answering each AAAA question as the test says and
 * recording every name it is asked. Chromium trusts the certificate through
 * `--ignore-certificate-errors-spki-list` (this certificate's key alone, in a test profile), so the
 * extension's request is a normal HTTPS request to a resolver.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsAnswer, questionOf } from './dnsAnswer';

/** What the responder does with a question: answer (with these IPv6 addresses, maybe none), fail with an HTTP status, or never answer. */
export type DohBehaviour = { aaaa: string[] } | { status: number } | 'hang';

export interface DohResponder {
  /** The resolver URL to put in the options. */
  url: string;
  /** The Chromium flag that trusts this responder's certificate (and nothing else). */
  chromiumFlag: string;
  /** Every name asked, in order. */
  asked(): string[];
  close(): Promise<void>;
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

export async function startDohResponder(behaviour: (name: string) => DohBehaviour): Promise<DohResponder> {
  const { key, cert } = selfSignedCertificate();
  const spki = createHash('sha256')
    .update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
  const asked: string[] = [];
  const server = createServer({ key, cert }, (request, response) => {
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/dns-query`,
    chromiumFlag: `--ignore-certificate-errors-spki-list=${spki}`,
    asked: () => [...asked],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
