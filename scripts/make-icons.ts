/**
 * Writes public/icons/*.png from the same pixel art the service worker draws, so the static
 * icons and the live ones match. Run after changing src/core/icon/iconBitmap.ts: `npx tsx scripts/make-icons.ts`.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { renderIcon } from '../src/core/icon/iconBitmap';
import type { IconPattern } from '../src/core/icon/iconPattern';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(rgba: Uint8ClampedArray, size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const unknown: IconPattern = { main: '?', has4: false, has6: false };
const logo: IconPattern = { main: '6', has4: true, has6: false };
mkdirSync('public/icons', { recursive: true });
for (const [name, pattern, scale] of [
  ['icon-16', unknown, 1],
  ['icon-32', unknown, 2],
  ['logo-48', logo, 3],
  ['logo-128', logo, 8],
] as const) {
  writeFileSync(`public/icons/${name}.png`, png(renderIcon(pattern, scale), 16 * scale));
}
console.log('icons written to public/icons');
