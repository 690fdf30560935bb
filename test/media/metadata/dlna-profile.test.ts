import assert from "node:assert/strict";
import type { AudioMeta, ImageMeta, VideoMeta } from "../../../media/library/media-types.js";
import { audioProfile } from "../../../media/metadata/dlna-audio-profile.js";
import { imageProfile } from "../../../media/metadata/dlna-image-profile.js";
import { videoProfile } from "../../../media/metadata/dlna-video-profile.js";
import type { MediaFormat } from "../../../media/metadata/media-format.js";

const show = (f: MediaFormat): string => `${f.mime} ${f.dlnaProfile ?? "(no PN)"}`;

const MP3: AudioMeta = {
  container: "MPEG",
  codec: "MPEG 1 Layer 3",
  sampleRateHz: 44_100,
  channels: 2,
  bitrateBps: 128_000,
};
const M4A: AudioMeta = {
  container: "M4A/isom/iso2",
  codec: "MPEG-4/AAC",
  codecProfile: "AAC LC",
  sampleRateHz: 44_100,
  channels: 2,
  bitrateBps: 256_000,
};
const ADTS: AudioMeta = {
  container: "ADTS/MPEG-4",
  codec: "AAC",
  codecProfile: "AAC LC",
  sampleRateHz: 48_000,
  channels: 2,
  bitrateBps: 128_000,
};
const WMA: AudioMeta = {
  container: "ASF/audio",
  codec: "Windows Media Audio V8",
  bitrateBps: 128_000,
};

describe("DLNA audio profiles", () => {
  const cases: Array<[string, AudioMeta, string]> = [
    ["MPEG-1 Layer III 44.1 kHz stereo", MP3, "audio/mpeg MP3"],
    [
      "MPEG-1 Layer III at 320 kbit/s, 48 kHz mono",
      { ...MP3, bitrateBps: 320_000, sampleRateHz: 48_000, channels: 1 },
      "audio/mpeg MP3",
    ],
    [
      "MPEG-2 Layer III at 22.05 kHz",
      { ...MP3, codec: "MPEG 2 Layer 3", sampleRateHz: 22_050 },
      "audio/mpeg (no PN)",
    ],
    ["MP3 with an unknown sample rate", { ...MP3, sampleRateHz: undefined }, "audio/mpeg (no PN)"],
    ["AAC LC in MP4 up to 320 kbit/s", M4A, "audio/mp4 AAC_ISO_320"],
    ["AAC LC in MP4 up to 576 kbit/s", { ...M4A, bitrateBps: 400_000 }, "audio/mp4 AAC_ISO"],
    ["5.1 AAC LC in MP4", { ...M4A, channels: 6, bitrateBps: 640_000 }, "audio/mp4 AAC_MULT5_ISO"],
    ["HE-AAC in MP4", { ...M4A, codecProfile: "HE-AAC" }, "audio/mp4 (no PN)"],
    [
      "AAC in MP4 whose object type is unknown",
      { ...M4A, codecProfile: undefined },
      "audio/mp4 (no PN)",
    ],
    ["AAC LC at 96 kHz", { ...M4A, sampleRateHz: 96_000 }, "audio/mp4 (no PN)"],
    [
      "Apple Lossless in MP4",
      { ...M4A, codec: "ALAC", codecProfile: undefined },
      "audio/mp4 (no PN)",
    ],
    ["AAC LC in ADTS", ADTS, "audio/vnd.dlna.adts AAC_ADTS_320"],
    [
      "AAC LC in ADTS at 400 kbit/s",
      { ...ADTS, bitrateBps: 400_000 },
      "audio/vnd.dlna.adts AAC_ADTS",
    ],
    ["WMA standard at 128 kbit/s", WMA, "audio/x-ms-wma WMABASE"],
    ["WMA standard at 320 kbit/s", { ...WMA, bitrateBps: 320_000 }, "audio/x-ms-wma WMAFULL"],
    [
      "WMA Professional",
      { ...WMA, codec: "Windows Media Audio 9 Professional" },
      "audio/x-ms-wma (no PN)",
    ],
    [
      "FLAC",
      { container: "FLAC", codec: "FLAC", sampleRateHz: 44_100, channels: 2 },
      "audio/x-flac (no PN)",
    ],
    [
      "PCM WAV",
      { container: "WAVE", codec: "PCM", sampleRateHz: 44_100, channels: 2 },
      "audio/wav (no PN)",
    ],
    ["Vorbis", { container: "Ogg", codec: "Vorbis I" }, "audio/ogg (no PN)"],
    ["an unknown container", { container: "AIFF", codec: "PCM" }, "audio/x-fallback (no PN)"],
  ];
  for (const [what, audio, expected] of cases) {
    it(`${what}: ${expected}`, () =>
      assert.equal(show(audioProfile(audio, "audio/x-fallback")), expected));
  }
});

