// Draws hearth's device icon (a flame in a house) and writes icons/icon-{48,120}.{png,jpg}.
// Run once after changing the drawing: `node media/description/make-icons.mjs [outDir]`; the
// files are committed. PNG is written here (RGB, zlib), JPEG by ffmpeg from it with bitexact flags,
// so the same tools give the same bytes (test/media/description/upnp-icons.test.ts checks).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const BACKGROUND = [43, 33, 26];
const HOUSE = [243, 230, 207];
const FLAME = [232, 100, 27];
const CORE = [255, 197, 61];
const SUBSAMPLES = 4;

/** A teardrop: a circle (cx, cy, r) under a cone whose tip is at (cx, tipY). */
function inFlame(x, y, cx, cy, r, tipY) {
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  if (y < tipY || y > cy) return false;
  const distance = cy - tipY;
  const slope = r / Math.sqrt(distance * distance - r * r); // tangent of the cone's half angle
  return Math.abs(x - cx) <= (y - tipY) * slope;
}

function inHouse(x, y) {
  // Roof: a triangle from the apex to the eaves; body: a rectangle under it.
  const roof = y >= 0.14 && y <= 0.5 && Math.abs(x - 0.5) <= ((y - 0.14) / 0.36) * 0.38;
  const body = y >= 0.5 && y <= 0.86 && x >= 0.22 && x <= 0.78;
  return roof || body;
}

function colourAt(x, y) {
  if (inFlame(x, y, 0.5, 0.7, 0.13, 0.36)) {
    return inFlame(x, y, 0.5, 0.74, 0.07, 0.52) ? CORE : FLAME;
  }
  return inHouse(x, y) ? HOUSE : BACKGROUND;
}

/** RGB rows of a size×size picture, each pixel the mean of SUBSAMPLES² samples (smooth edges). */
function draw(size) {
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 3); // leading 0: PNG filter "none"
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const c = colourAt(
            (px + (sx + 0.5) / SUBSAMPLES) / size,
            (py + (sy + 0.5) / SUBSAMPLES) / size,
          );
          for (let i = 0; i < 3; i++) sum[i] += c[i];
        }
      }
      for (let i = 0; i < 3; i++)
        row[1 + px * 3 + i] = Math.round(sum[i] / (SUBSAMPLES * SUBSAMPLES));
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type RGB: depth 24, as the description says
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(draw(size), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const outDir = process.argv[2] ?? join(fileURLToPath(new URL(".", import.meta.url)), "icons");
mkdirSync(outDir, { recursive: true });
for (const size of [48, 120]) {
  const pngPath = join(outDir, `icon-${size}.png`);
  writeFileSync(pngPath, png(size));
  // Baseline JPEG, 4:2:0, no metadata: what every renderer's JPEG decoder takes.
  execFileSync(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-y", "-i", pngPath],
      ...["-frames:v", "1", "-pix_fmt", "yuvj420p", "-q:v", "2", "-map_metadata", "-1"],
      ...["-flags", "+bitexact", "-fflags", "+bitexact", "-f", "image2", "-update", "1"],
      join(outDir, `icon-${size}.jpg`),
    ],
    { stdio: "inherit" },
  );
}
