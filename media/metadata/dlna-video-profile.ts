import type { VideoMeta } from "../library/media-types.js";
import type { MediaFormat } from "./media-format.js";

type Family = "mp4" | "mkv" | "mpeg-ps" | "other";
type AvcClass = "baseline" | "main" | "high";
/** The first audio stream as the profiles see it. */
type AudioKind = "aac" | "aac-mult5" | "ac3" | "mp3" | "mp2" | "lpcm" | "none" | "other";

interface VideoRule {
  profile: string;
  source: string;
  family: Family;
  codec: "h264" | "mpeg2video" | "mpeg1video";
  /** For H.264: the profiles a decoder of this DLNA profile accepts (Constrained Baseline ⊂ Main). */
  avc?: readonly AvcClass[];
  maxWidth: number;
  maxHeight: number;
  /** Exact frame heights, for the MPEG-2 PS profiles where "PAL" and "NTSC" are line counts. */
  heights?: readonly number[];
  /** Whole-file bit rate limit (the video stream's own rate is not always known; this is ≥ it). */
  maxBitrateBps: number;
  maxFrameRate?: number;
  audio: readonly AudioKind[];
}

const BL: readonly AvcClass[] = ["baseline"];
const MP: readonly AvcClass[] = ["baseline", "main"];
const HP: readonly AvcClass[] = ["high"];
const AAC: readonly AudioKind[] = ["aac"];
const AAC_MULT5: readonly AudioKind[] = ["aac", "aac-mult5"];
const G = "DLNA Guidelines (2006) vol. 2, AVC/MPEG-2 profiles; limits as MiniDLNA's metadata.c";
const MKV = "not in the 2006 guidelines; names as Sony/Samsung sinks list them (also VLC's table)";

function avcRows(prefix: string, avc: readonly AvcClass[], source: string): VideoRule[] {
  const base = { family: "mkv" as const, codec: "h264" as const, avc, source };
  const hd = { maxWidth: 1920, maxHeight: 1080, maxBitrateBps: 25_000_000 };
  return [
    { ...base, ...hd, profile: `${prefix}_AAC_MULT5`, audio: AAC_MULT5 },
    { ...base, ...hd, profile: `${prefix}_AC3`, audio: ["ac3"] },
    { ...base, ...hd, profile: `${prefix}_MPEG1_L3`, audio: ["mp3"] },
  ];
}

/**
 * Video profiles, first match wins. An AVC stream is tried against the narrowest family first
 * (CIF Baseline, then Main SD, then HD), so the name describes the file as tightly as the
 * guidelines allow. MPEG-TS is left unprofiled: its profiles depend on 188- vs 192-byte packets
 * and timestamps that ffprobe does not report, and a wrong _T/_ISO suffix makes TVs refuse.
 */
const RULES: readonly VideoRule[] = [
  {
    profile: "AVC_MP4_BL_CIF15_AAC_520",
    family: "mp4",
    codec: "h264",
    avc: BL,
    maxWidth: 352,
    maxHeight: 288,
    maxBitrateBps: 520_000,
    maxFrameRate: 15,
    audio: AAC,
    source: G,
  },
  {
    profile: "AVC_MP4_BL_CIF30_AAC_940",
    family: "mp4",
    codec: "h264",
    avc: BL,
    maxWidth: 352,
    maxHeight: 288,
    maxBitrateBps: 940_000,
    maxFrameRate: 30,
    audio: AAC,
    source: G,
  },
  {
    profile: "AVC_MP4_MP_SD_AAC_MULT5",
    family: "mp4",
    codec: "h264",
    avc: MP,
    maxWidth: 720,
    maxHeight: 576,
    maxBitrateBps: 10_000_000,
    audio: AAC_MULT5,
    source: G,
  },
  {
    profile: "AVC_MP4_MP_SD_MPEG1_L3",
    family: "mp4",
    codec: "h264",
    avc: MP,
    maxWidth: 720,
    maxHeight: 576,
    maxBitrateBps: 10_000_000,
    audio: ["mp3"],
    source: G,
  },
  {
    profile: "AVC_MP4_MP_SD_AC3",
    family: "mp4",
    codec: "h264",
    avc: MP,
    maxWidth: 720,
    maxHeight: 576,
    maxBitrateBps: 10_000_000,
    audio: ["ac3"],
    source: G,
  },
  {
    profile: "AVC_MP4_MP_HD_720p_AAC",
    family: "mp4",
    codec: "h264",
    avc: MP,
    maxWidth: 1280,
    maxHeight: 720,
    maxBitrateBps: 15_000_000,
    audio: AAC,
    source: G,
  },
  {
    profile: "AVC_MP4_MP_HD_1080i_AAC",
    family: "mp4",
    codec: "h264",
    avc: MP,
    maxWidth: 1920,
    maxHeight: 1080,
    maxBitrateBps: 21_000_000,
    audio: AAC,
    source: G,
  },
  // MiniDLNA gives High profile at any size up to 1080 this name; TVs that list it decode HP SD too.
  {
    profile: "AVC_MP4_HP_HD_AAC",
    family: "mp4",
    codec: "h264",
    avc: HP,
    maxWidth: 1920,
    maxHeight: 1080,
    maxBitrateBps: 25_000_000,
    audio: AAC,
    source: G,
  },
  ...avcRows("AVC_MKV_MP_HD", MP, MKV),
  ...avcRows("AVC_MKV_HP_HD", HP, MKV),
  {
    profile: "MPEG_PS_PAL",
    family: "mpeg-ps",
    codec: "mpeg2video",
    maxWidth: 720,
    maxHeight: 576,
    heights: [576, 288],
    maxBitrateBps: 10_080_000,
    maxFrameRate: 25,
    audio: ["mp2", "ac3", "lpcm"],
    source: G,
  },
  {
    profile: "MPEG_PS_NTSC",
    family: "mpeg-ps",
    codec: "mpeg2video",
    maxWidth: 720,
    maxHeight: 480,
    heights: [480, 240],
    maxBitrateBps: 10_080_000,
    maxFrameRate: 30,
    audio: ["mp2", "ac3", "lpcm"],
    source: G,
  },
  {
    profile: "MPEG1",
    family: "mpeg-ps",
    codec: "mpeg1video",
    maxWidth: 352,
    maxHeight: 288,
    heights: [288, 240],
    maxBitrateBps: 1_856_000,
    maxFrameRate: 30,
    audio: ["mp2"],
    source: G,
  },
];

