import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import manifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

// The manifest's version follows package.json so a release bumps one number.
const chromeManifest = { ...manifest, version: pkg.version } as ManifestV3Export;

export default defineConfig({
  plugins: [preact(), crx({ manifest: chromeManifest })],
  build: {
    outDir: 'dist/chrome',
    emptyOutDir: true,
    target: 'chrome116',
    sourcemap: false,
    // Pages the manifest does not name (crxjs builds those it names), opened from the popup and
    // the options page.
    rollupOptions: { input: { report: 'src/report/index.html', history: 'src/history/index.html' } },
  },
  server: { port: 5199, strictPort: true },
});
