import type { IndexedFile } from "./media-types.js";

/**
 * What the catalog stores per item under "o<id>" (README.md "Records"). Short keys because this
 * is written once per file; absent fields are unknown. Text is already XML-safe (`cleanText`).
 * Everything a file's virtual placement depends on is here, so placements are a pure function
 * of the record: a removal finds exactly the child entries its insertion wrote.
 */
export interface ItemRecord {
  /** Media class: audio, video, picture. */
  k: "a" | "v" | "p";
  /** The real folder's container id (the canonical parent). */
  p: string;
  /** The exact file name (not cleaned: it is part of the path). */
  f: string;
  /** Size in bytes. */
  z: number;
  /** MIME type. */
  m: string;
  /** Title from tags, when there is one. */
  t?: string;
  /** DLNA.ORG_PN. */
  pn?: string;
  /** Duration in seconds, millisecond precision. */
  d?: number;
  w?: number;
  h?: number;
  /** Bitrate, bits per second. */
  b?: number;
  /** Sample rate, Hz. */
  s?: number;
  ch?: number;
  ar?: string;
  aa?: string;
  al?: string;
  g?: string;
  tn?: number;
  dn?: number;
  y?: number;
  /** Pictures: local date and time taken ("YYYY-MM-DDThh:mm:ss"), else the file's mtime. */
  dt?: string;
  /** The album's folder id when it is not `p` (tracks in a "CD1" subfolder). */
  af?: string;
  /** Subtitles: [root-relative path, format, MIME, language?]. */
  sb?: Array<[string, string, string] | [string, string, string, string]>;
  /** Root-relative path of the folder's cover image. */
  cv?: string;
  /** 1 when the file embeds cover art. */
  ea?: 1;
  /** 1 when the file's metadata could not be read. */
  er?: 1;
}

/** A container kind: how it renders (upnp:class) and how its title is found. */
export type ContainerKind = "c" | "f" | "r" | "al" | "ar" | "g";

/** What the catalog stores per container under "o<id>". */
export interface ContainerRecord {
  c: ContainerKind;
  /** Title ("" for root folders: their title comes from the configured roots). */
  t: string;
  /** Parent container id. */
  p: string;
  /** Sort key in the parent's child list; kept so removal deletes exactly that entry. */
  k: string;
  /** Child count. */
  n: number;
  /** Container update id: the SystemUpdateID of the last change of its children or itself. */
  u: number;
  /** Root index, on real folders and on root folders of every tree. */
  r?: number;
  /** Real folders: the exact root-relative path ("" for a root). */
  d?: string;
  /** Albums: the album artist (or artist). */
  ar?: string;
  /** Albums: the year. */
  y?: number;
}

/** Longest stored title or tag; longer text is cut (DIDL stays small, titles stay readable). */
const MAX_TEXT_CHARS = 256;

/**
 * Text that can go into XML 1.0 as is once escaped: no C0 controls other than tab/newline, no
 * lone surrogates, no U+FFFE/U+FFFF; trimmed and capped. Undefined for empty text.
 */
export function cleanText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const cleaned = text
    // Control characters are exactly what this removes: XML 1.0 forbids them.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned === "") return undefined;
  const chars = [...cleaned];
  return chars.length > MAX_TEXT_CHARS ? chars.slice(0, MAX_TEXT_CHARS).join("") : cleaned;
}

/** The title to show: the tag title, else the file name without its extension. */
export function itemTitle(record: ItemRecord): string {
  if (record.t !== undefined) return record.t;
  const dot = record.f.lastIndexOf(".");
  const base = dot > 0 ? record.f.slice(0, dot) : record.f;
  return cleanText(base) ?? cleanText(record.f) ?? "Untitled";
}

/** A whole positive number, else undefined (tags hold 0, NaN and negative values in the wild). */
export function positiveInt(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 1
    ? Math.round(value)
    : undefined;
}

/** The local date of an mtime as "YYYY-MM-DDThh:mm:ss" (what a camera's EXIF date looks like). */
export function localDateTime(mtimeMs: number): string {
  const date = new Date(mtimeMs);
  const two = (n: number): string => String(n).padStart(2, "0");
  const day = `${String(date.getFullYear()).padStart(4, "0")}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return `${day}T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** A picture's date: EXIF date taken when it looks like one, else the file's local mtime. */
export function pictureDate(file: IndexedFile): string {
  const taken = file.image?.takenAt;
  if (taken !== undefined && /^\d{4}-(0[1-9]|1[0-2])-\d{2}/.test(taken)) {
    return taken.slice(0, 19);
  }
  return localDateTime(file.mtimeMs);
}