function familyOf(video: VideoMeta, ext: string): Family {
  const container = video.container ?? "";
  if (container.startsWith("mov,mp4") && (ext === "mp4" || ext === "m4v")) return "mp4";
  if (container.startsWith("matroska") && ext !== "webm") return "mkv";
  if (container === "mpeg") return "mpeg-ps";
  return "other";
}

function avcClassOf(profile: string | undefined): AvcClass | undefined {
  if (profile === "Baseline" || profile === "Constrained Baseline") return "baseline";
  if (profile === "Main") return "main";
  if (profile === "High") return "high";
  return undefined; // High 10, 4:2:2, 4:4:4: no DLNA profile, and many TVs cannot decode them
}

function audioKindOf(v: VideoMeta): AudioKind {
  const codec = v.audioCodec;
  if (codec === undefined) return "none";
  const channels = v.audioChannels ?? 0;
  if (codec === "aac") {
    const rate = v.audioSampleRateHz ?? 0;
    // Only AAC LC at 8–48 kHz; HE-AAC has its own (HEAAC_*) profiles we do not claim.
    if (v.audioProfile !== "LC" || rate < 8_000 || rate > 48_000 || channels < 1) return "other";
    return channels <= 2 ? "aac" : channels <= 6 ? "aac-mult5" : "other";
  }
  if (codec === "ac3") return "ac3";
  if (codec === "mp3") return "mp3";
  if (codec === "mp2") return "mp2";
  if (codec === "pcm_dvd" || codec === "pcm_s16be") return "lpcm";
  return "other";
}

function matches(rule: VideoRule, v: VideoMeta, family: Family): boolean {
  if (rule.family !== family || rule.codec !== v.videoCodec) return false;
  if (rule.avc !== undefined) {
    const avc = avcClassOf(v.videoProfile);
    if (avc === undefined || !rule.avc.includes(avc)) return false;
  }
  const { width, height, bitrateBps, frameRate } = v;
  if (width === undefined || height === undefined || bitrateBps === undefined) return false;
  if (width > rule.maxWidth || height > rule.maxHeight || bitrateBps > rule.maxBitrateBps) {
    return false;
  }
  if (rule.heights !== undefined && !rule.heights.includes(height)) return false;
  // Allow NTSC's 30000/1001 and rounding in ffprobe's average frame rate.
  if (
    rule.maxFrameRate !== undefined &&
    (frameRate === undefined || frameRate > rule.maxFrameRate + 0.01)
  ) {
    return false;
  }
  return rule.audio.includes(audioKindOf(v));
}

/** MIME type of a video file from ffprobe's container name, refined by the extension. */
function mimeOf(video: VideoMeta, ext: string, fallbackMime: string): string {
  const container = video.container ?? "";
  if (container.startsWith("matroska")) return ext === "webm" ? "video/webm" : "video/x-matroska";
  if (container.startsWith("mov,mp4")) {
    if (ext === "mov") return "video/quicktime";
    return ext === "3gp" ? "video/3gpp" : "video/mp4";
  }
  const byContainer: Record<string, string> = {
    avi: "video/x-msvideo",
    mpegts: "video/mp2t",
    mpeg: "video/mpeg",
    flv: "video/x-flv",
    ogg: "video/ogg",
  };
  return Object.hasOwn(byContainer, container)
    ? (byContainer[container] ?? fallbackMime)
    : fallbackMime;
}

/**
 * MIME type and DLNA.ORG_PN for a video file from ffprobe's facts. `ext` is the lower-cased
 * extension (it separates .mov from .mp4 and .webm from .mkv, which share ffprobe's container
 * names); `fallbackMime` (from the name) is used for containers the table does not know.
 */
export function videoProfile(video: VideoMeta, ext: string, fallbackMime: string): MediaFormat {
  const mime = mimeOf(video, ext, fallbackMime);
  const family = familyOf(video, ext);
  const rule = family === "other" ? undefined : RULES.find((r) => matches(r, video, family));
  return rule === undefined ? { mime } : { mime, dlnaProfile: rule.profile };
}
