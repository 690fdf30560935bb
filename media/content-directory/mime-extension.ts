/**
 * File extensions for res URLs by MIME type. The extension is only a hint for renderers that
 * look at the URL (some TVs refuse a video URL without one); the res route finds the file by the
 * item id alone. Types the metadata reader produces are all here.
 */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/x-m4a": "m4a",
  "audio/aac": "aac",
  "audio/vnd.dlna.adts": "aac",
  "audio/x-flac": "flac",
  "audio/flac": "flac",
  "audio/ogg": "ogg",
  "audio/opus": "opus",
  "audio/x-ms-wma": "wma",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/l16": "pcm",
  "audio/aiff": "aif",
  "audio/x-aiff": "aif",
  "audio/x-dsd": "dsf",
  "audio/x-wavpack": "wv",
  "audio/x-ape": "ape",
  "audio/x-matroska": "mka",
  "video/mp4": "mp4",
  "video/x-matroska": "mkv",
  "video/x-mkv": "mkv",
  "video/webm": "webm",
  "video/x-msvideo": "avi",
  "video/avi": "avi",
  "video/quicktime": "mov",
  "video/mpeg": "mpg",
  "video/mp2t": "ts",
  "video/vnd.dlna.mpeg-tts": "ts",
  "video/x-flv": "flv",
  "video/3gpp": "3gp",
  "video/ogg": "ogv",
  "video/x-ms-wmv": "wmv",
  "video/x-ms-asf": "asf",
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/bmp": "bmp",
  "image/tiff": "tif",
  "image/heic": "heic",
  "image/heif": "heif",
  "image/avif": "avif",
};

/** Used for a type missing from the table: still a valid URL, and the route ignores it. */
const UNKNOWN_EXTENSION = "bin";

/** "audio/x-flac" → "flac"; parameters ("; codecs=…") and case are ignored. */
export function extensionForMime(mime: string): string {
  const bare = mime.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return Object.hasOwn(EXTENSIONS, bare)
    ? (EXTENSIONS[bare] ?? UNKNOWN_EXTENSION)
    : UNKNOWN_EXTENSION;
}
