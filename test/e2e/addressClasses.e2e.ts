/**
 * Address classes as the popup shows them, for resources served from addresses of each class,
 * and the options page's NAT64 round trip. The addresses live on the loopback of a network
 * namespace made for the test (test/netns/addressClasses.scenario.ts), so no traffic leaves it;
 * where namespaces are refused the test is skipped and says so (fails, with IPVLENS_REQUIRE_NAMESPACES).
 */
import { describe, expect, it } from 'vitest';
import type { PopupRow } from '../support/chromium';
import { planNamespaceTest, runScenario, unshareArgsOf } from '../support/netns';
import { HOSTS as hosts, LEARNED_PREFIX, USER_PREFIX } from '../netns/hosts';

const plan = planNamespaceTest(['--net'], 'the address-class tests');

interface ScenarioResult {
  servedHosts: string[];
  before: PopupRow[];
  keyboard: { firstLabel: string; afterDown: string; rowOrder: string[] };
  afterInvalid: { error: string; prefixes: string[]; stored: unknown };
  rowAfterInvalid: PopupRow | undefined;
  afterValid: { error: string; prefixes: string[]; stored: unknown };
  relabelled: PopupRow | undefined;
}

describe.skipIf(!plan.run && plan.skip)('address classes in a network namespace', () => {
  let result: ScenarioResult;

  it('runs the scenario', { timeout: 180_000 }, () => {
    result = runScenario<ScenarioResult>(unshareArgsOf(plan), 'addressClasses', 170_000);
  });

  it('serves every resource from its own address', () => {
    expect(result.servedHosts.sort()).toStrictEqual(Object.keys(hosts).sort());
  });

  it('shows the class and the server family of each row', () => {
    const shown = Object.fromEntries(result.before.map((row) => [row.domain, [row.addressClass, row.family]]));
    const expected = Object.fromEntries(Object.entries(hosts).map(([host, { addressClass, family }]) => [host, [addressClass, family]]));
    expect(Object.fromEntries(Object.keys(hosts).map((host) => [host, shown[host]]))).toStrictEqual(expected);
  });

  it('shows NAT64 and mapped addresses as the IPv4 servers they reach', () => {
    const address = (domain: string): string | undefined => result.before.find((row) => row.domain === domain)?.address;
    expect(address('nat64.test')).toBe('64:ff9b::127.0.0.1');
    expect(address('mapped.test')).toBe('127.0.0.2');
    expect(address('ipv4only.arpa')).toBe('2001:db8:64::192.0.0.170');
    expect(address('teredo.test')).toBe('2001:0:4136:e378:8000:63bf:3fff:fdd2');
  });

  it('speaks domain, family and class for a row and moves with the arrow keys', () => {
    // The main page comes first: page.test, served over 127.0.0.1.
    expect(result.keyboard.rowOrder[0]).toBe('page.test');
    expect(result.keyboard.firstLabel).toBe('page.test, IPv4, loopback');
    expect(result.keyboard.afterDown).toBe(result.keyboard.rowOrder[1]);
  });

  it('lists the learned prefix in the options page', () => {
    expect(result.afterInvalid.prefixes).toContain(`learned ${LEARNED_PREFIX}`);
  });

  it('refuses an invalid prefix with a message and saves nothing', () => {
    expect(result.afterInvalid.error).toMatch(/\/33 is not a NAT64 prefix length/);
    expect(result.afterInvalid.stored).toBeNull();
    expect(result.afterInvalid.prefixes.filter((p) => p.startsWith('user '))).toStrictEqual([]);
    expect(result.rowAfterInvalid).toMatchObject({ addressClass: 'documentation', family: '6' });
  });

  it('adds a valid prefix, saves it and re-labels the open popup’s row at once', () => {
    expect(result.afterValid.error).toBe('');
    expect(result.afterValid.prefixes).toContain(`user ${USER_PREFIX}`);
    expect(result.afterValid.stored).toMatchObject({ nat64Prefixes: [USER_PREFIX] });
    expect(result.relabelled).toMatchObject({ addressClass: 'nat64', family: '4', address: '2001:db8:122:c000:2:2100::' });
  });
});
