/**
 * Finds the browser the scripts drive, or says in one sentence what to install. Nothing is
 * downloaded: the browser is the one on PATH, or the executable an environment variable names.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type BrowserName = 'chromium' | 'firefox';

interface BrowserKind {
  /** Executable names looked for on PATH, in order. */
  commands: string[];
  /** The environment variable that names an executable instead. */
  variable: string;
  /** One clause per platform: how to install it there. */
  install: string;
  /** Why nothing else will do (a branded build that will not load the extension). */
  why: string;
}

const KINDS: Record<BrowserName, BrowserKind> = {
  chromium: {
    commands: ['chromium', 'chromium-browser'],
    variable: 'CHROMIUM_PATH',
    install:
      '`sudo apt-get install chromium` (Debian/Ubuntu), `sudo dnf install chromium` (Fedora), `brew install --cask chromium` (macOS) or `choco install chromium` (Windows)',
    why: 'branded Google Chrome cannot be used, because it refuses to load an unpacked extension given with --load-extension on the command line',
  },
  firefox: {
    commands: ['firefox-esr', 'firefox'],
    variable: 'FIREFOX_PATH',
    install:
      '`sudo apt-get install firefox-esr` (Debian/Ubuntu), `sudo dnf install firefox` (Fedora), `brew install --cask firefox` (macOS) or `choco install firefox` (Windows)',
    why: 'the tests need Firefox 140 or later (ESR included)',
  },
};

/** Thrown when the browser is missing; its message is the whole story, no stack trace needed. */
export class MissingBrowserError extends Error {
  override name = 'MissingBrowserError';
}

/** The one sentence a newcomer without the browser sees. */
export function missingBrowserMessage(name: BrowserName, env: NodeJS.ProcessEnv = process.env): string {
  const kind = KINDS[name];
  const configured = env[kind.variable];
  const what =
    configured !== undefined && configured !== ''
      ? `${kind.variable} is set to ${configured}, which is not an executable file`
      : `no ${kind.commands.map((command) => `\`${command}\``).join(' or ')} was found on the PATH`;
  const app = name === 'chromium' ? 'Chromium' : 'Firefox';
  return (
    `IPvLens needs ${app} here, but ${what}: install it with ${kind.install}, ` +
    `or set ${kind.variable} to a ${app} executable (macOS: inside the .app, Contents/MacOS/; Windows: its .exe); ${kind.why}.`
  );
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser's executable: the environment variable's, else the first on PATH; throws MissingBrowserError. */
export function findBrowser(name: BrowserName, env: NodeJS.ProcessEnv = process.env): string {
  const kind = KINDS[name];
  const configured = env[kind.variable];
  if (configured !== undefined && configured !== '') {
    if (isExecutableFile(configured)) return configured;
    throw new MissingBrowserError(missingBrowserMessage(name, env));
  }
  const extensions = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter).filter((entry) => entry !== '')) {
    for (const command of kind.commands) {
      for (const extension of extensions) {
        const candidate = join(dir, command + extension);
        if (isExecutableFile(candidate)) return candidate;
      }
    }
  }
  throw new MissingBrowserError(missingBrowserMessage(name, env));
}
