import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering the README states, checked on resolved paths (so `../history/` from `src/core/`
 * means `src/history`, not `src/core/history`). Each folder of src/ is a layer; a rule lists the
 * layers and packages a folder must not import, and why. test/unit/lintBoundaries.test.ts holds a
 * fixture per rule that must be rejected, so loosening a rule fails the tests.
 */
const SRC = path.join(import.meta.dirname, 'src');
const PAGES = ['popup', 'options', 'report', 'history'];

function layerOf(file) {
  const relative = path.relative(SRC, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep)[0];
}

const layerBoundaries = {
  meta: {
    type: 'problem',
    schema: [
      {
        type: 'object',
        properties: {
          layers: { type: 'array', items: { type: 'string' } },
          packages: { type: 'array', items: { type: 'string' } },
          // Modules of a forbidden layer that may still be imported (paths under src/, without extension).
          allow: { type: 'array', items: { type: 'string' } },
          why: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    messages: { forbidden: '{{from}} must not import {{to}}: {{why}}' },
  },
  create(context) {
    const { layers = [], packages = [], allow = [], why = '' } = context.options[0] ?? {};
    const from = `src/${layerOf(context.filename) ?? '?'}`;
    const check = (node) => {
      const source = node.source;
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const specifier = source.value;
      let to;
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(context.filename), specifier);
        const layer = layerOf(target);
        const allowed = allow.includes(path.relative(SRC, target).replace(/\.[jt]sx?$/, '').split(path.sep).join('/'));
        if (layer !== undefined && layers.includes(layer) && !allowed) to = `src/${layer}`;
      } else if (packages.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
        to = specifier;
      }
      if (to !== undefined) context.report({ node: source, messageId: 'forbidden', data: { from, to, why } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.bench/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { ipvlens: { rules: { 'layer-boundaries': layerBoundaries } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core is plain functions and data: no browser API, nothing of the shells around it.
    files: ['src/core/**/*.{ts,tsx}'],
    rules: {
      'ipvlens/layer-boundaries': [
        'error',
        { layers: ['background', 'platform', 'ui', ...PAGES], packages: ['preact', 'webextension-polyfill'], why: 'the core is plain functions and data' },
      ],
      'no-restricted-globals': ['error', 'chrome', 'browser', 'document', 'window'],
    },
  },
  {
    // Views and the helpers they share never reach into the background; they talk to it by message.
    files: [`src/{${PAGES.join(',')}}/**/*.{ts,tsx}`],
    rules: {
      'ipvlens/layer-boundaries': ['error', { layers: ['background'], why: 'pages talk to the background by message (core/messages.ts)' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'ipvlens/layer-boundaries': [
        'error',
        { layers: ['background', ...PAGES], why: 'src/ui is what the pages share: it knows no page and talks to the background by message' },
      ],
    },
  },
  {
    // Browser-facing helpers used by both the pages and the background: neither side's code.
    files: ['src/platform/**/*.{ts,tsx}'],
    rules: {
      'ipvlens/layer-boundaries': ['error', { layers: ['background', 'ui', ...PAGES], packages: ['preact'], why: 'src/platform serves both the pages and the background' }],
    },
  },
  {
    // The background draws no view; it only serves the popup's own prerender (background/popupPage.ts).
    files: ['src/background/**/*.{ts,tsx}'],
    rules: {
      'ipvlens/layer-boundaries': ['error', { layers: ['ui', ...PAGES], packages: ['preact'], allow: ['popup/prerender'], why: 'the background draws no view' }],
    },
  },
  {
    // One storage module: every read and write goes through its key table (src/platform/storage/).
    // End-to-end tests and the bench read the real storage to check what was kept.
    files: ['**/*.{ts,tsx,js}'],
    ignores: ['src/platform/storage/**', 'test/e2e/**', 'test/netns/**', 'bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          "MemberExpression[object.name=/^(browser|chrome)$/][property.name='storage']",
          "MemberExpression[object.name=/^(browser|chrome)$/][property.value='storage']",
          "MemberExpression[object.property.name=/^(browser|chrome)$/][property.name='storage']",
          "VariableDeclarator[init.name=/^(browser|chrome)$/] > ObjectPattern > Property[key.name='storage']",
        ].map((selector) => ({ selector, message: 'Use the storage module (src/platform/storage/), the one code that touches browser storage.' })),
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The benchmark's baseline extension is plain JS outside the TS project: lint it untyped.
  { files: ['bench/baseline/**/*.js'], ...tseslint.configs.disableTypeChecked },
);
