// The media server's byte routes (files, subtitles, thumbnails) for the media service to mount.
export { streamingRoutes, type StreamingDeps } from "./streaming-routes.js";
export { parseByteRange, type ByteRange } from "./byte-range.js";
