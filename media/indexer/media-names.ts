import { classifyName, extensionOf } from "../metadata/classify-name.js";
import { isCoverName } from "../metadata/find-cover.js";
import { findSubtitles } from "../metadata/find-subtitles.js";

const subtitleExtensions: ReadonlySet<string> = new Set(["srt", "vtt", "ass", "ssa"]);

/**
 * What a file name says before anything is opened, with media/metadata's own rules, so the
 * indexer offers the extractor exactly the files it would index. A name offered and refused
 * (cover.jpg, notes.txt) never reaches the catalog, looks "new" on every scan, and an unchanged
 * restart would then still do metadata work.
 */
export const mediaNames = {
  /** A name the library lists as an item (audio, video, picture; not covers, not sidecars). */
  isMedia(name: string): boolean {
    return classifyName(name) !== undefined;
  },
  /** Audio or video: the files a folder cover belongs to. */
  isAudioOrVideo(name: string): boolean {
    const mediaClass = classifyName(name)?.mediaClass;
    return mediaClass === "audio" || mediaClass === "video";
  },
  isVideo(name: string): boolean {
    return classifyName(name)?.mediaClass === "video";
  },
  /** A sidecar subtitle ("Film.srt", "Film.en.forced.ass"). */
  isSubtitle(name: string): boolean {
    return subtitleExtensions.has(extensionOf(name));
  },
  /** A folder cover image ("cover.jpg", "Folder.png"). */
  isCover(name: string): boolean {
    return isCoverName(name);
  },
  /** True when the extractor would attach `subtitle` to `video` ("Film.mkv" ← "Film.en.srt"). */
  subtitleBelongsTo(subtitle: string, video: string): boolean {
    return findSubtitles(video, [subtitle, video]).length > 0;
  },
};
