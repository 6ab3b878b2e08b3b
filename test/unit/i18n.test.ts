import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMessage, translatorFor, type LocaleMessage } from '../../src/core/i18n';

const ROOT = resolve(import.meta.dirname, '../..');
const english = JSON.parse(readFileSync(join(ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, LocaleMessage>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe('formatMessage (the browser’s substitution rules)', () => {
  it.each<[string, LocaleMessage, string[], string]>([
    ['plain', { message: 'Hello' }, [], 'Hello'],
    ['named placeholder', { message: 'Tab $TAB$ closed', placeholders: { tab: { content: '$1' } } }, ['7'], 'Tab 7 closed'],
    ['case-insensitive names', { message: '$Count$ of $TOTAL$', placeholders: { count: { content: '$1' }, total: { content: '$2' } } }, ['1', '3'], '1 of 3'],
    ['$$ is a dollar', { message: 'Use $$ for the value' }, [], 'Use $ for the value'],
    ['missing substitution is empty', { message: 'x$A$y', placeholders: { a: { content: '$1' } } }, [], 'xy'],
    ['unknown placeholder kept', { message: 'x $B$ y' }, [], 'x $B$ y'],
  ])('%s', (_name, entry, substitutions, expected) => {
    expect(formatMessage(entry, substitutions)).toBe(expected);
  });

  it('translates with the real English file', () => {
    const t = translatorFor(english);
    expect(t('rowLabel', ['example.com', 'IPv6', 'global'])).toBe('example.com, IPv6, global');
    expect(t('tabClosedBody', '12')).toBe('Tab 12 no longer exists.');
  });
});

describe('_locales/en/messages.json', () => {
  it.each(Object.entries(english))('%s is well formed', (key, entry) => {
    expect(key).toMatch(/^[A-Za-z0-9_]+$/);
    expect(entry.message.length).toBeGreaterThan(0);
    expect(entry.description?.length ?? 0).toBeGreaterThan(0);
    const used = [...entry.message.matchAll(/\$\$|\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]).filter((name): name is string => name !== undefined);
    const declared = Object.keys(entry.placeholders ?? {});
    // Every $NAME$ has a placeholder, and every placeholder is used.
    expect(new Set(used.map((name) => name.toLowerCase()))).toStrictEqual(new Set(declared));
    for (const placeholder of Object.values(entry.placeholders ?? {})) expect(placeholder.content).toMatch(/^\$[1-9]$/);
    // A lone "$" would be eaten by the browser: write "$$".
    expect(entry.message.replace(/\$\$|\$[A-Za-z0-9_]+\$/g, '')).not.toContain('$');
  });

  it('every key used in the sources exists, and every key is used', () => {
    const sources = [...sourceFiles(join(ROOT, 'src')), join(ROOT, 'manifest.json')].map((file) => readFileSync(file, 'utf8')).join('\n');
    const used = new Set([...sources.matchAll(/['"]([a-z][A-Za-z0-9]+)['"]/g)].map((m) => m[1]));
    const manifestKeys = [...sources.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]);
    for (const key of manifestKeys) expect(english, `manifest uses ${key}`).toHaveProperty(key ?? '');
    const unused = Object.keys(english).filter((key) => !used.has(key) && !manifestKeys.includes(key));
    expect(unused).toStrictEqual([]);
  });
});
