/**
 * Running a scenario in a network namespace made for it, so that the addresses it needs exist
 * only there and no traffic leaves it. Where namespaces are refused, callers skip and say so.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * `unshare` arguments that work here for the namespaces asked (e.g. `--net`, `--mount`): plain as
 * root, else mapping the user to root; undefined when neither does.
 */
export function unshareArgs(namespaces: string[]): string[] | undefined {
  for (const args of [namespaces, [...namespaces, '--map-root-user']]) {
    const probe = spawnSync('unshare', [...args, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' });
    if (probe.status === 0) return args;
  }
  return undefined;
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
