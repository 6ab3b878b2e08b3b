/**
 * Store packages: the built extension for the Chrome Web Store and for addons.mozilla.org, and
 * the source archive AMO asks for when the code it reviews is bundled (the tracked files as they
 * are in the work tree, so the archive rebuilds exactly what was packaged).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

/** A fixed time for every entry: the same inputs give the same zip, byte for byte. */
const ZIP_TIME = new Date('2020-01-01T00:00:00Z');

/** Every file below `dir`, as forward-slash paths relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return files.sort();
}

/** The files tracked by git in the work tree at `root` (deleted ones left out). */
export function trackedFiles(root: string): string[] {
  const listed = (args: string[]): string[] => execFileSync('git', ['ls-files', '-z', ...args], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  const deleted = new Set(listed(['--deleted']));
  return listed([]).filter((file) => !deleted.has(file)).sort();
}

export function zipFiles(root: string, files: readonly string[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of files) entries[file] = [readFileSync(join(root, file)), { mtime: ZIP_TIME }];
  return zipSync(entries, { level: 9 });
}

export interface PackageSet {
  chrome: string;
  firefox: string;
  source: string;
}

export function packageNames(version: string): PackageSet {
  return { chrome: `ipvlens-chrome-${version}.zip`, firefox: `ipvlens-firefox-${version}.zip`, source: `ipvlens-source-${version}.zip` };
}

/** Writes the three zips into `outDir` from the builds in `root`/dist; returns their paths. */
export function writePackages(root: string, version: string, outDir: string): PackageSet {
  mkdirSync(outDir, { recursive: true });
  const names = packageNames(version);
  const write = (name: string, data: Uint8Array): string => {
    const path = join(outDir, name);
    writeFileSync(path, data);
    return path;
  };
  const built = (target: string): Uint8Array => {
    const dir = join(root, 'dist', target);
    return zipFiles(dir, filesUnder(dir));
  };
  return {
    chrome: write(names.chrome, built('chrome')),
    firefox: write(names.firefox, built('firefox')),
    source: write(names.source, zipFiles(root, trackedFiles(root))),
  };
}
