import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.bench/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The core stays free of browser APIs and of the shells around it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['webextension-polyfill', '**/background/**', '**/popup/**', 'preact*'] }],
      'no-restricted-globals': ['error', 'chrome', 'browser', 'document', 'window'],
    },
  },
  {
    // Views and the helpers they share never reach into the background.
    files: ['src/{popup,options,report,ui,platform}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/background/**'] }],
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
