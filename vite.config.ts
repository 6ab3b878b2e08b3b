import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { manifestFor, type Target } from './build/manifestFor.ts';
import { singleFilePopup } from './build/singleFilePopup.ts';

/**
 * `vite build` writes dist/chrome; `--mode firefox` writes dist/firefox from the same sources, and
 * `--mode firefox-test` a test build whose pages a test page may frame (see manifestFor) and whose
 * background counts its browser.dns look-ups for the tests (platform/dns.ts), and
 * `--mode bench-no-writes` dist/chrome-no-writes, the Chrome build without its session writes that
 * the bench measures beside the real one (src/background/benchBuild.ts).
 */
export default defineConfig(({ mode }) => {
  const target: Target = mode.startsWith('firefox') ? 'firefox' : 'chrome';
  const testBuild = mode === 'firefox-test';
  const benchNoWrites = mode === 'bench-no-writes';
  // The manifest's version follows package.json so a release bumps one number.
  const targetManifest = manifestFor(target, manifest, { version: pkg.version, exposePagesForTests: testBuild }) as ManifestV3Export;
  const outDir = testBuild ? 'dist/firefox-test' : benchNoWrites ? 'dist/chrome-no-writes' : `dist/${target}`;
  const browserTarget = target === 'firefox' ? 'firefox128' : 'chrome116';
  return {
    plugins: [preact(), crx({ manifest: targetManifest, browser: target }), singleFilePopup({ root: import.meta.dirname, outDir, target: browserTarget })],
    define: { __IPVLENS_SESSION_WRITES__: JSON.stringify(!benchNoWrites), __IPVLENS_TEST_HOOKS__: JSON.stringify(testBuild) },
    build: {
      outDir,
      emptyOutDir: true,
      target: browserTarget,
      sourcemap: false,
      // Pages the manifest does not name (crxjs builds those it names), opened from the popup and
      // the options page.
      rollupOptions: {
        input: { report: 'src/report/index.html', history: 'src/history/index.html' },
        // Rolldown warns when plugins take "significant time": a remark on the machine's load
        // (a busy or slow machine), not on the build, so a newcomer's first build stays quiet.
        checks: { bundlerTimings: false },
      },
    },
    server: { port: 5199, strictPort: true },
  };
});