const MP4 = "mov,mp4,m4a,3gp,3g2,mj2";
const HD: VideoMeta = {
  container: MP4,
  videoCodec: "h264",
  videoProfile: "High",
  width: 1920,
  height: 1080,
  frameRate: 25,
  audioCodec: "aac",
  audioProfile: "LC",
  audioChannels: 2,
  audioSampleRateHz: 48_000,
  bitrateBps: 5_000_000,
};
const SD: VideoMeta = { ...HD, videoProfile: "Main", width: 720, height: 576 };
const CIF: VideoMeta = {
  ...HD,
  videoProfile: "Constrained Baseline",
  width: 320,
  height: 240,
  frameRate: 15,
  bitrateBps: 400_000,
};
const MKV: VideoMeta = { ...HD, container: "matroska,webm" };
const PS: VideoMeta = {
  container: "mpeg",
  videoCodec: "mpeg2video",
  videoProfile: "Main",
  width: 720,
  height: 576,
  frameRate: 25,
  audioCodec: "mp2",
  audioChannels: 2,
  bitrateBps: 6_000_000,
};

describe("DLNA video profiles", () => {
  const cases: Array<[string, VideoMeta, string, string]> = [
    ["H.264 High 1080p + AAC in MP4", HD, "mp4", "video/mp4 AVC_MP4_HP_HD_AAC"],
    ["the same in .m4v", HD, "m4v", "video/mp4 AVC_MP4_HP_HD_AAC"],
    ["H.264 High at 2160p", { ...HD, width: 3840, height: 2160 }, "mp4", "video/mp4 (no PN)"],
    ["H.264 High 10", { ...HD, videoProfile: "High 10" }, "mp4", "video/mp4 (no PN)"],
    ["H.264 High + AC-3 in MP4", { ...HD, audioCodec: "ac3" }, "mp4", "video/mp4 (no PN)"],
    [
      "Constrained Baseline CIF at 15 fps under 520 kbit/s",
      CIF,
      "mp4",
      "video/mp4 AVC_MP4_BL_CIF15_AAC_520",
    ],
    [
      "Constrained Baseline CIF at 30 fps",
      { ...CIF, frameRate: 30 },
      "mp4",
      "video/mp4 AVC_MP4_BL_CIF30_AAC_940",
    ],
    [
      "Baseline CIF above 940 kbit/s falls back to Main SD",
      { ...CIF, frameRate: 30, bitrateBps: 1_200_000 },
      "mp4",
      "video/mp4 AVC_MP4_MP_SD_AAC_MULT5",
    ],
    [
      "NTSC 29.97 fps CIF Baseline",
      { ...CIF, frameRate: 29.97, bitrateBps: 900_000 },
      "mp4",
      "video/mp4 AVC_MP4_BL_CIF30_AAC_940",
    ],
    ["Main SD + AAC", SD, "mp4", "video/mp4 AVC_MP4_MP_SD_AAC_MULT5"],
    ["Main SD + 5.1 AAC", { ...SD, audioChannels: 6 }, "mp4", "video/mp4 AVC_MP4_MP_SD_AAC_MULT5"],
    ["Main SD + HE-AAC", { ...SD, audioProfile: "HE-AAC" }, "mp4", "video/mp4 (no PN)"],
    ["Main SD + AC-3", { ...SD, audioCodec: "ac3" }, "mp4", "video/mp4 AVC_MP4_MP_SD_AC3"],
    [
      "Main SD + MP3",
      { ...SD, audioCodec: "mp3", height: 480 },
      "mp4",
      "video/mp4 AVC_MP4_MP_SD_MPEG1_L3",
    ],
    ["Main SD without sound", { ...SD, audioCodec: undefined }, "mp4", "video/mp4 (no PN)"],
    [
      "Main 720p + AAC",
      { ...SD, width: 1280, height: 720, bitrateBps: 8_000_000 },
      "mp4",
      "video/mp4 AVC_MP4_MP_HD_720p_AAC",
    ],
    [
      "Main 1080 + AAC",
      { ...SD, width: 1920, height: 1080, bitrateBps: 15_000_000 },
      "mp4",
      "video/mp4 AVC_MP4_MP_HD_1080i_AAC",
    ],
    [
      "Main 1080 + AC-3",
      { ...SD, width: 1920, height: 1080, audioCodec: "ac3" },
      "mp4",
      "video/mp4 (no PN)",
    ],
    ["an unknown bit rate", { ...HD, bitrateBps: undefined }, "mp4", "video/mp4 (no PN)"],
    ["H.264 + AAC in QuickTime .mov", HD, "mov", "video/quicktime (no PN)"],
    ["H.264 High + AAC in Matroska", MKV, "mkv", "video/x-matroska AVC_MKV_HP_HD_AAC_MULT5"],
    [
      "H.264 Main + AC-3 in Matroska",
      { ...MKV, videoProfile: "Main", audioCodec: "ac3" },
      "mkv",
      "video/x-matroska AVC_MKV_MP_HD_AC3",
    ],
    [
      "H.264 High + MP3 in Matroska",
      { ...MKV, audioCodec: "mp3" },
      "mkv",
      "video/x-matroska AVC_MKV_HP_HD_MPEG1_L3",
    ],
    [
      "HEVC in Matroska",
      { ...MKV, videoCodec: "hevc", videoProfile: "Main" },
      "mkv",
      "video/x-matroska (no PN)",
    ],
    [
      "VP9 + Opus in WebM",
      { ...MKV, videoCodec: "vp9", audioCodec: "opus" },
      "webm",
      "video/webm (no PN)",
    ],
    ["MPEG-2 PAL + MP2 in a program stream", PS, "mpg", "video/mpeg MPEG_PS_PAL"],
    [
      "MPEG-2 NTSC + AC-3 in a program stream",
      { ...PS, height: 480, frameRate: 29.97, audioCodec: "ac3" },
      "mpg",
      "video/mpeg MPEG_PS_NTSC",
    ],
    [
      "MPEG-2 1080 in a program stream",
      { ...PS, width: 1920, height: 1080 },
      "mpg",
      "video/mpeg (no PN)",
    ],
    [
      "MPEG-1 VCD",
      { ...PS, videoCodec: "mpeg1video", width: 352, height: 288, bitrateBps: 1_400_000 },
      "mpg",
      "video/mpeg MPEG1",
    ],
    ["H.264 in MPEG-TS", { ...HD, container: "mpegts" }, "ts", "video/mp2t (no PN)"],
    [
      "MPEG-4 Part 2 in AVI",
      { ...SD, container: "avi", videoCodec: "mpeg4" },
      "avi",
      "video/x-msvideo (no PN)",
    ],
    ["an unknown container", { ...SD, container: "rm" }, "rm", "video/x-fallback (no PN)"],
  ];
  for (const [what, video, ext, expected] of cases) {
    it(`${what}: ${expected}`, () =>
      assert.equal(show(videoProfile(video, ext, "video/x-fallback")), expected));
  }
});

