/**
 * The optional DIDL-Lite properties a Browse or Search asks for (ContentDirectory:1 §2.5.7). The
 * required ones (id, parentID, restricted, dc:title, upnp:class) always go out; `res` is optional
 * but, once it goes out, so does its required protocolInfo attribute.
 */
export interface DidlFilter {
  readonly refId: boolean;
  readonly childCount: boolean;
  readonly searchable: boolean;
  readonly creator: boolean;
  /** upnp:artist, with and without role="AlbumArtist". */
  readonly artist: boolean;
  readonly album: boolean;
  readonly genre: boolean;
  readonly trackNumber: boolean;
  readonly date: boolean;
  /** upnp:albumArtURI, always with its dlna:profileID (DLNA requires it on JPEG_TN art). */
  readonly albumArt: boolean;
  readonly res: boolean;
  readonly resSize: boolean;
  readonly resDuration: boolean;
  readonly resBitrate: boolean;
  readonly resSampleFrequency: boolean;
  readonly resChannels: boolean;
  readonly resResolution: boolean;
  /** Samsung's sec:CaptionInfoEx (subtitle URL). */
  readonly captionInfo: boolean;
}

type Flag = keyof DidlFilter;

const NONE: DidlFilter = {
  refId: false,
  childCount: false,
  searchable: false,
  creator: false,
  artist: false,
  album: false,
  genre: false,
  trackNumber: false,
  date: false,
  albumArt: false,
  res: false,
  resSize: false,
  resDuration: false,
  resBitrate: false,
  resSampleFrequency: false,
  resChannels: false,
  resResolution: false,
  captionInfo: false,
};

/** Filter "*": every property the server has. */
export const FULL_FILTER: DidlFilter = Object.freeze(
  Object.fromEntries(Object.keys(NONE).map((flag) => [flag, true])) as unknown as DidlFilter,
);

/** Filter "": the required properties only. */
export const REQUIRED_FILTER: DidlFilter = Object.freeze({ ...NONE });

// Property names as clients write them, with the flags they turn on. An attribute of an optional
// element ("res@size") brings the element with it; attributes go bare ("@refID") or with their
// element ("item@refID"). Required properties and names hearth never sends need no entry.
const PROPERTIES: ReadonlyMap<string, readonly Flag[]> = new Map<string, Flag[]>([
  ["@refID", ["refId"]],
  ["item@refID", ["refId"]],
  ["@childCount", ["childCount"]],
  ["container@childCount", ["childCount"]],
  ["@searchable", ["searchable"]],
  ["container@searchable", ["searchable"]],
  ["dc:creator", ["creator"]],
  ["upnp:artist", ["artist"]],
  ["upnp:artist@role", ["artist"]],
  ["upnp:album", ["album"]],
  ["upnp:genre", ["genre"]],
  ["upnp:originalTrackNumber", ["trackNumber"]],
  ["dc:date", ["date"]],
  ["upnp:albumArtURI", ["albumArt"]],
  ["upnp:albumArtURI@dlna:profileID", ["albumArt"]],
  ["res", ["res"]],
  ["res@protocolInfo", ["res"]],
  ["res@size", ["res", "resSize"]],
  ["res@duration", ["res", "resDuration"]],
  ["res@bitrate", ["res", "resBitrate"]],
  ["res@sampleFrequency", ["res", "resSampleFrequency"]],
  ["res@nrAudioChannels", ["res", "resChannels"]],
  ["res@resolution", ["res", "resResolution"]],
  ["sec:CaptionInfoEx", ["captionInfo"]],
  ["sec:CaptionInfoEx@sec:type", ["captionInfo"]],
  // Older Samsung firmware asks for the name without "Ex"; the Ex element is what it reads.
  ["sec:CaptionInfo", ["captionInfo"]],
]);

/**
 * Parses a Filter argument once per request: "*" (alone or in the list) is everything; otherwise
 * a comma-separated list of property names, spaces around names ignored, unknown names ignored
 * (the spec lets a server leave out what it does not have); "" is the required properties only.
 */
export function parseDidlFilter(text: string): DidlFilter {
  const names = text.split(",").map((name) => name.trim());
  if (names.includes("*")) return FULL_FILTER;
  const filter: Record<Flag, boolean> = { ...NONE };
  for (const name of names) {
    for (const flag of PROPERTIES.get(name) ?? []) filter[flag] = true;
  }
  return filter;
}
