import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBrowser, missingBrowserMessage, MissingBrowserError, type BrowserName } from '../../scripts/browser/findBrowser';

// A PATH of two directories: one empty, one with fake browsers (executable scripts) and a non-executable file.
const root = mkdtempSync(join(tmpdir(), 'ipvlens-find-browser-'));
const empty = join(root, 'empty');
const bin = join(root, 'bin');
mkdirSync(empty);
mkdirSync(bin);
for (const name of ['chromium-browser', 'firefox']) {
  writeFileSync(join(bin, name), '#!/bin/sh\n');
  chmodSync(join(bin, name), 0o755);
}
writeFileSync(join(bin, 'chromium'), 'not executable');
chmodSync(join(bin, 'chromium'), 0o644);

afterAll(() => rmSync(root, { recursive: true, force: true }));

function thrown(name: BrowserName, env: NodeJS.ProcessEnv): Error {
  try {
    findBrowser(name, env);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`found ${name}`);
}

describe('finding the browser to drive', () => {
  it.each<[BrowserName, string]>([
    ['chromium', 'chromium-browser'],
    ['firefox', 'firefox'],
  ])('%s: the first executable on PATH (%s), skipping a file that is not executable', (name, file) => {
    expect(findBrowser(name, { PATH: [empty, bin].join(delimiter) })).toBe(join(bin, file));
  });

  it.each<[BrowserName, string]>([
    ['chromium', 'CHROMIUM_PATH'],
    ['firefox', 'FIREFOX_PATH'],
  ])('%s: %s wins over PATH when it names an executable, and is refused when it names nothing', (name, variable) => {
    const fake = join(bin, name === 'chromium' ? 'chromium-browser' : 'firefox');
    expect(findBrowser(name, { PATH: empty, [variable]: fake })).toBe(fake);
    const error = thrown(name, { PATH: bin, [variable]: join(root, 'missing') });
    expect(error).toBeInstanceOf(MissingBrowserError);
    expect(error.message).toContain(`${variable} is set to ${join(root, 'missing')}, which is not an executable file`);
  });

  it.each<BrowserName>(['chromium', 'firefox'])('%s: none on PATH is a MissingBrowserError carrying the message', (name) => {
    const env = { PATH: empty };
    const error = thrown(name, env);
    expect(error).toBeInstanceOf(MissingBrowserError);
    expect(error.message).toBe(missingBrowserMessage(name, env));
  });
});

describe('what a newcomer without the browser reads', () => {
  it('Chromium: one sentence with every platform, the variable, and why not branded Chrome', () => {
    const message = missingBrowserMessage('chromium', { PATH: empty });
    expect(message).toMatch(/^IPvLens needs Chromium here, but no `chromium` or `chromium-browser` was found on the PATH: /);
    for (const part of ['apt-get install chromium', 'dnf install chromium', 'brew install --cask chromium', 'choco install chromium', 'CHROMIUM_PATH']) {
      expect(message).toContain(part);
    }
    expect(message).toMatch(/Google Chrome cannot be used, because it refuses to load an unpacked extension given with --load-extension/);
    expect(message).not.toContain('\n');
    expect(message.endsWith('.')).toBe(true);
  });

  it('Firefox: firefox-esr on Debian and FIREFOX_PATH, and nothing of Chromium', () => {
    const message = missingBrowserMessage('firefox', { PATH: empty });
    for (const part of ['apt-get install firefox-esr', 'dnf install firefox', 'brew install --cask firefox', 'choco install firefox', 'FIREFOX_PATH']) {
      expect(message).toContain(part);
    }
    expect(message).not.toMatch(/chromium|CHROMIUM_PATH/i);
    expect(message).not.toContain('\n');
  });
});
