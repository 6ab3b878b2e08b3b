/**
 * What every workload of `npm run bench` shares: reading the environment, finding the extension's
 * process under a launched browser and sampling its CPU time and resident memory from /proc, and
 * printing figures as tables. A run whose figures would be worthless
 * throws BrokenRun (the bench then exits with code 2).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromiumPath } from '../scripts/browser/chromium';
import type { SoakProbe } from './workloads/soak';

export class BrokenRun extends Error {}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** An on/off switch: unset or 1 is on, 0 is off. */
export function envSwitch(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1') throw new Error(`${name} must be 0 or 1, got ${JSON.stringify(raw)}`);
  return raw === '1';
}

// ---------------------------------------------------------------------------------------------
// /proc

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  ppid: number;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
  /** Start time since boot, clock ticks: tells a process from a later one with the same pid. */
  startTime: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "(comm)", which may itself hold spaces: state is field 3, so index 0 here.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3]);
  return { ppid: field(4), cpuTicks: field(14) + field(15), startTime: field(22) };
}

/** Arguments of a process. Chromium's zygote children rewrite their title into one space-joined string. */
function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean);
  } catch {
    return [];
  }
}

export function readRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export interface ChromiumProcesses {
  browserPid: number;
  extensionPid: number;
  extensionStart: number;
}

/**
 * The launched browser is the process without `--type=` that uses this run's profile directory;
 * the extension's process is the one renderer below it started with `--extension-process`.
 */
export function findProcesses(userDataDir: string): ChromiumProcesses {
  const pids = allPids();
  const profileArg = `--user-data-dir=${userDataDir}`;
  const browsers = pids.filter((pid) => {
    const args = readCmdline(pid);
    return args.includes(profileArg) && !args.some((arg) => arg.startsWith('--type='));
  });
  if (browsers.length !== 1) throw new BrokenRun(`expected one browser process for ${userDataDir}, found ${browsers.length}`);
  const browserPid = browsers[0] as number;
  const parent = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat !== undefined) parent.set(pid, stat.ppid);
  }
  const descendsFromBrowser = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === browserPid) return true;
    }
    return false;
  };
  const extensionProcesses = pids.filter((pid) => {
    const args = readCmdline(pid);
    return args.includes('--type=renderer') && args.includes('--extension-process') && descendsFromBrowser(pid);
  });
  if (extensionProcesses.length !== 1) {
    throw new BrokenRun(`expected one --extension-process renderer under browser ${browserPid}, found ${extensionProcesses.length}`);
  }
  const extensionPid = extensionProcesses[0] as number;
  const stat = readStat(extensionPid);
  if (stat === undefined) throw new BrokenRun(`extension process ${extensionPid} vanished`);
  return { browserPid, extensionPid, extensionStart: stat.startTime };
}

/** The extension process's stat, failing the run if it is not the same process as at the start. */
function extensionStat(processes: ChromiumProcesses): ProcStat {
  const stat = readStat(processes.extensionPid);
  if (stat === undefined || stat.startTime !== processes.extensionStart) {
    throw new BrokenRun(`extension process ${processes.extensionPid} exited during the workload (the service worker was stopped?)`);
  }
  return stat;
}

export function extensionCpuMs(processes: ChromiumProcesses): number {
  return (extensionStat(processes).cpuTicks * 1000) / CLK_TCK;
}

export function browserCpuMs(processes: ChromiumProcesses): number {
  return ((readStat(processes.browserPid)?.cpuTicks ?? NaN) * 1000) / CLK_TCK;
}

/**
 * Waits until the extension process has used under `idleMs` of CPU per 500 ms (its worker done
 * with any backlog of events), at most `timeoutMs`; returns how long it waited.
 */
export async function waitForQuietExtension(processes: ChromiumProcesses, idleMs = 25, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  let before = extensionCpuMs(processes);
  while (performance.now() - started < timeoutMs) {
    await new Promise((done) => setTimeout(done, 500));
    const now = extensionCpuMs(processes);
    if (now - before < idleMs) break;
    before = now;
  }
  return performance.now() - started;
}

/** RSS KiB of the extension process, failing the run if it is not the same process as at the start. */
export function extensionRssKiB(processes: ChromiumProcesses): number {
  extensionStat(processes);
  const rssKiB = readRssKiB(processes.extensionPid);
  if (rssKiB === undefined) throw new BrokenRun(`could not read the RSS of extension process ${processes.extensionPid}`);
  return rssKiB;
}

/** The soak (workloads/soak.ts) reads the extension process through these, and fails a run as the rounds do. */
export const soakProbe: SoakProbe = {
  watchExtensionProcess: (userDataDir) => {
    const processes = findProcesses(userDataDir);
    return { pid: processes.extensionPid, rssKiB: () => extensionRssKiB(processes), cpuMs: () => extensionCpuMs(processes) };
  },
  broken: (message) => new BrokenRun(message),
};

// ---------------------------------------------------------------------------------------------
// Report

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '—');
export const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '—');

export const mib = (kib: number): number => kib / 1024;

export interface Check {
  name: string;
  pass: boolean;
  text: string;
}

export function chromiumVersion(): string {
  try {
    return execFileSync(chromiumPath(), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function writeResults(file: string, results: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nResults written to ${file}`);
}
