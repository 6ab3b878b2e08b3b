/**
 * `npm run package` (after the build and web-ext lint): dist/packages/ with the Chrome Web Store
 * zip, the addons.mozilla.org zip and its source archive (build steps in SOURCE-BUILD.md).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import { writePackages } from '../build/packages';

const root = resolve(import.meta.dirname, '..');
const written = writePackages(root, pkg.version, resolve(root, 'dist/packages'));
for (const path of [written.chrome, written.firefox, written.source]) console.log(`${path}  ${(statSync(path).size / 1024).toFixed(1)} KiB`);
