/**
 * A real family switch: Chromium streams from a name with both an IPv6 and an IPv4 address,
 * the IPv6 server goes away mid-stream, and Chromium falls back to IPv4. Runs in a network and
 * mount namespace (test/netns/familySwitch.scenario.ts); skipped, with a message, where refused
 * (a failure with IPVLENS_REQUIRE_NAMESPACES set, as in CI).
 */
import { describe, expect, it } from 'vitest';
import type { LiveFigures, RowFigures } from '../support/livePanel';
import { sumOf } from '../support/livePanel';
import { planNamespaceTest, runScenario, unshareArgsOf } from '../support/netns';

const plan = planNamespaceTest(['--net', '--mount'], 'the family-switch tests');

interface ScenarioResult {
  servedBefore: number;
  served: number;
  failed: number;
  rows: RowFigures[];
  row: { family: string | null; address: string | null; more: string };
  live: LiveFigures;
}

describe.skipIf(!plan.run && plan.skip)('a family switch in a network namespace', () => {
  it('lists the switch, marks it on the timeline and counts each family', { timeout: 150_000 }, () => {
    const result = runScenario<ScenarioResult>(unshareArgsOf(plan), 'familySwitch', 140_000);
    expect(result.failed).toBe(0);
    expect(result.served).toBe(60);
    expect(result.servedBefore).toBeGreaterThanOrEqual(15);

    expect(result.live.switches).toHaveLength(1);
    expect(result.live.switches[0]).toMatchObject({ domain: 'flip.test', from: '::1', to: '127.0.0.1', fromFamily: '6', toFamily: '4', count: 1 });
    expect(result.live.switches[0]?.text).toMatch(/^flip\.test ::1 → 127\.0\.0\.1 \(IPv6 → IPv4\) at \d\d:\d\d:\d\d$/);
    expect(result.live.markers).toBeGreaterThanOrEqual(1);

    // The row now shows the IPv4 address, with the IPv6 one among its other addresses.
    expect(result.row).toMatchObject({ family: '4', address: '127.0.0.1' });
    expect(result.row.more).toContain('1');
    const flip = result.rows.find((row) => row.domain === 'flip.test');
    expect(flip?.requests).toBe(60);

    // Both families on the timeline, adding up to every segment (the page itself is IPv4 too).
    const timeline = result.live.timelines['10m'];
    expect(sumOf(timeline?.v6)).toBeGreaterThanOrEqual(result.servedBefore - 1);
    expect(sumOf(timeline?.v6) + sumOf(timeline?.v4)).toBe(60 + 1);
    expect(result.live.shares.requests.v6).toBe(sumOf(timeline?.v6));
  });
});
