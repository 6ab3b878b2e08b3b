/** Whether a namespace end-to-end test runs, skips or fails: a refusal fails when CI requires them. */
import { describe, expect, it } from 'vitest';
import { namespacePlan, namespacesRequired, probeUnshare, REQUIRE_NAMESPACES, unshareArgsOf, type UnshareProbe } from '../support/netns';

const works: UnshareProbe = { ok: true, args: ['--net'] };
const refused: UnshareProbe = { ok: false, reason: '`unshare --net`: unshare failed: Operation not permitted' };

describe('the namespace tests are mandatory when the environment says so', () => {
  it.each<[string, string | undefined, boolean]>([
    ['unset', undefined, false],
    ['empty', '', false],
    ['"0"', '0', false],
    ['"1"', '1', true],
    ['" 1 " (spaces)', ' 1 ', true],
    ['"true"', 'true', true],
  ])('%s → required %s', (_name, value, required) => {
    expect(namespacesRequired(value === undefined ? {} : { [REQUIRE_NAMESPACES]: value })).toBe(required);
  });
});

describe('what a namespace test does', () => {
  it('runs with the arguments that worked, required or not', () => {
    for (const required of [false, true]) expect(namespacePlan(works, required, 'the tests')).toStrictEqual({ run: true, args: ['--net'] });
    expect(unshareArgsOf(namespacePlan(works, true, 'the tests'))).toStrictEqual(['--net']);
  });

  it('skips a refusal with the reason when not required', () => {
    const plan = namespacePlan(refused, false, 'the address-class tests');
    expect(plan).toMatchObject({ run: false, skip: true });
    expect(!plan.run && plan.message).toMatch(/^SKIPPED: the address-class tests need namespaces.*Operation not permitted/);
  });

  it('fails a refusal with the reason when required: the test throws it', () => {
    const plan = namespacePlan(refused, true, 'the address-class tests');
    expect(plan).toMatchObject({ run: false, skip: false });
    expect(() => unshareArgsOf(plan)).toThrow(/the address-class tests must run \(IPVLENS_REQUIRE_NAMESPACES is set\).*Operation not permitted/);
  });
});

describe('probing unshare on this machine', () => {
  it('a probe that fails gives unshare’s own reason for each attempt', () => {
    const probe = probeUnshare(['--no-such-namespace']);
    expect(probe.ok).toBe(false);
    expect(!probe.ok && probe.reason).toMatch(/^`unshare --no-such-namespace`: .*unrecognized option.*; `unshare --no-such-namespace --map-root-user`: /s);
  });
});
