import type { AudioMeta } from "../library/media-types.js";
import type { MediaFormat } from "./media-format.js";

interface AudioRule {
  /** DLNA.ORG_PN sent when the rule matches; undefined = a known format with no profile. */
  profile: string | undefined;
  mime: string;
  /** Where the limits come from, for the next reader. */
  source: string;
  matches(a: AudioMeta): boolean;
}

const MP3_RATES = [32_000, 44_100, 48_000];
const isMp4Container = (a: AudioMeta): boolean =>
  /^(M4A|M4B|M4P|isom|iso\d|mp4\d?)\b/i.test(a.container ?? "");
// The AAC_ISO profiles are AAC LC only (HE-AAC has HEAAC_* profiles); the object type comes
// from the esds box (mp4-aac-config.ts). Unknown object type: no profile.
const isMp4Aac = (a: AudioMeta): boolean =>
  isMp4Container(a) && a.codec === "MPEG-4/AAC" && a.codecProfile === "AAC LC";
const isAdtsLc = (a: AudioMeta): boolean =>
  /^ADTS/.test(a.container ?? "") && a.codec === "AAC" && a.codecProfile === "AAC LC";
const rateIn = (a: AudioMeta, min: number, max: number): boolean =>
  a.sampleRateHz !== undefined && a.sampleRateHz >= min && a.sampleRateHz <= max;
const fits = (a: AudioMeta, maxChannels: number, maxBitrate: number): boolean =>
  a.channels !== undefined &&
  a.channels <= maxChannels &&
  a.bitrateBps !== undefined &&
  a.bitrateBps <= maxBitrate;
const isWmaStandard = (a: AudioMeta): boolean =>
  a.container?.startsWith("ASF") === true &&
  /^Windows Media Audio (V7|V8|9(\.\d)?)$/.test(a.codec ?? "");

/**
 * Audio profiles, first match wins. Limits are those of the DLNA Networked Device
 * Interoperability Guidelines (2006), vol. 2 "Media Format Profiles", cross-checked with
 * MiniDLNA's tagutils (which devices have accepted for years). Formats DLNA never defined (FLAC,
 * Ogg Vorbis/Opus, WAV, AIFF, APE, WavPack, DSD) get their MIME type and no DLNA.ORG_PN: an absent PN
 * makes a renderer try the file, a wrong one makes it refuse.
 */
const RULES: readonly AudioRule[] = [
  {
    profile: "MP3",
    mime: "audio/mpeg",
    source: "DLNA vol. 2 MP3: MPEG-1 Layer III, 32/44.1/48 kHz, ≤2 ch, ≤320 kbit/s",
    matches: (a) =>
      a.container === "MPEG" &&
      a.codec === "MPEG 1 Layer 3" &&
      MP3_RATES.includes(a.sampleRateHz ?? 0) &&
      fits(a, 2, 320_000),
  },
  {
    // MPEG-2/2.5 Layer III would be MP3X, which many TVs do not list; leave it unprofiled.
    profile: undefined,
    mime: "audio/mpeg",
    source: "MP3X omitted on purpose",
    matches: (a) => a.container === "MPEG",
  },
  {
    profile: "AAC_ISO_320",
    mime: "audio/mp4",
    source: "DLNA vol. 2 AAC_ISO_320: AAC LC in MP4, 8–48 kHz, ≤2 ch, ≤320 kbit/s",
    matches: (a) => isMp4Aac(a) && rateIn(a, 8_000, 48_000) && fits(a, 2, 320_000),
  },
  {
    profile: "AAC_ISO",
    mime: "audio/mp4",
    source: "DLNA vol. 2 AAC_ISO: AAC LC in MP4, 8–48 kHz, ≤2 ch, ≤576 kbit/s",
    matches: (a) => isMp4Aac(a) && rateIn(a, 8_000, 48_000) && fits(a, 2, 576_000),
  },
  {
    profile: "AAC_MULT5_ISO",
    mime: "audio/mp4",
    source: "DLNA vol. 2 AAC_MULT5_ISO: AAC LC in MP4, 8–48 kHz, ≤6 ch, ≤1440 kbit/s",
    matches: (a) => isMp4Aac(a) && rateIn(a, 8_000, 48_000) && fits(a, 6, 1_440_000),
  },
  {
    profile: undefined,
    mime: "audio/mp4",
    source: "ALAC, HE-AAC or out-of-range AAC in MP4: no profile",
    matches: isMp4Container,
  },
  {
    profile: "AAC_ADTS_320",
    mime: "audio/vnd.dlna.adts",
    source: "DLNA vol. 2 AAC_ADTS_320: AAC LC in ADTS, 8–48 kHz, ≤2 ch, ≤320 kbit/s",
    matches: (a) => isAdtsLc(a) && rateIn(a, 8_000, 48_000) && fits(a, 2, 320_000),
  },
  {
    profile: "AAC_ADTS",
    mime: "audio/vnd.dlna.adts",
    source: "DLNA vol. 2 AAC_ADTS: AAC LC in ADTS, 8–48 kHz, ≤2 ch, ≤576 kbit/s",
    matches: (a) => isAdtsLc(a) && rateIn(a, 8_000, 48_000) && fits(a, 2, 576_000),
  },
  {
    profile: "WMABASE",
    mime: "audio/x-ms-wma",
    source:
      "DLNA vol. 2 WMABASE: WMA 7/8/9 standard, ≤192 kbit/s (MiniDLNA: <193 000; ASF parser gives no channels)",
    matches: (a) => isWmaStandard(a) && a.bitrateBps !== undefined && a.bitrateBps < 193_000,
  },
  {
    profile: "WMAFULL",
    mime: "audio/x-ms-wma",
    source: "DLNA vol. 2 WMAFULL: WMA 7/8/9 standard, ≤2 ch, ≤385 kbit/s",
    matches: (a) => isWmaStandard(a) && a.bitrateBps !== undefined && a.bitrateBps < 385_000,
  },
  {
    profile: undefined,
    mime: "audio/x-ms-wma",
    source: "WMA Pro/Lossless/Voice: no profile (we cannot tell their limits apart reliably)",
    matches: (a) => a.container?.startsWith("ASF") === true,
  },
  {
    profile: undefined,
    mime: "audio/x-flac",
    source: "FLAC has no DLNA profile; MiniDLNA sends audio/x-flac without PN and TVs accept it",
    matches: (a) => a.container === "FLAC",
  },
  {
    // DLNA's LPCM profile is raw big-endian audio/L16; WAV is little-endian PCM in RIFF, so a
    // WAV file is not LPCM (MiniDLNA came to the same conclusion in tagutils-wav.c).
    profile: undefined,
    mime: "audio/wav",
    source: "WAV: audio/wav, never LPCM",
    matches: (a) => a.container === "WAVE",
  },
  {
    profile: undefined,
    mime: "audio/ogg",
    source: "Vorbis/Opus/FLAC in Ogg: RFC 5334 audio/ogg, no DLNA profile",
    matches: (a) => a.container === "Ogg",
  },
];

/**
 * MIME type and DLNA.ORG_PN for an audio file from what its tags parser found. `fallbackMime`
 * (from the file name) is used for containers the table does not know.
 */
export function audioProfile(audio: AudioMeta, fallbackMime: string): MediaFormat {
  const rule = RULES.find((r) => r.matches(audio));
  if (rule === undefined) return { mime: fallbackMime };
  return rule.profile === undefined
    ? { mime: rule.mime }
    : { mime: rule.mime, dlnaProfile: rule.profile };
}
