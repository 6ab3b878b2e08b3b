/**
 * Running a scenario in a network namespace made for it, so that the addresses it needs exist
 * only there and no traffic leaves it. Where namespaces are refused, callers skip and say so —
 * unless IPVLENS_REQUIRE_NAMESPACES is set (CI sets it in .ci/run): then a refusal is a failure,
 * so that CI cannot be green with these tests skipped.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The environment variable that makes the namespace tests mandatory. */
export const REQUIRE_NAMESPACES = 'IPVLENS_REQUIRE_NAMESPACES';

/** What `unshare` answered for the namespaces asked: the arguments that work, or why none did. */
export type UnshareProbe = { ok: true; args: string[] } | { ok: false; reason: string };

/**
 * `unshare` arguments that work here for the namespaces asked (e.g. `--net`, `--mount`): plain as
 * root, else mapping the user to root; when neither does, the reason each attempt gave.
 */
export function probeUnshare(namespaces: string[]): UnshareProbe {
  const reasons: string[] = [];
  for (const args of [namespaces, [...namespaces, '--map-root-user']]) {
    const probe = spawnSync('unshare', [...args, 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
    if (probe.status === 0) return { ok: true, args };
    const said = probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status}`);
    reasons.push(`\`unshare ${args.join(' ')}\`: ${said}`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

/** Whether the variable asks for the namespace tests to be mandatory: set, and not empty or "0". */
export function namespacesRequired(env: Record<string, string | undefined>): boolean {
  const value = env[REQUIRE_NAMESPACES]?.trim();
  return value !== undefined && value !== '' && value !== '0';
}

/** What a namespace test does: run with these arguments, skip saying why, or fail saying why. */
export type NamespacePlan = { run: true; args: string[] } | { run: false; skip: boolean; message: string };

export function namespacePlan(probe: UnshareProbe, required: boolean, what: string): NamespacePlan {
  if (probe.ok) return { run: true, args: probe.args };
  return required
    ? { run: false, skip: false, message: `${what} must run (${REQUIRE_NAMESPACES} is set), but this machine refuses namespaces: ${probe.reason}` }
    : { run: false, skip: true, message: `SKIPPED: ${what} need namespaces, which this machine refuses (${probe.reason}). Set ${REQUIRE_NAMESPACES}=1 to make that a failure.` };
}

/** The plan for this machine and environment; a skip is said on the console at once. */
export function planNamespaceTest(namespaces: string[], what: string): NamespacePlan {
  const plan = namespacePlan(probeUnshare(namespaces), namespacesRequired(process.env), what);
  if (!plan.run && plan.skip) console.warn(plan.message);
  return plan;
}

/** The `unshare` arguments to run with; throws the plan's reason when it may not run. */
export function unshareArgsOf(plan: NamespacePlan): string[] {
  if (!plan.run) throw new Error(plan.message);
  return plan.args;
}

/**
 * A scenario's entry point: runs its body and prints the result on the `RESULT {json}` line that
 * runScenario reads; a failure is printed and exits non-zero.
 */
export function reportScenario(body: () => Promise<unknown>): void {
  body().then(
    (result) => console.log(`RESULT ${JSON.stringify(result)}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * Runs `test/netns/<name>.scenario.ts` under `unshare` and returns the JSON it printed on its
 * `RESULT ` line; throws with the end of its stderr if there is none.
 */
export function runScenario<T>(unshare: string[], name: string, timeoutMs: number): T {
  const run = spawnSync('unshare', [...unshare, process.execPath, '--experimental-websocket', '--import', 'tsx', `test/netns/${name}.scenario.ts`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`scenario ${name} failed (exit ${run.status}):\n${run.stderr.slice(-3000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}
