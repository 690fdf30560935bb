/**
 * The media library's shared vocabulary: what the indexer learns about a file, and what the
 * library (the catalog's `media` namespace) stores. The scanner produces IndexedFile values, the
 * metadata extractor fills `meta`, the Library turns them into DLNA objects and containers.
 */

/** Which of a root's files the indexer cares about. Everything else is ignored. */
export type MediaClass = "audio" | "video" | "image";

/** A file's identity on disk, relative to its root. Paths use "/" and never start with "/". */
export interface FileRef {
  /** Index of the root in media.roots (stable while the config does not reorder roots). */
  rootId: number;
  /** Path relative to the root, e.g. "Artist/Album/01 Song.flac". */
  relPath: string;
}

/** What a stat tells: the incremental scan's change key. */
export interface FileStat {
  sizeBytes: number;
  /** Milliseconds, integer (truncated), so it survives JSON round trips exactly. */
  mtimeMs: number;
}

/** Tags and technical facts for audio files (music-metadata). Absent = unknown. */
export interface AudioMeta {
  title?: string;
  artist?: string;
  albumArtist?: string;
  album?: string;
  genre?: string;
  trackNumber?: number;
  discNumber?: number;
  year?: number;
  durationSeconds?: number;
  bitrateBps?: number;
  sampleRateHz?: number;
  channels?: number;
  /** Codec as music-metadata names it ("MPEG 1 Layer 3", "FLAC", "AAC", "PCM"). */
  codec?: string;
  /** Container as music-metadata names it ("MPEG", "FLAC", "M4A/isom", "WAVE"). */
  container?: string;
  /** Codec profile as music-metadata names it ("CBR", "V2", "AAC LC"); absent when it gives none. */
  codecProfile?: string;
  /** True when the file carries embedded cover art (extracted later for thumbnails). */
  hasEmbeddedArt?: boolean;
}

/** ffprobe's facts for video files. */
export interface VideoMeta {
  title?: string;
  durationSeconds?: number;
  width?: number;
  height?: number;
  /** ffprobe codec_name of the first video stream ("h264", "hevc", "mpeg4"). */
  videoCodec?: string;
  /** ffprobe codec_name of the first audio stream ("aac", "ac3", "mp3"). */
  audioCodec?: string;
  audioChannels?: number;
  audioSampleRateHz?: number;
  /** ffprobe profile of the first audio stream ("LC", "HE-AAC"); decides the DLNA AAC profiles. */
  audioProfile?: string;
  /** Average frames per second of the first video stream (25, 29.97); decides CIF15 vs CIF30. */
  frameRate?: number;
  bitrateBps?: number;
  /** ffprobe format_name ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"). */
  container?: string;
  /** H.264 profile as ffprobe reports it ("High", "Main", "Constrained Baseline"). */
  videoProfile?: string;
  /** H.264 level × 10 as ffprobe reports it (40 = 4.0). */
  videoLevel?: number;
}

/** Facts for pictures (image-size + exifr). */
export interface ImageMeta {
  width?: number;
  height?: number;
  /** ISO-8601 date the picture was taken (EXIF DateTimeOriginal), else absent. */
  takenAt?: string;
  /** EXIF orientation 1–8. */
  orientation?: number;
  /** "jpeg", "png", "gif", "webp", ... */
  format?: string;
}

/** A sidecar subtitle next to a video: "Film.srt", "Film.en.srt", "Film.eng.forced.ass". */
export interface SubtitleRef {
  relPath: string;
  /** "srt" | "ass" | "ssa" | "vtt" */
  format: string;
  /** Language suffix as written, e.g. "en", "eng", "pt-BR"; absent when none. */
  language?: string;
  mime: string;
}

/** Everything the indexer knows about one media file. What the library stores per file. */
export interface IndexedFile extends FileRef, FileStat {
  mediaClass: MediaClass;
  /** MIME type from the real content ("audio/mpeg", "video/mp4", "audio/x-flac", "image/jpeg"). */
  mime: string;
  /** DLNA.ORG_PN when the content matches a DLNA profile ("MP3", "AVC_MP4_HP_HD_AAC"); else absent. */
  dlnaProfile?: string;
  audio?: AudioMeta;
  video?: VideoMeta;
  image?: ImageMeta;
  /** Subtitles found next to a video. */
  subtitles?: SubtitleRef[];
  /** A folder cover image ("cover.jpg", "folder.png", "front.jpg") for audio/video in that folder. */
  coverRelPath?: string;
  /**
   * Set when metadata could not be read (truncated, corrupt): the file is still listed as a plain
   * item of its class by its file name. Never retried until size or mtime change.
   */
  metadataError?: string;
}
