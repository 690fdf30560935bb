import type { ContainerRecord, ItemRecord } from "./library-records.js";
import { itemTitle } from "./library-records.js";
import type { MediaClass } from "./media-types.js";

/** What the media server renders as one DIDL-Lite object; no further lookup needed. */
export type LibraryObject = LibraryContainer | LibraryItem;

interface LibraryObjectBase {
  id: string;
  /** "-1" for the root. */
  parentId: string;
  /** Clean text (no characters XML 1.0 forbids); escape it, nothing more. */
  title: string;
  /** upnp:class. */
  upnpClass: string;
}

export interface LibraryContainer extends LibraryObjectBase {
  isContainer: true;
  childCount: number;
  /** This container's update id (for ContainerUpdateIDs). */
  updateId: number;
  /** Albums: upnp:artist / dc:creator. */
  artist?: string;
  /** Albums: the year, for dc:date. */
  year?: number;
}

/** A subtitle of a video item; fetch its file with `Library.itemFile(id).subtitles[index]`. */
export interface LibrarySubtitle {
  index: number;
  /** "srt" | "ass" | "ssa" | "vtt". */
  format: string;
  mime: string;
  language?: string;
}

export interface LibraryItem extends LibraryObjectBase {
  isContainer: false;
  /** The canonical item's id; set only on references (refID), equal to `itemId`. */
  refId?: string;
  /** The canonical item: one res URL per file, whichever reference is browsed. */
  itemId: string;
  mediaClass: MediaClass;
  mime: string;
  /** DLNA.ORG_PN. */
  dlnaProfile?: string;
  sizeBytes: number;
  durationSeconds?: number;
  width?: number;
  height?: number;
  /** Bits per second (UPnP's res@bitrate is bytes per second: divide by 8). */
  bitrateBps?: number;
  sampleRateHz?: number;
  channels?: number;
  artist?: string;
  albumArtist?: string;
  album?: string;
  genre?: string;
  trackNumber?: number;
  discNumber?: number;
  year?: number;
  /** Pictures: local date and time taken (or file mtime), "YYYY-MM-DDThh:mm:ss". */
  date?: string;
  subtitles: LibrarySubtitle[];
  hasEmbeddedArt: boolean;
  /** True when a folder cover image (cover.jpg...) belongs to the item. */
  hasCover: boolean;
  /** True when the indexer could not read its metadata: listed by its file name. */
  hasMetadataError: boolean;
}

const CONTAINER_CLASS: Record<ContainerRecord["c"], string> = {
  c: "object.container",
  f: "object.container.storageFolder",
  r: "object.container.storageFolder",
  al: "object.container.album.musicAlbum",
  ar: "object.container.person.musicArtist",
  g: "object.container.genre.musicGenre",
};

const ITEM_CLASS: Record<ItemRecord["k"], string> = {
  a: "object.item.audioItem.musicTrack",
  v: "object.item.videoItem",
  p: "object.item.imageItem.photo",
};

const MEDIA_CLASS: Record<ItemRecord["k"], MediaClass> = { a: "audio", v: "video", p: "image" };

/** A stored container as the server sees it; `rootTitle` names root folders. */
export function containerObject(
  id: string,
  record: ContainerRecord,
  rootTitle: (rootId: number) => string,
): LibraryContainer {
  const container: LibraryContainer = {
    id,
    parentId: record.p,
    title: record.c === "r" ? rootTitle(record.r ?? 0) : record.t,
    upnpClass: CONTAINER_CLASS[record.c] ?? CONTAINER_CLASS.c,
    isContainer: true,
    childCount: record.n,
    updateId: record.u,
  };
  if (record.ar !== undefined) container.artist = record.ar;
  if (record.y !== undefined) container.year = record.y;
  return container;
}

/** The record's optional facts, present only when known (`field: record field`). */
const OPTIONAL_FACTS = [
  ["dlnaProfile", "pn"],
  ["durationSeconds", "d"],
  ["width", "w"],
  ["height", "h"],
  ["bitrateBps", "b"],
  ["sampleRateHz", "s"],
  ["channels", "ch"],
  ["artist", "ar"],
  ["albumArtist", "aa"],
  ["album", "al"],
  ["genre", "g"],
  ["trackNumber", "tn"],
  ["discNumber", "dn"],
  ["year", "y"],
  ["date", "dt"],
] as const satisfies ReadonlyArray<readonly [keyof LibraryItem, keyof ItemRecord]>;

/** A stored item as the server sees it, as itself or as a reference from `parentId`. */
export function itemObject(
  itemId: string,
  record: ItemRecord,
  reference?: { id: string; parentId: string },
): LibraryItem {
  const item: LibraryItem = {
    id: reference?.id ?? itemId,
    parentId: reference?.parentId ?? record.p,
    title: itemTitle(record),
    upnpClass: ITEM_CLASS[record.k],
    isContainer: false,
    itemId,
    mediaClass: MEDIA_CLASS[record.k],
    mime: record.m,
    sizeBytes: record.z,
    subtitles: (record.sb ?? []).map(([, format, mime, language], index) =>
      language === undefined ? { index, format, mime } : { index, format, mime, language },
    ),
    hasEmbeddedArt: record.ea === 1,
    hasCover: record.cv !== undefined,
    hasMetadataError: record.er === 1,
  };
  if (reference !== undefined) item.refId = itemId;
  // Absent rather than undefined-valued, so objects compare and serialise cleanly; set only
  // when present (a `delete` would turn every object into a slow dictionary-mode one).
  const facts = item as unknown as Record<string, unknown>;
  for (const [field, stored] of OPTIONAL_FACTS) {
    const value = record[stored];
    if (value !== undefined) facts[field] = value;
  }
  return item;
}
