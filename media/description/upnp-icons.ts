import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One icon of the device description. */
export interface UpnpIcon {
  /** File name under icons/ and the last segment of its URL ("icon-48.png"). */
  name: string;
  mime: "image/png" | "image/jpeg";
  width: number;
  height: number;
  /** Bits per pixel: 24 (RGB, no alpha), as DLNA's icon profiles expect. */
  depth: number;
  /** Path under the media prefix where it is served. */
  path: string;
}

function icon(size: 48 | 120, format: "png" | "jpg"): UpnpIcon {
  const name = `icon-${size}.${format}`;
  return {
    name,
    mime: format === "png" ? "image/png" : "image/jpeg",
    width: size,
    height: size,
    depth: 24,
    path: `/upnp/${name}`,
  };
}

/**
 * The icons, in description order: PNG first (MiniDLNA's order; Windows takes the first one it
 * can show), then JPEG for renderers that only decode JPEG (DLNA's JPEG_SM/PNG_SM icon sizes
 * are 48 and 120).
 */
export const UPNP_ICONS: readonly UpnpIcon[] = [
  icon(48, "png"),
  icon(120, "png"),
  icon(48, "jpg"),
  icon(120, "jpg"),
];

// Resolved from this module, so it works from the sources (tsx) and from dist/ (copy-assets.mjs
// copies media/description/icons next to the compiled module).
const ICON_DIR = fileURLToPath(new URL("./icons/", import.meta.url));

/**
 * The absolute path of an icon file by name ("icon-48.png"), or undefined for a name that is not
 * one of UPNP_ICONS (a request path never reaches the filesystem) or a file that is missing.
 */
export function iconFile(name: string): string | undefined {
  if (!UPNP_ICONS.some((i) => i.name === name)) return undefined;
  const path = ICON_DIR + name;
  return existsSync(path) ? path : undefined;
}
