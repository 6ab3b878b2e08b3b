/**
 * The store packages and the AMO lint, from the builds `npm run test:e2e` has just made. Written
 * to a temporary folder: a test never replaces what `npm run package` wrote.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { GECKO_ID } from '../../build/manifestFor';
import { filesUnder, packageNames, writePackages } from '../../build/packages';

const ROOT = resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(tmpdir(), 'ipvlens-packages-'));
const written = writePackages(ROOT, pkg.version, outDir);
const entries = (path: string): Record<string, Uint8Array> => unzipSync(readFileSync(path));
const manifestIn = (zip: Record<string, Uint8Array>): Record<string, unknown> => JSON.parse(new TextDecoder().decode(zip['manifest.json'])) as Record<string, unknown>;

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('store packages', () => {
  it('are named after the version', () => {
    const names = packageNames(pkg.version);
    expect([written.chrome, written.firefox, written.source]).toEqual([names.chrome, names.firefox, names.source].map((name) => join(outDir, name)));
  });

  it.each(['chrome', 'firefox'] as const)('the %s zip holds its build, manifest at the top', (target) => {
    const zip = entries(written[target]);
    expect(Object.keys(zip).sort()).toEqual(filesUnder(join(ROOT, 'dist', target)));
    const manifest = manifestIn(zip);
    expect(manifest.version).toBe(pkg.version);
    for (const file of ['_locales/en/messages.json', 'src/popup/index.html', 'src/options/index.html', 'service-worker-loader.js', 'icons/logo-128.png']) {
      expect(zip, file).toHaveProperty([file]);
    }
    // Test builds alone expose the pages.
    expect(manifest).not.toHaveProperty('web_accessible_resources');
  });

  it('the Firefox zip carries the gecko id, background scripts and dns; the Chrome zip none of them', () => {
    const firefox = manifestIn(entries(written.firefox));
    const chrome = manifestIn(entries(written.chrome));
    expect(firefox).toMatchObject({ background: { scripts: ['service-worker-loader.js'] }, browser_specific_settings: { gecko: { id: GECKO_ID } } });
    expect(firefox.permissions).toContain('dns');
    expect(chrome).toMatchObject({ background: { service_worker: 'service-worker-loader.js' } });
    expect(chrome).not.toHaveProperty('browser_specific_settings');
    expect(chrome.permissions).not.toContain('dns');
  });

  it('the source archive has the tracked sources and the build instructions, and no build output', () => {
    const files = Object.keys(entries(written.source));
    for (const file of ['SOURCE-BUILD.md', 'package.json', 'package-lock.json', 'manifest.json', 'vite.config.ts', 'build/manifestFor.ts', 'src/background/index.ts']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /^(dist|node_modules|\.scratch)\//.test(file))).toEqual([]);
  });

  it('web-ext lint finds no error in the Firefox build', () => {
    const out = execFileSync(join(ROOT, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', join(ROOT, 'dist/firefox'), '--output', 'json'], { encoding: 'utf8' });
    const report = JSON.parse(out) as { errors: unknown[]; warnings: Array<{ code: string }> };
    expect(report.errors).toEqual([]);
    // Known and accepted: data_collection_permissions is newer than Firefox for Android 140, and
    // Preact's runtime can set innerHTML (only for dangerouslySetInnerHTML, which IPvLens never uses):
    // once in the pages' shared chunk, once in the popup's own script (build/singleFilePopup.ts).
    expect([...new Set(report.warnings.map((w) => w.code))].sort()).toEqual(['KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION', 'UNSAFE_VAR_ASSIGNMENT']);
  });
});
