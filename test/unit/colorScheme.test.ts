import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserColorScheme, onBrowserColorSchemeChange } from '../../src/platform/colorScheme';

/** A stand-in for matchMedia('(prefers-color-scheme: dark)') that records its change listeners. */
function fakeDarkQuery(matches: boolean): { listeners: (() => void)[]; queries: string[] } {
  const seen = { listeners: [] as (() => void)[], queries: [] as string[] };
  vi.stubGlobal('matchMedia', (query: string) => {
    seen.queries.push(query);
    return { matches, addEventListener: (_type: string, listener: () => void) => seen.listeners.push(listener) };
  });
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the browser colour scheme', () => {
  it.each([
    [true, 'dark'],
    [false, 'light'],
  ] as const)('where matchMedia exists (pages, Firefox background): dark %s → %s', (dark, scheme) => {
    const seen = fakeDarkQuery(dark);
    expect(browserColorScheme()).toBe(scheme);
    expect(seen.queries).toStrictEqual(['(prefers-color-scheme: dark)']);
  });

  it('is unknown in a service worker (no matchMedia), while a page sees it', () => {
    expect(typeof (globalThis as { matchMedia?: unknown }).matchMedia).toBe('undefined');
    expect(browserColorScheme()).toBeUndefined();
    fakeDarkQuery(true);
    expect(browserColorScheme()).toBe('dark');
  });

  it('change listeners are attached where the scheme can be seen, and nowhere else', () => {
    const listener = (): void => undefined;
    expect(() => onBrowserColorSchemeChange(listener)).not.toThrow();
    const seen = fakeDarkQuery(false);
    onBrowserColorSchemeChange(listener);
    expect(seen.listeners).toStrictEqual([listener]);
  });
});
