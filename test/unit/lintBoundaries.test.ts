/**
 * The layering rules of eslint.config.js, held by fixtures: each break the README forbids must be
 * rejected by the real config, and beside it an allowed import from the same file must pass (so a
 * rule that rejects everything, or a fixture that fails for another reason, is caught too).
 * The fixtures are linted as virtual files at the paths given; type-aware rules are switched off
 * for them (those files do not exist), the boundary rules are not.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

interface Fixture {
  /** Where the file is linted as, relative to the repository. */
  file: string;
  /** An import the rule must reject there. */
  forbidden: string;
  /** An import from the same file that is allowed. */
  allowed: string;
}

const fixtures: Record<string, Fixture> = {
  'core imports platform': { file: 'src/core/fixture.ts', forbidden: "import { t } from '../platform/i18n';", allowed: "import { parseAddress } from './address/address';" },
  'core imports ui': { file: 'src/core/fixture.ts', forbidden: "import { copyText } from '../ui/api';", allowed: "import type { TabSummary } from './view/snapshot';" },
  'core imports background': { file: 'src/core/fixture.ts', forbidden: "import { withTracker } from '../background/state';", allowed: "import { fold } from './history/siteRecord';" },
  'core (nested) imports the history page': {
    file: 'src/core/history/fixture.ts',
    forbidden: "import { HistoryPage } from '../../history/HistoryPage';",
    allowed: "import { fold } from '../history/siteRecord';",
  },
  'core imports the popup': { file: 'src/core/fixture.ts', forbidden: "export { App } from '../popup/App';", allowed: "export { parseAddress } from './address/address';" },
  'core imports preact': { file: 'src/core/fixture.ts', forbidden: "import { h } from 'preact';", allowed: "import { parse } from 'tldts';" },
  'core imports preact/hooks': { file: 'src/core/fixture.ts', forbidden: "import { useState } from 'preact/hooks';", allowed: "import { parse } from 'tldts';" },
  'core imports webextension-polyfill': { file: 'src/core/fixture.ts', forbidden: "import browser from 'webextension-polyfill';", allowed: "import { parse } from 'tldts';" },
  'core imports background lazily': { file: 'src/core/fixture.ts', forbidden: "void import('../background/state');", allowed: "void import('./address/address');" },
  'core uses a browser global': { file: 'src/core/fixture.ts', forbidden: 'export const id = chrome.runtime.id;', allowed: 'export const id = globalThis.length;' },
  'core uses the document': { file: 'src/core/fixture.ts', forbidden: 'export const title = document.title;', allowed: 'export const title = String(1);' },
  'popup imports background': { file: 'src/popup/fixture.ts', forbidden: "import { withTracker } from '../background/state';", allowed: "import { watchTab } from '../ui/backgroundClient';" },
  'options imports background': { file: 'src/options/fixture.tsx', forbidden: "import { currentConfig } from '../background/config';", allowed: "import { t } from '../platform/i18n';" },
  'report imports background': { file: 'src/report/fixture.tsx', forbidden: "import { pushToWatchers } from '../background/watchers';", allowed: "import type { TabSummary } from '../core/view/snapshot';" },
  'history page imports background': { file: 'src/history/fixture.tsx', forbidden: "import { deleteHistory } from '../background/history';", allowed: "import { readHistory } from '../platform/history';" },
  'ui imports background': { file: 'src/ui/fixture.ts', forbidden: "import { onBatch } from '../background/state';", allowed: "import { t } from '../platform/i18n';" },
  'ui imports a page': { file: 'src/ui/fixture.tsx', forbidden: "import { App } from '../popup/App';", allowed: "import { useState } from 'preact/hooks';" },
  'platform imports background': { file: 'src/platform/fixture.ts', forbidden: "import { withTracker } from '../background/state';", allowed: "import browser from 'webextension-polyfill';" },
  'platform imports ui': { file: 'src/platform/fixture.ts', forbidden: "import { copyText } from '../ui/api';", allowed: "import type { ViewConfig } from '../core/settings/settings';" },
  'background imports a page': { file: 'src/background/fixture.ts', forbidden: "import { App } from '../popup/App';", allowed: "import { onBatch } from './state';" },
  // The one page module the worker may use: the popup's prerender, which it serves (background/popupPage.ts).
  'background imports a page beside the prerender': { file: 'src/background/fixture.ts', forbidden: "import { domainRow } from '../popup/DomainRow';", allowed: "import { prerenderPopup } from '../popup/prerender';" },
  'background imports ui': { file: 'src/background/fixture.ts', forbidden: "import { formatBytes } from '../ui/format';", allowed: "import { t } from '../platform/i18n';" },
  'background imports a Preact view': { file: 'src/background/fixture.ts', forbidden: "import { render } from 'preact';", allowed: "import browser from 'webextension-polyfill';" },
};

const BOUNDARY_RULES = ['ipvlens/layer-boundaries', 'no-restricted-globals'];

async function lintErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  // Boundary rules and parse errors only: unused imports in a fixture are not what is tested.
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === null || BOUNDARY_RULES.includes(message.ruleId))
    .map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

// Loading the config (typescript-eslint, the plugins) is the slow part: done once, before the
// tests, with room for a busy machine; a lint takes milliseconds after it.
beforeAll(async () => {
  await eslint.lintText('', { filePath: path.join(ROOT, 'src/core/fixture.ts') });
}, 120_000);

describe('the lint holds every layer boundary', { timeout: 30_000 }, () => {
  it.each(Object.entries(fixtures))('%s: rejected, while an allowed import passes', async (_name, { file, forbidden, allowed }) => {
    expect(await lintErrors(file, `${allowed}\n`)).toStrictEqual([]);
    const errors = await lintErrors(file, `${allowed}\n${forbidden}\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^(ipvlens\/layer-boundaries|no-restricted-globals): /);
  });

  it('names both sides and the reason in its message', async () => {
    expect(await lintErrors('src/core/fixture.ts', "import { t } from '../platform/i18n';\n")).toStrictEqual([
      'ipvlens/layer-boundaries: src/core must not import src/platform: the core is plain functions and data',
    ]);
  });

  it('tests and scripts outside src/ may import any layer', async () => {
    expect(await lintErrors('test/unit/fixture.ts', "import { withTracker } from '../../src/background/state';\nimport { App } from '../../src/popup/App';\n")).toStrictEqual([]);
  });
});
