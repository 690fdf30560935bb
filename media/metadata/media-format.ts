import type { AudioMeta, ImageMeta, MediaClass, VideoMeta } from "../library/media-types.js";

/**
 * What a renderer is told about a resource: its MIME type and, when one fits, its DLNA.ORG_PN
 * (the profile name in protocolInfo and contentFeatures.dlna.org). Produced by the dlna-*-profile
 * tables from the real codecs; an absent profile is deliberate (see media/metadata/README.md).
 */
export interface MediaFormat {
  mime: string;
  dlnaProfile?: string;
}

/**
 * What reading one file's content found: its class (a video container holding only audio is
 * audio), format and the facts of its class. The IndexedFile fields that come from the content.
 */
export interface MediaDetails extends MediaFormat {
  mediaClass: MediaClass;
  audio?: AudioMeta;
  video?: VideoMeta;
  image?: ImageMeta;
}
