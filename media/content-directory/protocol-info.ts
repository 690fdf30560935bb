import type { MediaClass } from "../library/media-types.js";

// DLNA.ORG_FLAGS bits (DLNA guidelines 7.4.1.3.24), the high 32 of the 128-bit field.
const DLNA_V1_5 = 0x0010_0000;
/** The server keeps a paused connection open instead of dropping it. */
const HTTP_STALLING = 0x0020_0000;
const TM_BACKGROUND = 0x0040_0000;
const TM_INTERACTIVE = 0x0080_0000;
const TM_STREAMING = 0x0100_0000;

function flagsField(flags: number): string {
  return `DLNA.ORG_FLAGS=${flags.toString(16).toUpperCase().padStart(8, "0")}${"0".repeat(24)}`;
}

/**
 * The 4th protocolInfo field without DLNA.ORG_PN. Every file is served by the res route with byte
 * ranges, hence OP=01 (range seek, no time seek) for all classes, as MiniDLNA does; audio and video
 * are Streaming transfers, pictures Interactive ones (DLNA 7.4.1.3.24). CI=0: the original file.
 */
const FILE_FEATURES: Readonly<Record<MediaClass, string>> = {
  audio: `DLNA.ORG_OP=01;DLNA.ORG_CI=0;${flagsField(DLNA_V1_5 | HTTP_STALLING | TM_BACKGROUND | TM_STREAMING)}`,
  video: `DLNA.ORG_OP=01;DLNA.ORG_CI=0;${flagsField(DLNA_V1_5 | HTTP_STALLING | TM_BACKGROUND | TM_STREAMING)}`,
  image: `DLNA.ORG_OP=01;DLNA.ORG_CI=0;${flagsField(DLNA_V1_5 | HTTP_STALLING | TM_BACKGROUND | TM_INTERACTIVE)}`,
};

/**
 * The protocolInfo of a thumbnail from the art route: made by hearth (CI=1), small, fetched
 * whole, so no seek is promised (OP=00) and no stalling either.
 */
export const THUMBNAIL_PROTOCOL_INFO = `http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN;DLNA.ORG_OP=00;DLNA.ORG_CI=1;${flagsField(DLNA_V1_5 | TM_BACKGROUND | TM_INTERACTIVE)}`;

/**
 * `http-get:*:<mime>:<DLNA fields>` for a file's res element and the contentFeatures.dlna.org
 * header (which is the 4th field alone: `dlnaFeatures`). The profile goes in only when known, and
 * only when the client accepts profiles (`withProfile`).
 */
export function protocolInfo(
  mime: string,
  mediaClass: MediaClass,
  dlnaProfile: string | undefined,
  withProfile = true,
): string {
  return `http-get:*:${mime}:${dlnaFeatures(mediaClass, dlnaProfile, withProfile)}`;
}

/** The 4th protocolInfo field, also the value of the contentFeatures.dlna.org header. */
export function dlnaFeatures(
  mediaClass: MediaClass,
  dlnaProfile: string | undefined,
  withProfile = true,
): string {
  const features = FILE_FEATURES[mediaClass];
  return dlnaProfile === undefined || !withProfile
    ? features
    : `DLNA.ORG_PN=${dlnaProfile};${features}`;
}
