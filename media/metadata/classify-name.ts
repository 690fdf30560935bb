import type { MediaClass } from "../library/media-types.js";
import { isCoverName } from "./find-cover.js";

/** What a file name says a file is, before its content has been read. */
export interface NameClass {
  mediaClass: MediaClass;
  /** MIME type the extension implies; the content may refine it (see the dlna-*-profile tables). */
  mime: string;
}

/**
 * Extensions the indexer lists, with the MIME type a renderer expects for each. Types follow
 * MiniDLNA where it has one (audio/x-flac, video/x-matroska, video/x-msvideo), because those are
 * what TVs have been tested against for fifteen years; WAV is audio/wav (RFC 2361 and what
 * Samsung and LG sinks list in their GetProtocolInfo).
 */
const BY_EXTENSION: Readonly<Record<string, NameClass>> = {
  mp3: { mediaClass: "audio", mime: "audio/mpeg" },
  mp2: { mediaClass: "audio", mime: "audio/mpeg" },
  flac: { mediaClass: "audio", mime: "audio/x-flac" },
  m4a: { mediaClass: "audio", mime: "audio/mp4" },
  m4b: { mediaClass: "audio", mime: "audio/mp4" },
  // ADTS: DLNA Guidelines (2006) vol. 2 §7.3.29, AAC_ADTS profiles use audio/vnd.dlna.adts.
  aac: { mediaClass: "audio", mime: "audio/vnd.dlna.adts" },
  ogg: { mediaClass: "audio", mime: "audio/ogg" },
  oga: { mediaClass: "audio", mime: "audio/ogg" },
  // RFC 7845 §9: Opus in Ogg is audio/ogg.
  opus: { mediaClass: "audio", mime: "audio/ogg" },
  wav: { mediaClass: "audio", mime: "audio/wav" },
  wma: { mediaClass: "audio", mime: "audio/x-ms-wma" },
  aif: { mediaClass: "audio", mime: "audio/aiff" },
  aiff: { mediaClass: "audio", mime: "audio/aiff" },
  ape: { mediaClass: "audio", mime: "audio/x-ape" },
  wv: { mediaClass: "audio", mime: "audio/x-wavpack" },
  mka: { mediaClass: "audio", mime: "audio/x-matroska" },
  dsf: { mediaClass: "audio", mime: "audio/x-dsd" },
  dff: { mediaClass: "audio", mime: "audio/x-dsd" },
  mp4: { mediaClass: "video", mime: "video/mp4" },
  m4v: { mediaClass: "video", mime: "video/mp4" },
  mkv: { mediaClass: "video", mime: "video/x-matroska" },
  webm: { mediaClass: "video", mime: "video/webm" },
  avi: { mediaClass: "video", mime: "video/x-msvideo" },
  mov: { mediaClass: "video", mime: "video/quicktime" },
  ts: { mediaClass: "video", mime: "video/mp2t" },
  m2ts: { mediaClass: "video", mime: "video/mp2t" },
  mts: { mediaClass: "video", mime: "video/mp2t" },
  mpg: { mediaClass: "video", mime: "video/mpeg" },
  mpeg: { mediaClass: "video", mime: "video/mpeg" },
  vob: { mediaClass: "video", mime: "video/mpeg" },
  wmv: { mediaClass: "video", mime: "video/x-ms-wmv" },
  asf: { mediaClass: "video", mime: "video/x-ms-asf" },
  flv: { mediaClass: "video", mime: "video/x-flv" },
  "3gp": { mediaClass: "video", mime: "video/3gpp" },
  ogv: { mediaClass: "video", mime: "video/ogg" },
  jpg: { mediaClass: "image", mime: "image/jpeg" },
  jpeg: { mediaClass: "image", mime: "image/jpeg" },
  jpe: { mediaClass: "image", mime: "image/jpeg" },
  png: { mediaClass: "image", mime: "image/png" },
  gif: { mediaClass: "image", mime: "image/gif" },
  webp: { mediaClass: "image", mime: "image/webp" },
  heic: { mediaClass: "image", mime: "image/heic" },
  heif: { mediaClass: "image", mime: "image/heif" },
  avif: { mediaClass: "image", mime: "image/avif" },
  bmp: { mediaClass: "image", mime: "image/bmp" },
  tif: { mediaClass: "image", mime: "image/tiff" },
  tiff: { mediaClass: "image", mime: "image/tiff" },
};
// A Map, so that a file named "x.constructor" does not find Object.prototype's members.
const TABLE = new Map(Object.entries(BY_EXTENSION));

/** The lower-cased extension of a file name without the dot ("" when there is none). */
export function extensionOf(name: string): string {
  const slash = name.lastIndexOf("/");
  const dot = name.lastIndexOf(".");
  // ".mp3" alone is a hidden file with no extension, as the shell sees it.
  if (dot <= slash + 1) return "";
  return name.slice(dot + 1).toLowerCase();
}

/**
 * The media class and MIME type a file name implies, or undefined when the indexer should not
 * list the file: unknown extensions, sidecar subtitles (.srt/.ass/.ssa/.vtt, attached to their
 * video by findSubtitles) and folder covers (cover.jpg, folder.png: album art, as MiniDLNA treats
 * them). Case-insensitive; accepts a bare name or a relative path.
 */
export function classifyName(name: string): NameClass | undefined {
  const found = TABLE.get(extensionOf(name));
  if (found === undefined) return undefined;
  if (found.mediaClass === "image" && isCoverName(name.slice(name.lastIndexOf("/") + 1))) {
    return undefined;
  }
  return found;
}
