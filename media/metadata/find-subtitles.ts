import type { SubtitleRef } from "../library/media-types.js";
import { classifyName, extensionOf } from "./classify-name.js";

/**
 * MIME types for sidecar subtitles. text/srt is what LG and Samsung sinks list and what MiniDLNA
 * sends; ASS/SSA and WebVTT have no DLNA profile, so these are the de-facto names Kodi and VLC
 * accept.
 */
const MIME_BY_FORMAT: ReadonlyMap<string, string> = new Map([
  ["srt", "text/srt"],
  ["vtt", "text/vtt"],
  ["ass", "text/x-ass"],
  ["ssa", "text/x-ssa"],
]);
/** Renderers that show one subtitle pick the first: SRT is the one every TV reads. */
const FORMAT_ORDER = ["srt", "vtt", "ass", "ssa"];

/**
 * Words media managers (Plex, Jellyfin, Kodi, OpenSubtitles) put after the language: "Film.en.forced.srt",
 * "Film.eng.sdh.srt". "hi" only counts as a flag after a language, since alone it is Hindi.
 */
const FLAGS = new Set(["forced", "sdh", "cc", "default", "full", "signs", "songs", "foreign"]);
const LATE_FLAGS = new Set([...FLAGS, "hi"]);
/** "en", "eng", "pt-BR", "zh-Hans", "en_US", or a spelled-out name such as "English". */
const LANGUAGE = /^\p{L}{2,20}(?:[-_][\p{L}\p{N}]{2,8}){0,2}$/u;

interface SubtitleFile {
  name: string;
  format: string;
  /** The name without extension, NFC. */
  stem: string;
  /** Video stems (NFC) this file can belong to, longest first, with the language each implies. */
  owners: ReadonlyArray<{ stem: string; language: string | undefined }>;
  /** The longest owner that is a video in the same folder, if any. */
  folderOwner: string | undefined;
}

/** Reads the suffix after a video stem: undefined when it is not language/flag words. */
function parseSuffix(suffix: string): { language: string | undefined } | undefined {
  const tokens = suffix.split(".");
  if (tokens.length > 3) return undefined;
  const [first, ...rest] = tokens;
  if (first === undefined || !rest.every((t) => LATE_FLAGS.has(t.toLowerCase()))) return undefined;
  if (FLAGS.has(first.toLowerCase())) return { language: undefined };
  return LANGUAGE.test(first) ? { language: first } : undefined;
}

function ownersOf(stem: string): SubtitleFile["owners"] {
  const owners: Array<{ stem: string; language: string | undefined }> = [
    { stem, language: undefined },
  ];
  for (let dot = stem.lastIndexOf("."); dot > 0; dot = stem.lastIndexOf(".", dot - 1)) {
    const parsed = parseSuffix(stem.slice(dot + 1));
    if (parsed !== undefined) owners.push({ stem: stem.slice(0, dot), language: parsed.language });
  }
  return owners;
}

function stemOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name).normalize("NFC");
}

// One index per sibling array: the indexer passes the same array for every file of a folder.
const cache = new WeakMap<readonly string[], readonly SubtitleFile[]>();

function indexFolder(siblings: readonly string[]): readonly SubtitleFile[] {
  const cached = cache.get(siblings);
  if (cached !== undefined) return cached;
  const videoStems = new Set<string>();
  const subtitles: Array<Omit<SubtitleFile, "folderOwner">> = [];
  for (const name of siblings) {
    const format = extensionOf(name);
    if (MIME_BY_FORMAT.has(format)) {
      const stem = stemOf(name);
      subtitles.push({ name, format, stem, owners: ownersOf(stem) });
    } else if (classifyName(name)?.mediaClass === "video") {
      videoStems.add(stemOf(name));
    }
  }
  const index = subtitles.map((s) => ({
    ...s,
    folderOwner: s.owners.find((o) => videoStems.has(o.stem))?.stem,
  }));
  cache.set(siblings, index);
  return index;
}

/**
 * Sidecar subtitles for a video: files next to it named like it ("Film.srt"), optionally with a
 * language and flags ("Film.en.srt", "Film.eng.forced.srt", "Film.pt-BR.vtt"). When two videos
 * could claim a file ("Film.mkv" and "Film.en.mkv" both match "Film.en.srt"), the longer name
 * wins. Names are compared in Unicode NFC, so a macOS-copied (NFD) sidecar still matches.
 *
 * `videoRelPath` is the video's path relative to its root (or a bare name); the returned relPaths
 * sit in the same folder. `siblings` may include the video itself; the index built from it is
 * remembered per array, so do not mutate it after passing it. Order: subtitles without a language
 * first, then those with one; within each, SRT before VTT before ASS/SSA, then by name.
 */
export function findSubtitles(videoRelPath: string, siblings: readonly string[]): SubtitleRef[] {
  const slash = videoRelPath.lastIndexOf("/");
  const dir = slash < 0 ? "" : videoRelPath.slice(0, slash + 1);
  const videoStem = stemOf(videoRelPath.slice(slash + 1));
  const found: SubtitleRef[] = [];
  for (const sub of indexFolder(siblings)) {
    const owner = sub.owners.find((o) => o.stem === videoStem);
    if (owner === undefined) continue;
    if (sub.folderOwner !== undefined && sub.folderOwner.length > videoStem.length) continue;
    const ref: SubtitleRef = {
      relPath: dir + sub.name,
      format: sub.format,
      mime: MIME_BY_FORMAT.get(sub.format) ?? "text/plain",
    };
    if (owner.language !== undefined) ref.language = owner.language;
    found.push(ref);
  }
  return found.sort(compareSubtitles);
}

function compareSubtitles(a: SubtitleRef, b: SubtitleRef): number {
  const byLanguage = Number(a.language !== undefined) - Number(b.language !== undefined);
  if (byLanguage !== 0) return byLanguage;
  const byFormat = FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format);
  if (byFormat !== 0) return byFormat;
  return a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0;
}
