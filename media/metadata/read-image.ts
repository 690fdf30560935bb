import { closeSync, openSync, readSync } from "node:fs";
import exifr from "exifr";
import { imageSize } from "image-size";
import type { ImageMeta } from "../library/media-types.js";
import { imageProfile } from "./dlna-image-profile.js";
import type { MediaDetails } from "./media-format.js";
import { positiveInt } from "./tag-values.js";

/**
 * How much of a picture is read to find its size: most headers sit in the first kilobytes, but a
 * JPEG's frame header follows its APP segments (EXIF, ICC profiles, maker notes with previews),
 * which can run to a few hundred kilobytes. Read more only when the first read was not enough.
 */
const READ_STEPS = [128 << 10, 2 << 20, 16 << 20];
/** Formats exifr reads; GIF, BMP and WebP carry no EXIF it understands. */
const EXIF_FORMATS = new Set(["jpeg", "png", "tiff", "heif", "avif"]);

function readSize(absPath: string): { head: Buffer; size: ReturnType<typeof imageSize> } {
  // Synchronous reads: this runs in a metadata worker thread (see buffered-tokenizer.ts).
  const fd = openSync(absPath, "r");
  try {
    let lastError: unknown;
    for (const length of READ_STEPS) {
      const head = Buffer.allocUnsafe(length);
      const bytesRead = readSync(fd, head, 0, length, 0);
      try {
        return { head: head.subarray(0, bytesRead), size: imageSize(head.subarray(0, bytesRead)) };
      } catch (err) {
        lastError = err;
        if (bytesRead < length) break; // the whole file was read; more will not help
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new Error(`cannot read the picture's dimensions: ${reason}`, { cause: lastError });
  } finally {
    closeSync(fd);
  }
}

/** EXIF "2021:06:15 14:30:05" (+ OffsetTimeOriginal) as ISO 8601; undefined for "0000:00:00 …". */
function isoDate(value: unknown, offset: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (y < 1800 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return undefined;
  // EXIF times are camera-local; without an offset tag the ISO string has no zone, on purpose.
  const zone = typeof offset === "string" && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : "";
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`;
}

interface ExifFacts {
  DateTimeOriginal?: unknown;
  CreateDate?: unknown;
  OffsetTimeOriginal?: unknown;
  OffsetTimeDigitized?: unknown;
  Orientation?: unknown;
}

async function readExif(input: Buffer | string): Promise<ExifFacts | undefined> {
  try {
    return (await exifr.parse(input, {
      pick: [
        "DateTimeOriginal",
        "CreateDate",
        "OffsetTimeOriginal",
        "OffsetTimeDigitized",
        "Orientation",
      ],
      // Keep the raw strings: exifr would turn them into Dates in this process's time zone.
      reviveValues: false,
      translateValues: false,
    })) as ExifFacts | undefined;
  } catch {
    // EXIF is optional: a picture with a damaged EXIF block is still a picture with a size.
    return undefined;
  }
}

/**
 * Reads a picture's format and pixel size (image-size, from the first bytes only) and its date
 * taken and orientation (exifr). Throws when the size cannot be read: such a file is not a
 * picture a renderer could show.
 */
export async function readImage(absPath: string, fallbackMime: string): Promise<MediaDetails> {
  const { head, size } = readSize(absPath);
  const format = size.type === "jpg" ? "jpeg" : size.type === "tif" ? "tiff" : size.type;
  const image: ImageMeta = { format };
  const width = positiveInt(size.width);
  const height = positiveInt(size.height);
  if (width !== undefined) image.width = width;
  if (height !== undefined) image.height = height;
  if (format !== undefined && EXIF_FORMATS.has(format)) {
    // A JPEG's EXIF sits in its first APP segments, already in `head`; HEIF and PNG may keep it
    // further in, where exifr's own chunked reader finds it.
    const exif = await readExif(format === "jpeg" ? head : absPath);
    const takenAt =
      isoDate(exif?.DateTimeOriginal, exif?.OffsetTimeOriginal) ??
      isoDate(exif?.CreateDate, exif?.OffsetTimeDigitized);
    if (takenAt !== undefined) image.takenAt = takenAt;
    const orientation = positiveInt(exif?.Orientation ?? size.orientation);
    if (orientation !== undefined && orientation <= 8) image.orientation = orientation;
  }
  return { mediaClass: "image", ...imageProfile(image, fallbackMime), image };
}
