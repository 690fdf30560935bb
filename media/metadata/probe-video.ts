import { execFile } from "node:child_process";
import { resolve as resolvePath } from "node:path";
import type { VideoMeta } from "../library/media-types.js";
import { videoProfile } from "./dlna-video-profile.js";
import type { MediaDetails } from "./media-format.js";
import { probeMp4 } from "./probe-mp4.js";
import { cleanText, positiveInt, roundTo } from "./tag-values.js";

/** How ffprobe is run. */
export interface FfprobeOptions {
  /** Default "ffprobe" (Debian's ffmpeg package), found on PATH. */
  ffprobePath?: string;
  /** ffprobe is killed (SIGKILL) after this long. Default 20 000 ms. */
  timeoutMs?: number;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  level?: number;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  avg_frame_rate?: string;
  disposition?: { attached_pic?: number };
}
interface ProbeOutput {
  format?: {
    format_name?: string;
    duration?: string;
    bit_rate?: string;
    tags?: Record<string, string>;
  };
  streams?: ProbeStream[];
}

/** ffprobe's JSON for a file with many streams and chapters stays well under this. */
const MAX_OUTPUT_BYTES = 4 << 20;

function runFfprobe(absPath: string, options: FfprobeOptions): Promise<string> {
  // An absolute path never starts with "-" or a protocol name ("http:"), so ffprobe reads it as a
  // plain file.
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", absPath];
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    execFile(
      options.ffprobePath ?? "ffprobe",
      args,
      { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: MAX_OUTPUT_BYTES, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === "ENOENT")
          return reject(new Error("ffprobe is not installed (apt install ffmpeg)"));
        if (e.killed === true)
          return reject(new Error(`ffprobe gave no answer within ${timeoutMs} ms`));
        reject(new Error(`ffprobe: ${lastLine(stderr, absPath) ?? e.message}`));
      },
    );
  });
}

/** The last line ffprobe printed, without the file path it prefixes (the catalog has the path). */
function lastLine(stderr: string, absPath: string): string | undefined {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const line = lines.at(-1);
  return line?.startsWith(`${absPath}: `) === true ? line.slice(absPath.length + 2) : line;
}

function frameRateOf(text: string | undefined): number | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? "");
  if (match === null || match[2] === "0") return undefined;
  return roundTo(Number(match[1]) / Number(match[2]), 3);
}

function tag(tags: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(tags ?? {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : tags?.[key];
}

function toVideoMeta(
  out: ProbeOutput,
  video: ProbeStream,
  audio: ProbeStream | undefined,
): VideoMeta {
  const meta: VideoMeta = {};
  const set = <K extends keyof VideoMeta>(key: K, value: VideoMeta[K] | undefined): void => {
    if (value !== undefined) meta[key] = value;
  };
  set("title", cleanText(tag(out.format?.tags, "title")));
  set("durationSeconds", roundTo(Number(out.format?.duration), 3));
  set("width", positiveInt(video.width));
  set("height", positiveInt(video.height));
  set("videoCodec", cleanText(video.codec_name));
  set("videoProfile", cleanText(video.profile));
  set("videoLevel", positiveInt(video.level));
  set("frameRate", frameRateOf(video.avg_frame_rate));
  set("audioCodec", cleanText(audio?.codec_name));
  set("audioProfile", cleanText(audio?.profile));
  set("audioChannels", positiveInt(audio?.channels));
  set("audioSampleRateHz", positiveInt(Number(audio?.sample_rate)));
  set("bitrateBps", positiveInt(Number(out.format?.bit_rate)));
  set("container", cleanText(out.format?.format_name));
  return meta;
}

/** Extensions whose files are ISO media, probed in-process first (see probe-mp4.ts). */
const ISO_EXTENSIONS = new Set(["mp4", "m4v", "mov", "3gp"]);

async function probeWithFfprobe(
  absPath: string,
  options: FfprobeOptions,
): Promise<VideoMeta | "audio-only"> {
  const out = JSON.parse(await runFfprobe(resolvePath(absPath), options)) as ProbeOutput;
  const streams = out.streams ?? [];
  // Cover art in MP4/MKV shows up as a one-frame video stream flagged attached_pic.
  const video = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === "audio");
  if (video === undefined) {
    if (audio !== undefined) return "audio-only";
    throw new Error("no video or audio stream found");
  }
  return toVideoMeta(out, video, audio);
}

/**
 * Probes a video file: MP4/M4V/MOV with H.264 or HEVC in-process from the moov box, everything
 * else (and anything the in-process reader cannot vouch for) with ffprobe in a child process,
 * killed on timeout. Resolves "audio-only" when the container holds sound but no picture (an
 * .mp4 that is really an .m4a), so the caller can read it as audio. Throws with ffprobe's own
 * complaint for files it cannot open.
 */
export async function probeVideo(
  absPath: string,
  ext: string,
  fallbackMime: string,
  options: FfprobeOptions = {},
): Promise<MediaDetails | "audio-only"> {
  const native = ISO_EXTENSIONS.has(ext) ? await probeMp4(absPath) : undefined;
  const meta = native ?? (await probeWithFfprobe(absPath, options));
  if (meta === "audio-only") return meta;
  return { mediaClass: "video", ...videoProfile(meta, ext, fallbackMime), video: meta };
}
