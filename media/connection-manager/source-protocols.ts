/** One MIME type hearth serves and the DLNA.ORG_PN values its files can carry. */
export interface ServedFormat {
  mime: string;
  profiles: readonly string[];
}

/**
 * Every MIME type and DLNA profile the dlna-{audio,video,image}-profile tables in media/metadata
 * can give a file, plus the types classifyName gives files without one (broken metadata, formats
 * DLNA never defined). Mirrors those tables: the test of this file sweeps the profile functions
 * and fails when the two disagree, so a new profile there must be added here.
 */
export const SERVED_FORMATS: readonly ServedFormat[] = [
  // Audio
  { mime: "audio/mpeg", profiles: ["MP3"] },
  { mime: "audio/mp4", profiles: ["AAC_ISO_320", "AAC_ISO", "AAC_MULT5_ISO"] },
  { mime: "audio/vnd.dlna.adts", profiles: ["AAC_ADTS_320", "AAC_ADTS"] },
  { mime: "audio/x-ms-wma", profiles: ["WMABASE", "WMAFULL"] },
  { mime: "audio/x-flac", profiles: [] },
  { mime: "audio/wav", profiles: [] },
  { mime: "audio/ogg", profiles: [] },
  { mime: "audio/aiff", profiles: [] },
  { mime: "audio/x-ape", profiles: [] },
  { mime: "audio/x-wavpack", profiles: [] },
  { mime: "audio/x-matroska", profiles: [] },
  { mime: "audio/x-dsd", profiles: [] },
  // Video
  {
    mime: "video/mp4",
    profiles: [
      "AVC_MP4_BL_CIF15_AAC_520",
      "AVC_MP4_BL_CIF30_AAC_940",
      "AVC_MP4_MP_SD_AAC_MULT5",
      "AVC_MP4_MP_SD_MPEG1_L3",
      "AVC_MP4_MP_SD_AC3",
      "AVC_MP4_MP_HD_720p_AAC",
      "AVC_MP4_MP_HD_1080i_AAC",
      "AVC_MP4_HP_HD_AAC",
    ],
  },
  {
    mime: "video/x-matroska",
    profiles: [
      "AVC_MKV_MP_HD_AAC_MULT5",
      "AVC_MKV_MP_HD_AC3",
      "AVC_MKV_MP_HD_MPEG1_L3",
      "AVC_MKV_HP_HD_AAC_MULT5",
      "AVC_MKV_HP_HD_AC3",
      "AVC_MKV_HP_HD_MPEG1_L3",
    ],
  },
  { mime: "video/mpeg", profiles: ["MPEG_PS_PAL", "MPEG_PS_NTSC", "MPEG1"] },
  { mime: "video/mp2t", profiles: [] },
  { mime: "video/webm", profiles: [] },
  { mime: "video/quicktime", profiles: [] },
  { mime: "video/3gpp", profiles: [] },
  { mime: "video/x-msvideo", profiles: [] },
  { mime: "video/x-flv", profiles: [] },
  { mime: "video/ogg", profiles: [] },
  { mime: "video/x-ms-wmv", profiles: [] },
  { mime: "video/x-ms-asf", profiles: [] },
  // Pictures (JPEG_TN is also every thumbnail and album art under /media/art/)
  { mime: "image/jpeg", profiles: ["JPEG_TN", "JPEG_SM", "JPEG_MED", "JPEG_LRG"] },
  { mime: "image/png", profiles: ["PNG_TN", "PNG_LRG"] },
  { mime: "image/gif", profiles: ["GIF_LRG"] },
  { mime: "image/webp", profiles: [] },
  { mime: "image/bmp", profiles: [] },
  { mime: "image/tiff", profiles: [] },
  { mime: "image/avif", profiles: [] },
  { mime: "image/heic", profiles: [] },
  { mime: "image/heif", profiles: [] },
];

/**
 * The protocolInfo list for ConnectionManager's SourceProtocolInfo (CMS:1 §2.2.2): per type, one
 * `http-get:*:<mime>:DLNA.ORG_PN=<PN>` per profile, then `http-get:*:<mime>:*`. The plain entry
 * is there for profiled types too: a file over a profile's limits (an MP3 at 22 kHz, a 5000 px
 * JPEG) is served with no PN, and a control point that matches strictly would otherwise think
 * hearth cannot serve it.
 */
export function sourceProtocols(formats: readonly ServedFormat[] = SERVED_FORMATS): string[] {
  const list: string[] = [];
  for (const { mime, profiles } of formats) {
    for (const profile of profiles) list.push(`http-get:*:${mime}:DLNA.ORG_PN=${profile}`);
    list.push(`http-get:*:${mime}:*`);
  }
  return list;
}
