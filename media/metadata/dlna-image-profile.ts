import type { ImageMeta } from "../library/media-types.js";
import type { MediaFormat } from "./media-format.js";

interface ImageRule {
  format: string;
  profile: string;
  maxWidth: number;
  maxHeight: number;
}

/**
 * Image profiles by real format and pixel size, smallest first; first match wins. Sizes are the
 * DLNA Guidelines (2006) vol. 2 image profiles, compared as MiniDLNA does (width against the
 * first number, height against the second, so a 480x640 portrait is JPEG_MED, not JPEG_SM).
 * Larger images get no profile, as MiniDLNA does in strict mode: TVs refuse a JPEG_LRG above
 * 4096x4096 rather than scale it.
 */
const RULES: readonly ImageRule[] = [
  // JPEG_TN is also the thumbnail profile; an item this small is its own thumbnail.
  { format: "jpeg", profile: "JPEG_TN", maxWidth: 160, maxHeight: 160 },
  { format: "jpeg", profile: "JPEG_SM", maxWidth: 640, maxHeight: 480 },
  { format: "jpeg", profile: "JPEG_MED", maxWidth: 1024, maxHeight: 768 },
  { format: "jpeg", profile: "JPEG_LRG", maxWidth: 4096, maxHeight: 4096 },
  { format: "png", profile: "PNG_TN", maxWidth: 160, maxHeight: 160 },
  { format: "png", profile: "PNG_LRG", maxWidth: 4096, maxHeight: 4096 },
  { format: "gif", profile: "GIF_LRG", maxWidth: 1600, maxHeight: 1200 },
];

const MIME_BY_FORMAT: ReadonlyMap<string, string> = new Map([
  ["jpeg", "image/jpeg"],
  ["png", "image/png"],
  ["gif", "image/gif"],
  ["webp", "image/webp"],
  ["bmp", "image/bmp"],
  ["tiff", "image/tiff"],
  ["avif", "image/avif"],
]);

/**
 * MIME type and DLNA.ORG_PN for a picture. The format is the one read from the bytes (a PNG
 * named .jpg is served as image/png); HEIF keeps the name's type (image/heic or image/heif).
 */
export function imageProfile(image: ImageMeta, fallbackMime: string): MediaFormat {
  const format = image.format;
  const mime = (format !== undefined ? MIME_BY_FORMAT.get(format) : undefined) ?? fallbackMime;
  const { width, height } = image;
  if (width === undefined || height === undefined) return { mime };
  const rule = RULES.find(
    (r) => r.format === format && width <= r.maxWidth && height <= r.maxHeight,
  );
  return rule === undefined ? { mime } : { mime, dlnaProfile: rule.profile };
}
