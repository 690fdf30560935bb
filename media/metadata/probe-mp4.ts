import { open } from "node:fs/promises";
import type { VideoMeta } from "../library/media-types.js";
import { mp4aEsds } from "./mp4-aac-config.js";
import { boxAt, childBoxes, firstSampleEntry, parseEsds, readMoov } from "./mp4-boxes.js";
import { cleanText, positiveInt, roundTo } from "./tag-values.js";

/** ffprobe's format_name for the ISO family, kept so both paths store the same container. */
const ISO_FORMAT = "mov,mp4,m4a,3gp,3g2,mj2";
/** H.264 profile_idc → the name ffprobe prints (ITU-T H.264 Annex A). */
const AVC_PROFILES: ReadonlyMap<number, string> = new Map([
  [66, "Baseline"],
  [77, "Main"],
  [88, "Extended"],
  [100, "High"],
  [110, "High 10"],
  [122, "High 4:2:2"],
  [244, "High 4:4:4 Predictive"],
]);
/** HEVC general_profile_idc → ffprobe's name (ITU-T H.265 Annex A). */
const HEVC_PROFILES: ReadonlyMap<number, string> = new Map([
  [1, "Main"],
  [2, "Main 10"],
  [3, "Main Still Picture"],
  [4, "Rext"],
]);
/** AAC Audio Object Type → ffprobe's profile name. */
const AAC_PROFILES: ReadonlyMap<number, string> = new Map([
  [1, "Main"],
  [2, "LC"],
  [4, "LTP"],
  [5, "HE-AAC"],
  [29, "HE-AACv2"],
]);
const AUDIO_ENTRIES: ReadonlyMap<string, string> = new Map([
  ["alac", "alac"],
  ["Opus", "opus"],
  ["fLaC", "flac"],
  [".mp3", "mp3"],
]);

/** Reads a (version, timescale, duration) full box: mvhd and mdhd share the layout. */
function timing(box: Buffer | undefined): { timescale: number; duration: number } | undefined {
  if (box === undefined) return undefined;
  const isV1 = box.readUInt8(0) === 1;
  const timescale = box.readUInt32BE(isV1 ? 20 : 12);
  const duration = isV1 ? Number(box.readBigUInt64BE(24)) : box.readUInt32BE(16);
  return timescale > 0 && duration > 0 ? { timescale, duration } : undefined;
}

function videoFacts(stbl: Buffer, mdhd: Buffer | undefined): Partial<VideoMeta> | undefined {
  const first = firstSampleEntry(boxAt(stbl, "stsd") ?? Buffer.alloc(0));
  if (first === undefined || first.entry.length < 36) return undefined;
  const children = first.children(78);
  const facts: Partial<VideoMeta> = {
    width: positiveInt(first.entry.readUInt16BE(32)),
    height: positiveInt(first.entry.readUInt16BE(34)),
  };
  const avcC = boxAt(children, "avcC");
  const hvcC = boxAt(children, "hvcC");
  if ((first.type === "avc1" || first.type === "avc3") && avcC !== undefined) {
    const profileIdc = avcC.readUInt8(1);
    // constraint_set1_flag on Baseline means Constrained Baseline (H.264 §A.2.1.1).
    const isConstrained = profileIdc === 66 && (avcC.readUInt8(2) & 0x40) !== 0;
    facts.videoCodec = "h264";
    facts.videoProfile = isConstrained ? "Constrained Baseline" : AVC_PROFILES.get(profileIdc);
    facts.videoLevel = positiveInt(avcC.readUInt8(3));
  } else if ((first.type === "hvc1" || first.type === "hev1") && hvcC !== undefined) {
    facts.videoCodec = "hevc";
    facts.videoProfile = HEVC_PROFILES.get(hvcC.readUInt8(1) & 0x1f);
    facts.videoLevel = positiveInt(hvcC.readUInt8(12));
  } else {
    return undefined; // MPEG-4 Part 2, AV1, VP9, ProRes…: ffprobe names these better
  }
  // Average frame rate as ffprobe computes it: frames over the track's duration.
  const stts = boxAt(stbl, "stts");
  const time = timing(mdhd);
  if (stts !== undefined && time !== undefined) {
    let frames = 0;
    for (let i = 0, n = stts.readUInt32BE(4); i < n; i++) frames += stts.readUInt32BE(8 + i * 8);
    facts.frameRate = roundTo(frames / (time.duration / time.timescale), 3);
  }
  return facts;
}

/** AC-3 acmod → full-range channels (ATSC A/52 table 5.8); muxers write channelcount 2 anyway. */
const AC3_CHANNELS = [2, 1, 2, 3, 3, 4, 4, 5];

/** Channels from a dac3 box (ETSI TS 102 366 annex F): fscod 2, bsid 5, bsmod 3, acmod 3, lfeon 1. */
function ac3Channels(dac3: Buffer | undefined): number | undefined {
  if (dac3 === undefined || dac3.length < 3) return undefined;
  const bits = dac3.readUIntBE(0, 3);
  const full = AC3_CHANNELS[(bits >> 11) & 7];
  return full === undefined ? undefined : full + ((bits >> 10) & 1);
}

