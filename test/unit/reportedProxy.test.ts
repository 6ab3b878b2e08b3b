import { describe, expect, it } from 'vitest';
import { proxyEndpoint, reportedProxyOf, type ReportedProxy } from '../../src/core/proxy/reportedProxy';

describe('reportedProxyOf: what Firefox says of the proxy a request went through', () => {
  const cases: { name: string; proxyInfo: unknown; expected: ReportedProxy | undefined }[] = [
    { name: 'HTTP proxy', proxyInfo: { type: 'http', host: '127.0.0.1', port: 3128, proxyDNS: false, failoverTimeout: 10 }, expected: { type: 'http', host: '127.0.0.1', port: 3128, proxyDns: false } },
    { name: 'HTTPS proxy', proxyInfo: { type: 'https', host: 'proxy.example', port: 443, proxyDNS: false }, expected: { type: 'https', host: 'proxy.example', port: 443, proxyDns: false } },
    { name: 'SOCKS v5, local DNS', proxyInfo: { type: 'socks', host: '::1', port: 1080, proxyDNS: false }, expected: { type: 'socks', host: '::1', port: 1080, proxyDns: false } },
    { name: 'SOCKS v5 with proxy DNS', proxyInfo: { type: 'socks', host: '127.0.0.1', port: 9050, proxyDNS: true }, expected: { type: 'socks', host: '127.0.0.1', port: 9050, proxyDns: true } },
    { name: 'SOCKS v4', proxyInfo: { type: 'socks4', host: '10.0.0.1', port: 1080 }, expected: { type: 'socks4', host: '10.0.0.1', port: 1080, proxyDns: false } },
    { name: 'direct is no proxy', proxyInfo: { type: 'direct', host: '', port: 0, proxyDNS: false }, expected: undefined },
    { name: 'absent', proxyInfo: undefined, expected: undefined },
    { name: 'null', proxyInfo: null, expected: undefined },
    { name: 'unknown type', proxyInfo: { type: 'quic', host: 'a', port: 1 }, expected: undefined },
    { name: 'no host', proxyInfo: { type: 'http', host: '', port: 3128 }, expected: undefined },
    { name: 'port out of range', proxyInfo: { type: 'http', host: 'a', port: 70000 }, expected: undefined },
    { name: 'port as text', proxyInfo: { type: 'http', host: 'a', port: '3128' }, expected: undefined },
    { name: 'proxyDNS not a boolean true', proxyInfo: { type: 'socks', host: 'a', port: 1, proxyDNS: 'yes' }, expected: { type: 'socks', host: 'a', port: 1, proxyDns: false } },
  ];
  it.each(cases)('$name', ({ proxyInfo, expected }) => {
    expect(reportedProxyOf(proxyInfo)).toEqual(expected);
  });
});

describe('proxyEndpoint', () => {
  it.each([
    { host: '127.0.0.1', port: 3128, expected: '127.0.0.1:3128' },
    { host: '::1', port: 1080, expected: '[::1]:1080' },
    { host: '[::1]', port: 1080, expected: '[::1]:1080' },
    { host: 'proxy.example', port: 8080, expected: 'proxy.example:8080' },
  ])('$host port $port → $expected', ({ host, port, expected }) => {
    expect(proxyEndpoint({ host, port })).toBe(expected);
  });
});
