/**
 * The popup as one script and no stylesheet request. Built with the other pages, it loaded as a
 * waterfall of ~10 module chunks shared with them (each one a file read through the browser
 * process before its code could start, ~100 ms of a 300-domain popup's opening) plus a stylesheet.
 * After the main build has written the extension, this builds the popup page again on its own:
 * everything its first frame needs in one script (what it imports lazily stays in chunks of its
 * own), its CSS inlined into the page (Manifest V3 forbids inline scripts, not inline styles), and
 * writes it over the popup page the main build wrote. Every other page is left as it was.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { build, type Plugin } from 'vite';

const POPUP_HTML = 'src/popup/index.html';

/** Inlines each stylesheet the page links to from `dir`. */
function inlineStylesheets(html: string, dir: string): string {
  return html.replace(/<link rel="stylesheet"[^>]*href="\/([^"]+)"[^>]*>/g, (_, file: string) => `<style>${readFileSync(join(dir, file), 'utf8')}</style>`);
}

export function singleFilePopup(options: { root: string; outDir: string; target: string }): Plugin {
  return {
    name: 'ipvlens:single-file-popup',
    apply: 'build',
    async closeBundle() {
      const scratch = mkdtempSync(join(tmpdir(), 'ipvlens-popup-'));
      try {
        await build({
          configFile: false,
          root: options.root,
          logLevel: 'warn',
          plugins: [preact()],
          build: {
            outDir: scratch,
            emptyOutDir: false,
            target: options.target,
            sourcemap: false,
            // The page's static imports (Rolldown's few-hundred-byte runtime, shared with the lazy
            // chunks) are preloaded beside the script, not found after it; no polyfill is needed.
            modulePreload: { polyfill: false, resolveDependencies: (_, deps, { hostType }) => (hostType === 'html' ? deps : []) },
            rollupOptions: {
              input: { popup: resolve(options.root, POPUP_HTML) },
              output: { entryFileNames: 'assets/popup-[hash].js', chunkFileNames: 'assets/popup-[name]-[hash].js', assetFileNames: 'assets/popup-[name]-[hash][extname]' },
              checks: { bundlerTimings: false },
            },
          },
        });
        const outDir = resolve(options.root, options.outDir);
        mkdirSync(join(outDir, 'assets'), { recursive: true });
        for (const file of readdirSync(join(scratch, 'assets'))) {
          if (!file.endsWith('.css')) copyFileSync(join(scratch, 'assets', file), join(outDir, 'assets', file));
        }
        const html = inlineStylesheets(readFileSync(join(scratch, POPUP_HTML), 'utf8'), scratch);
        if (/<link rel="stylesheet"/.test(html) || (html.match(/<script/g) ?? []).length !== 1) {
          throw new Error(`single-file popup: expected one script and no stylesheet link in ${POPUP_HTML}, got:\n${html}`);
        }
        writeFileSync(join(outDir, POPUP_HTML), html);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
