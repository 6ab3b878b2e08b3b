/**
 * Private windows leave nothing behind (Chromium, the extension allowed in incognito, site history
 * on): a visit in a private window is listed while it is open but is not recorded in the history
 * and teaches no NAT64 prefix, and none of its names reach storage.local; the same visit in a
 * normal window, in the same run, is recorded and does teach its prefix. Runs in a network
 * namespace (test/netns/privateWindow.scenario.ts) for the IPv6 addresses of its IPv4-only names;
 * skipped with a message where refused (a failure with IPVLENS_REQUIRE_NAMESPACES set, as in CI).
 */
import { describe, expect, it } from 'vitest';
import { siteStorageKey } from '../../src/core/history/historyStore';
import type { PopupRow } from '../support/chromium';
import { planNamespaceTest, runScenario, unshareArgsOf } from '../support/netns';
import { NORMAL_VISIT, PRIVATE_VISIT } from '../netns/privateWindowHosts';

const plan = planNamespaceTest(['--net'], 'the private-window tests');

interface ScenarioResult {
  allowed: boolean;
  privateWindow: { incognito: boolean };
  privateRows: PopupRow[];
  normalRows: PopupRow[];
  local: Record<string, unknown>;
  hits: { private: number; normal: number };
}

describe.skipIf(!plan.run && plan.skip)('a private window in Chromium', () => {
  it('records and learns the normal visit, and keeps nothing of the private one', { timeout: 180_000 }, () => {
    const result = runScenario<ScenarioResult>(unshareArgsOf(plan), 'privateWindow', 170_000);
    expect(result.allowed).toBe(true);
    expect(result.privateWindow.incognito).toBe(true);
    // Both IPv4-only names were reached, over the IPv6 address that would teach a prefix.
    expect(result.hits).toStrictEqual({ private: 1, normal: 1 });
    const row = (rows: PopupRow[], domain: string) => rows.find((r) => r.domain === domain);

    // The extension saw the private visit (listed while open), but learned nothing from it.
    expect(row(result.privateRows, PRIVATE_VISIT.ipv4Only)).toMatchObject({ address: PRIVATE_VISIT.address, addressClass: 'documentation', family: '6' });
    // The normal visit taught its prefix, which re-labelled its row.
    expect(row(result.normalRows, NORMAL_VISIT.ipv4Only)).toMatchObject({ address: `2001:db8:64::192.0.0.170`, addressClass: 'nat64', family: '4' });

    const learned = result.local.learnedNat64;
    expect(learned).toContain(NORMAL_VISIT.prefix);
    expect(learned).not.toContain(PRIVATE_VISIT.prefix);
    expect(result.local).toHaveProperty([siteStorageKey(NORMAL_VISIT.site)]);
    expect(result.local).not.toHaveProperty([siteStorageKey(PRIVATE_VISIT.site)]);
    // Not a trace of the private visit anywhere in storage.local; the normal one is there.
    const everything = JSON.stringify(result.local);
    for (const trace of [PRIVATE_VISIT.site, PRIVATE_VISIT.ipv4Only, '2001:db8:46:']) expect(everything).not.toContain(trace);
    for (const trace of [NORMAL_VISIT.site, NORMAL_VISIT.prefix]) expect(everything).toContain(trace);
  });
});