describe("DLNA image profiles", () => {
  const cases: Array<[string, ImageMeta, string]> = [
    ["JPEG 160x160", { format: "jpeg", width: 160, height: 160 }, "image/jpeg JPEG_TN"],
    ["JPEG 161x100", { format: "jpeg", width: 161, height: 100 }, "image/jpeg JPEG_SM"],
    ["JPEG 640x480", { format: "jpeg", width: 640, height: 480 }, "image/jpeg JPEG_SM"],
    ["JPEG 480x640 portrait", { format: "jpeg", width: 480, height: 640 }, "image/jpeg JPEG_MED"],
    ["JPEG 1024x768", { format: "jpeg", width: 1024, height: 768 }, "image/jpeg JPEG_MED"],
    ["JPEG 4096x4096", { format: "jpeg", width: 4096, height: 4096 }, "image/jpeg JPEG_LRG"],
    ["JPEG 4097x10", { format: "jpeg", width: 4097, height: 10 }, "image/jpeg (no PN)"],
    ["PNG 160x160", { format: "png", width: 160, height: 160 }, "image/png PNG_TN"],
    ["PNG 4096x4096", { format: "png", width: 4096, height: 4096 }, "image/png PNG_LRG"],
    ["PNG 5000x100", { format: "png", width: 5000, height: 100 }, "image/png (no PN)"],
    ["GIF 1600x1200", { format: "gif", width: 1600, height: 1200 }, "image/gif GIF_LRG"],
    ["GIF 1601x1200", { format: "gif", width: 1601, height: 1200 }, "image/gif (no PN)"],
    ["WebP", { format: "webp", width: 100, height: 100 }, "image/webp (no PN)"],
    [
      "HEIF keeps the name's type",
      { format: "heif", width: 100, height: 100 },
      "image/x-fallback (no PN)",
    ],
    ["unknown size", { format: "jpeg" }, "image/jpeg (no PN)"],
  ];
  for (const [what, image, expected] of cases) {
    it(`${what}: ${expected}`, () =>
      assert.equal(show(imageProfile(image, "image/x-fallback")), expected));
  }
});
