/**
 * Pixel-art toolbar icons drawn into RGBA buffers: crisp at 16 px and exactly doubled at 32 px,
 * with no dependency on fonts in the service worker. Every glyph sits on a coloured tile; the
 * light-toolbar palette has deep tiles with white ink, the dark-toolbar one bright tiles with dark
 * ink, so the tiles stand out from the toolbar in either case.
 */
import type { IconPattern, MainGlyph } from './iconPattern';
import type { ColorScheme } from '../settings/settings';

type Rgb = readonly [number, number, number];

export interface IconPalette {
  tiles: Record<MainGlyph, Rgb>;
  ink: Rgb;
}

// Tile and ink pairs with at least 4.5:1 contrast.
/** Keyed by the toolbar's colour scheme. */
export const PALETTES: Record<ColorScheme, IconPalette> = {
  light: {
    tiles: { '6': [0x15, 0x80, 0x3d], '4': [0xb4, 0x3c, 0x0c], '?': [0x5b, 0x63, 0x70] },
    ink: [0xff, 0xff, 0xff],
  },
  dark: {
    tiles: { '6': [0x4a, 0xde, 0x80], '4': [0xfb, 0x92, 0x3c], '?': [0xc4, 0xc9, 0xd0] },
    ink: [0x11, 0x18, 0x27],
  },
};

/** The light-toolbar tiles, the default. */
export const FAMILY_COLOURS = PALETTES.light.tiles;

const MAIN_GLYPHS: Record<MainGlyph, readonly string[]> = {
  '4': ['...##.', '..###.', '.####.', '##.##.', '##.##.', '######', '######', '...##.', '...##.', '...##.'],
  '6': ['.####.', '##..##', '##....', '##....', '#####.', '##..##', '##..##', '##..##', '##..##', '.####.'],
  '?': ['.####.', '##..##', '....##', '....##', '...##.', '..##..', '..##..', '......', '..##..', '..##..'],
};

const MARKER_GLYPHS: Record<'4' | '6', readonly string[]> = {
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '6': ['###', '#..', '###', '#.#', '###'],
};

class Canvas16 {
  readonly pixels: Uint8ClampedArray<ArrayBuffer>;
  constructor(
    readonly scale: number,
    readonly ink: Rgb,
  ) {
    this.pixels = new Uint8ClampedArray(16 * scale * 16 * scale * 4);
  }
  /** Fills one 16-grid cell (scale × scale device pixels). */
  cell(x: number, y: number, colour: Rgb, alpha = 255): void {
    const size = 16 * this.scale;
    for (let dy = 0; dy < this.scale; dy++) {
      for (let dx = 0; dx < this.scale; dx++) {
        const offset = ((y * this.scale + dy) * size + (x * this.scale + dx)) * 4;
        this.pixels[offset] = colour[0];
        this.pixels[offset + 1] = colour[1];
        this.pixels[offset + 2] = colour[2];
        this.pixels[offset + 3] = alpha;
      }
    }
  }
  /** A tile with its four corner cells left clear, for a rounded look. */
  tile(x0: number, y0: number, x1: number, y1: number, colour: Rgb): void {
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const corner = (x === x0 || x === x1) && (y === y0 || y === y1);
        if (!corner) this.cell(x, y, colour);
      }
    }
  }
  glyph(rows: readonly string[], x0: number, y0: number): void {
    rows.forEach((row, y) => {
      for (let x = 0; x < row.length; x++) if (row[x] === '#') this.cell(x0 + x, y0 + y, this.ink);
    });
  }
}

/** RGBA pixels of a square icon of 16 × scale pixels. */
export function renderIcon(pattern: IconPattern, scale: number, palette: IconPalette = PALETTES.light): Uint8ClampedArray<ArrayBuffer> {
  const canvas = new Canvas16(scale, palette.ink);
  const tiles = palette.tiles;
  const hasMarker = pattern.has4 || pattern.has6;
  if (!hasMarker) {
    canvas.tile(0, 0, 15, 15, tiles[pattern.main]);
    canvas.glyph(MAIN_GLYPHS[pattern.main], 5, 3);
    return canvas.pixels;
  }
  canvas.tile(0, 0, 9, 15, tiles[pattern.main]);
  canvas.glyph(MAIN_GLYPHS[pattern.main], 2, 3);
  // Fixed places, so the position says the family too: IPv4 above, IPv6 below.
  if (pattern.has4) {
    canvas.tile(11, 0, 15, 6, tiles['4']);
    canvas.glyph(MARKER_GLYPHS['4'], 12, 1);
  }
  if (pattern.has6) {
    canvas.tile(11, 9, 15, 15, tiles['6']);
    canvas.glyph(MARKER_GLYPHS['6'], 12, 10);
  }
  return canvas.pixels;
}
