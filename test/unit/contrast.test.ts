/**
 * WCAG 2 contrast of every text/background pair the pages use, in both themes, read from the
 * shared theme file itself; and of the toolbar icon's tile/ink pairs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PALETTES } from '../../src/core/icon/iconBitmap';

type Rgb = readonly [number, number, number];

const css = readFileSync(new URL('../../src/ui/theme.css', import.meta.url), 'utf8');

function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
const light = variables(css.slice(0, darkStart));
const dark = { ...light, ...variables(css.slice(darkStart)) };

function rgb(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (value: number): number => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE = '#ffffff';
/** [foreground, background, minimum]: 4.5 for text, 3 for focus outlines (non-text). */
const PAIRS: [string, string, number][] = [
  ['fg', 'bg', 4.5],
  ['muted', 'bg', 4.5],
  ['warn', 'bg', 4.5],
  ['link', 'bg', 4.5],
  ['fg', 'live', 4.5],
  ['muted', 'live', 4.5],
  ['link', 'live', 4.5],
  ['fg', 'special', 4.5],
  ['focus', 'bg', 3],
  ['focus', 'live', 3],
  // Family badges: white text on the family colour.
  [WHITE, 'v6', 4.5],
  [WHITE, 'v4', 4.5],
  [WHITE, 'unknown', 4.5],
];

describe.each([
  ['light', light],
  ['dark', dark],
])('%s theme', (_name, theme) => {
  const colour = (name: string): Rgb => {
    const hex = name.startsWith('#') ? name : theme[name];
    if (hex === undefined) throw new Error(`--${name} is not defined`);
    return rgb(hex);
  };
  it.each(PAIRS)('%s on %s reaches %d:1', (fg, bg, minimum) => {
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(minimum);
  });
});

describe('toolbar icon palettes', () => {
  it.each(Object.entries(PALETTES).flatMap(([tone, palette]) => Object.entries(palette.tiles).map(([glyph, tile]) => [tone, glyph, tile, palette.ink] as const)))(
    '%s toolbar, tile %s: ink reaches 4.5:1',
    (_tone, _glyph, tile, ink) => {
      expect(contrast(tile, ink)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('the light toolbar’s tiles are dark and the dark toolbar’s tiles are light', () => {
    for (const tile of Object.values(PALETTES.light.tiles)) expect(luminance(tile)).toBeLessThan(0.2);
    for (const tile of Object.values(PALETTES.dark.tiles)) expect(luminance(tile)).toBeGreaterThan(0.3);
  });
});
