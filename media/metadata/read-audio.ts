import { parseFromTokenizer, type IAudioMetadata } from "music-metadata";
import { openBufferedTokenizer } from "./buffered-tokenizer.js";
import type { AudioMeta } from "../library/media-types.js";
import { audioProfile } from "./dlna-audio-profile.js";
import { flacHasPicture } from "./flac-has-picture.js";
import type { MediaDetails } from "./media-format.js";
import { readMp4AacConfig } from "./mp4-aac-config.js";
import { cleanText, positiveInt, roundTo } from "./tag-values.js";
import { cacheTagTables } from "./tag-table-cache.js";

/**
 * Reads an audio file's tags and stream facts with music-metadata, in the calling thread (the
 * pool runs it in a worker). Duration comes from headers only (Xing/VBRI/Info frames, STREAMINFO,
 * mvhd), never from scanning the whole file: a tag read must cost a few kilobytes of I/O.
 * Throws when the file holds no recognisable audio stream (text named .mp3, a tag cut short).
 */
export async function readAudio(
  absPath: string,
  ext: string,
  fallbackMime: string,
): Promise<MediaDetails> {
  await cacheTagTables(); // once per thread: a fifth of an MP3's parse time otherwise
  const isFlac = ext === "flac";
  const tokenizer = openBufferedTokenizer(absPath);
  let parsed: IAudioMetadata;
  try {
    parsed = await parseFromTokenizer(tokenizer, {
      duration: false,
      // FLAC is the one format where skipping pictures skips reading them (a seek past the
      // block); elsewhere the picture bytes are read with the tag anyway, so we keep them to
      // learn whether one exists and drop them with the result.
      skipCovers: isFlac,
      // Without the index, a Matroska audio file is read cluster by cluster to its end.
      mkvUseIndex: true,
    });
  } finally {
    await tokenizer.close();
  }
  if (parsed.format.codec === undefined) {
    throw new Error(`no audio stream found (${describeContainer(parsed)})`);
  }
  const audio = toAudioMeta(parsed);
  if (audio.codec === "MPEG-4/AAC") await addAacConfig(absPath, audio);
  const hasArt = isFlac ? await flacHasPicture(absPath) : (parsed.common.picture?.length ?? 0) > 0;
  if (hasArt) audio.hasEmbeddedArt = true;
  return { mediaClass: "audio", ...audioProfile(audio, fallbackMime), audio };
}

/** Names as music-metadata gives them for ADTS, so one DLNA rule reads both containers. */
const AAC_OBJECT_TYPES: ReadonlyMap<number, string> = new Map([
  [1, "AAC Main"],
  [2, "AAC LC"],
  [3, "AAC SSR"],
  [4, "AAC LTP"],
  [5, "HE-AAC"],
  [23, "AAC LD"],
  [29, "HE-AAC v2"],
  [39, "AAC ELD"],
]);

/** The object type and true channel count of AAC in MP4, which music-metadata does not report. */
async function addAacConfig(absPath: string, audio: AudioMeta): Promise<void> {
  const config = await readMp4AacConfig(absPath);
  if (config === undefined) return;
  audio.codecProfile =
    AAC_OBJECT_TYPES.get(config.objectType) ?? `AAC object type ${config.objectType}`;
  if (config.channels !== undefined) audio.channels = config.channels;
}

function describeContainer(parsed: IAudioMetadata): string {
  return parsed.format.container === undefined
    ? "unknown container"
    : `container ${parsed.format.container}`;
}

function toAudioMeta({ common, format }: IAudioMetadata): AudioMeta {
  const audio: AudioMeta = {};
  const set = <K extends keyof AudioMeta>(key: K, value: AudioMeta[K] | undefined): void => {
    if (value !== undefined) audio[key] = value;
  };
  set("title", cleanText(common.title));
  set("artist", cleanText(common.artist));
  set("albumArtist", cleanText(common.albumartist));
  set("album", cleanText(common.album));
  set("genre", cleanText(common.genre?.[0]));
  set("trackNumber", positiveInt(common.track.no));
  set("discNumber", positiveInt(common.disk.no));
  const year = positiveInt(common.year);
  if (year !== undefined && year <= 9999) audio.year = year;
  set("durationSeconds", roundTo(format.duration, 3));
  set(
    "bitrateBps",
    positiveInt(format.bitrate === undefined ? undefined : Math.round(format.bitrate)),
  );
  set("sampleRateHz", positiveInt(format.sampleRate));
  set("channels", positiveInt(format.numberOfChannels));
  set("codec", cleanText(format.codec));
  set("container", cleanText(format.container));
  set("codecProfile", cleanText(format.codecProfile));
  return audio;
}
