import { describe, expect, it } from 'vitest';
import { FAMILY_COLOURS, renderIcon } from '../../src/core/icon/iconBitmap';
import type { IconPattern, MainGlyph } from '../../src/core/icon/iconPattern';

const MAINS: MainGlyph[] = ['4', '6', '?'];
const PATTERNS: IconPattern[] = MAINS.flatMap((main) => [
  { main, has4: false, has6: false },
  { main, has4: true, has6: false },
  { main, has4: false, has6: true },
  { main, has4: true, has6: true },
]);
const name = (p: IconPattern): string => `${p.main}${p.has4 ? '4' : ''}${p.has6 ? '6' : ''}`;

type Rgba = [number, number, number, number];

/** The pixel at (x, y) of a square RGBA image. */
function pixel(image: Uint8ClampedArray, x: number, y: number): Rgba {
  const size = Math.sqrt(image.length / 4);
  const o = (y * size + x) * 4;
  return [image[o] ?? -1, image[o + 1] ?? -1, image[o + 2] ?? -1, image[o + 3] ?? -1];
}

const opaque = (rgb: readonly [number, number, number]): Rgba => [rgb[0], rgb[1], rgb[2], 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

describe('renderIcon', () => {
  it.each(PATTERNS.flatMap((p) => [1, 2, 3].map((scale) => [name(p), scale, p] as const)))(
    '%s at scale %i is (16·scale)² RGBA pixels',
    (_name, scale, pattern) => {
      expect(renderIcon(pattern, scale)).toHaveLength(16 * scale * 16 * scale * 4);
    },
  );

  it.each(PATTERNS.map((p) => [name(p), p] as const))('%s: 32 px is exactly the 16 px image doubled', (_name, pattern) => {
    const small = renderIcon(pattern, 1);
    const large = renderIcon(pattern, 2);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const want = pixel(small, x >> 1, y >> 1);
        const got = pixel(large, x, y);
        if (got.some((v, i) => v !== want[i])) expect(got, `pixel ${x},${y}`).toEqual(want);
      }
    }
  });

  it.each(PATTERNS.map((p) => [name(p), p] as const))('%s: corners are transparent, pixels fully opaque or clear', (_name, pattern) => {
    for (const scale of [1, 2]) {
      const image = renderIcon(pattern, scale);
      const last = 16 * scale - 1;
      for (const [x, y] of [
        [0, 0],
        [last, 0],
        [0, last],
        [last, last],
      ] as const) {
        expect(pixel(image, x, y)[3], `corner ${x},${y} at scale ${scale}`).toBe(0);
      }
      const alphas = new Set<number>();
      for (let i = 3; i < image.length; i += 4) alphas.add(image[i] ?? -1);
      expect([...alphas].sort((a, b) => a - b)).toEqual([0, 255]);
    }
  });

  it.each(PATTERNS.map((p) => [name(p), p] as const))('%s: marker tiles only where the pattern has them', (_name, pattern) => {
    const image = renderIcon(pattern, 1);
    const marker = pattern.has4 || pattern.has6;
    // Main tile: its left edge carries the main family's colour; white ink is drawn on it.
    expect(pixel(image, 0, 8)).toEqual(opaque(FAMILY_COLOURS[pattern.main]));
    // Column 10 is the gap between the main tile and the markers, or part of the full tile.
    // (below the glyph, which spans rows 3-12).
    expect(pixel(image, 10, 14)).toEqual(marker ? CLEAR : opaque(FAMILY_COLOURS[pattern.main]));
    // IPv4 marker above, IPv6 marker below, at fixed places.
    expect(pixel(image, 11, 3)).toEqual(pattern.has4 ? opaque(FAMILY_COLOURS['4']) : marker ? CLEAR : opaque(FAMILY_COLOURS[pattern.main]));
    expect(pixel(image, 11, 12)).toEqual(pattern.has6 ? opaque(FAMILY_COLOURS['6']) : marker ? CLEAR : opaque(FAMILY_COLOURS[pattern.main]));
    // Marker ink (top-left cell of each marker glyph is '#').
    expect(pixel(image, 12, 1)).toEqual(pattern.has4 ? WHITE : marker ? CLEAR : opaque(FAMILY_COLOURS[pattern.main]));
    expect(pixel(image, 12, 10)).toEqual(pattern.has6 ? WHITE : marker ? CLEAR : opaque(FAMILY_COLOURS[pattern.main]));
    // The rows between the two marker tiles stay clear.
    if (marker) for (const y of [7, 8]) for (let x = 10; x < 16; x++) expect(pixel(image, x, y)).toEqual(CLEAR);
  });

  it.each(PATTERNS.map((p) => [name(p), p] as const))('%s: only white ink and the tile colours are used', (_name, pattern) => {
    const allowed = new Set([WHITE, CLEAR, ...Object.values(FAMILY_COLOURS).map(opaque)].map((c) => c.join(',')));
    const image = renderIcon(pattern, 1);
    let ink = 0;
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        const p = pixel(image, x, y);
        expect(allowed.has(p.join(',')), `pixel ${x},${y} = ${p.join(',')}`).toBe(true);
        if (p.join(',') === WHITE.join(',')) ink++;
      }
    }
    expect(ink).toBeGreaterThan(10);
  });

  it('draws a different image for every pattern', () => {
    const images = new Set(PATTERNS.map((p) => renderIcon(p, 1).join(',')));
    expect(images.size).toBe(PATTERNS.length);
  });

  it('tile colours are distinct per family', () => {
    expect(new Set(Object.values(FAMILY_COLOURS).map((c) => c.join(','))).size).toBe(3);
  });
});