function audioFacts(stbl: Buffer): Partial<VideoMeta> | undefined {
  const stsd = boxAt(stbl, "stsd") ?? Buffer.alloc(0);
  const first = firstSampleEntry(stsd);
  if (first === undefined || first.entry.length < 36) return undefined;
  const version = first.entry.readUInt16BE(16);
  if (version === 2) return undefined; // QuickTime v2 keeps the rate as a float elsewhere
  const facts: Partial<VideoMeta> = {
    audioChannels: positiveInt(first.entry.readUInt16BE(24)),
    audioSampleRateHz: positiveInt(first.entry.readUInt32BE(32) >>> 16),
  };
  const esds = first.type === "mp4a" ? mp4aEsds(stsd) : undefined;
  const info = esds === undefined ? undefined : parseEsds(esds);
  if (info?.objectTypeIndication === 0x40 && info.audioObjectType !== undefined) {
    facts.audioCodec = "aac";
    facts.audioProfile = AAC_PROFILES.get(info.audioObjectType);
    facts.audioChannels = info.channels ?? facts.audioChannels;
  } else if (info?.objectTypeIndication === 0x69 || info?.objectTypeIndication === 0x6b) {
    facts.audioCodec = "mp3";
  } else if (first.type === "ac-3") {
    facts.audioCodec = "ac3";
    facts.audioChannels = ac3Channels(boxAt(first.children(version === 1 ? 44 : 28), "dac3"));
  } else {
    facts.audioCodec = AUDIO_ENTRIES.get(first.type);
  }
  return facts.audioCodec === undefined ? undefined : facts;
}

/** The title from iTunes-style ilst (what ffmpeg and phones write) or QuickTime's udta ©nam. */
function titleOf(moov: Buffer): string | undefined {
  const meta = boxAt(moov, "udta", "meta");
  const data = meta === undefined ? undefined : boxAt(meta.subarray(4), "ilst", "\xa9nam", "data");
  if (data !== undefined) return cleanText(data.subarray(8).toString("utf8"));
  const quickTime = boxAt(moov, "udta", "\xa9nam");
  if (quickTime === undefined || quickTime.length < 4) return undefined;
  return cleanText(quickTime.subarray(4, 4 + quickTime.readUInt16BE(0)).toString("utf8"));
}

function tracksOf(moov: Buffer): {
  video?: Partial<VideoMeta>;
  audio?: Partial<VideoMeta>;
  hasSound: boolean;
} {
  let video: Partial<VideoMeta> | undefined;
  let audio: Partial<VideoMeta> | undefined;
  let hasSound = false;
  for (const box of childBoxes(moov)) {
    if (box.type !== "trak") continue;
    const handler = boxAt(box.body, "mdia", "hdlr")?.toString("latin1", 8, 12);
    const stbl = boxAt(box.body, "mdia", "minf", "stbl");
    if (stbl === undefined) continue;
    if (handler === "vide" && video === undefined) {
      video = videoFacts(stbl, boxAt(box.body, "mdia", "mdhd"));
      if (video === undefined) return { hasSound }; // a codec we leave to ffprobe
    } else if (handler === "soun" && !hasSound) {
      hasSound = true;
      audio = audioFacts(stbl);
    }
  }
  return { ...(video ? { video } : {}), ...(audio ? { audio } : {}), hasSound };
}

/**
 * Probes an MP4/M4V/MOV file by reading its moov box in-process: the same facts ffprobe gives
 * for H.264/HEVC video with AAC/AC-3/MP3 sound, without starting a process per file. Resolves
 * "audio-only" for a file with sound and no picture, and undefined whenever it cannot answer
 * as ffprobe would (moov missing or truncated, fragmented files, other codecs): the caller then
 * runs ffprobe.
 */
export async function probeMp4(absPath: string): Promise<VideoMeta | "audio-only" | undefined> {
  const file = await open(absPath, "r");
  try {
    const found = await readMoov(file);
    const movie = timing(boxAt(found?.moov, "mvhd"));
    if (found === undefined || movie === undefined) return undefined;
    const { video, audio, hasSound } = tracksOf(found.moov);
    if (video === undefined) return hasSound && audio !== undefined ? "audio-only" : undefined;
    if (hasSound && audio === undefined) return undefined;
    const durationSeconds = movie.duration / movie.timescale;
    const meta: VideoMeta = {};
    const title = titleOf(found.moov);
    if (title !== undefined) meta.title = title;
    Object.assign(meta, { durationSeconds: roundTo(durationSeconds, 3) }, video, audio);
    // Truncated like ffprobe's integer division, so both paths store the same number.
    meta.bitrateBps = positiveInt(Math.floor((found.fileSize * 8) / durationSeconds));
    meta.container = ISO_FORMAT;
    for (const key of Object.keys(meta) as Array<keyof VideoMeta>) {
      if (meta[key] === undefined) delete meta[key];
    }
    return meta;
  } catch (err) {
    if (err instanceof RangeError) return undefined; // malformed boxes: let ffprobe judge
    throw err;
  } finally {
    await file.close();
  }
}
