#!/usr/bin/env node
// Draws the app icons (a board: three columns of cards on the brand blue) as PNGs with no external tools:
// shapes are sampled 4x4 per pixel for anti-aliasing and encoded with node:zlib. Run after changing the
// design: `node scripts/make-icons.mjs`; the PNGs are committed (client/public/icons/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'client/public/icons');

const BLUE = [31, 111, 235];
const WHITE = [255, 255, 255];

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The glyph in unit coordinates inside [g0, g1]: three columns, each with cards (3, 2, 1). */
function glyphLayers(g0, g1) {
  const size = g1 - g0;
  const gap = size * 0.06;
  const colW = (size - 2 * gap) / 3;
  const layers = [];
  const cards = [3, 2, 1];
  for (let i = 0; i < 3; i++) {
    const x0 = g0 + i * (colW + gap);
    layers.push({ shape: [x0, g0, x0 + colW, g1, size * 0.05], color: WHITE, alpha: 0.22 });
    const pad = colW * 0.14;
    const cardH = (size - pad * 4) / 3.6;
    for (let c = 0; c < cards[i]; c++) {
      const y0 = g0 + pad + c * (cardH + pad);
      layers.push({ shape: [x0 + pad, y0, x0 + colW - pad, y0 + cardH, size * 0.03], color: WHITE, alpha: 1 });
    }
  }
  return layers;
}

function draw(size, { maskable }) {
  const layers = [
    { shape: maskable ? [0, 0, 1, 1, 0] : [0.02, 0.02, 0.98, 0.98, 0.2], color: BLUE, alpha: 1 },
    // Maskable icons may be cut to a circle of 80% diameter: keep the glyph well inside it.
    ...glyphLayers(maskable ? 0.29 : 0.2, maskable ? 0.71 : 0.8),
  ];
  const rgba = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          // Composite layers "over", front to back order reversed (paint in order).
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const { shape, color, alpha } of layers) {
            if (!inRoundRect(x, y, ...shape)) continue;
            cr = color[0] * alpha + cr * (1 - alpha);
            cg = color[1] * alpha + cg * (1 - alpha);
            cb = color[2] * alpha + cb * (1 - alpha);
            ca = alpha + ca * (1 - alpha);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = S * S;
      const i = (py * size + px) * 4;
      const alpha = a / n;
      // Colors were accumulated premultiplied; un-premultiply for PNG.
      rgba[i] = alpha ? Math.round(r / n / alpha) : 0;
      rgba[i + 1] = alpha ? Math.round(g / n / alpha) : 0;
      rgba[i + 2] = alpha ? Math.round(b / n / alpha) : 0;
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, rgba);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(outDir, { recursive: true });
  const icons = [
    ['icon-192.png', 192, false],
    ['icon-512.png', 512, false],
    ['icon-maskable-512.png', 512, true],
    ['apple-touch-icon-180.png', 180, true],
  ];
  for (const [name, size, maskable] of icons) {
    writeFileSync(join(outDir, name), draw(size, { maskable }));
    console.log(`wrote client/public/icons/${name}`);
  }
}
