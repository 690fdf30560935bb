import { catalogKeys } from "./catalog-keys.js";
import {
  fileNameKey,
  folderChain,
  mirroredFolderId,
  splitPath,
  type ContainerSpec,
  type FolderTree,
} from "./folder-chain.js";
import { itemTitle, type ContainerRecord, type ItemRecord } from "./library-records.js";
import type { FileRef } from "./media-types.js";
import { containerId, fixedIds } from "./object-ids.js";
import {
  artistKey,
  descendingDigits,
  nameIdentity,
  optionalNumberKey,
  PART_SEPARATOR,
  sortKeys,
  UNKNOWN_KEY,
} from "./sort-keys.js";

/** One appearance of an item: the full catalog key of its child entry in `parentId`. */
export interface ChildEntry {
  parentId: string;
  key: string;
}

/** Where an item appears, and the containers those appearances need (ancestors included). */
export interface Placement {
  entries: ChildEntry[];
  /** Empty unless a location was given: folder chains need the item's path. */
  containers: ContainerSpec[];
}

const UNKNOWN = { artist: "Unknown artist", album: "Unknown album", genre: "Unknown genre" };
const MONTHS =
  "January February March April May June July August September October November December".split(
    " ",
  );
const join = (...parts: string[]): string => parts.join(PART_SEPARATOR);
const textKey = (text: string | undefined): string =>
  text === undefined ? UNKNOWN_KEY : sortKeys(text);
const personKey = (name: string | undefined): string =>
  name === undefined ? UNKNOWN_KEY : artistKey(name);
const identity = (name: string | undefined): string =>
  name === undefined ? "" : nameIdentity(name);

/**
 * Every appearance of item `itemId`, computed from its record alone (plus, for the folder chains,
 * its location): the canonical one in its real folder and the references in the virtual tree.
 * A pure function: the same record always gives the same keys, so a removal deletes exactly what
 * the insertion wrote.
 */
export function placements(itemId: string, record: ItemRecord, location?: FileRef): Placement {
  const builder = new PlacementBuilder(location);
  builder.folderEntry("d", record.p, fileNameKey(record.f), itemId);
  if (record.k === "a") placeAudio(builder, `$${itemId}`, record);
  if (record.k === "v") placeVideo(builder, `$${itemId}`, record);
  if (record.k === "p") placePicture(builder, `$${itemId}`, record);
  return builder.placement;
}

class PlacementBuilder {
  readonly placement: Placement = { entries: [], containers: [] };
  readonly #location: { rootId: number; dir: string } | undefined;

  constructor(location: FileRef | undefined) {
    this.#location =
      location === undefined
        ? undefined
        : { rootId: location.rootId, dir: splitPath(location.relPath).dir };
  }

  entry(parentId: string, sortKey: string, localId: string): void {
    this.placement.entries.push({ parentId, key: catalogKeys.child(parentId, sortKey, localId) });
  }

  /** Declares a container and returns its id. */
  container(id: string, depth: number, record: Omit<ContainerRecord, "n" | "u">): string {
    this.placement.containers.push({ id, depth, record });
    return id;
  }

  folderEntry(tree: FolderTree, realFolderId: string, sortKey: string, localId: string): void {
    this.entry(mirroredFolderId(tree, realFolderId), sortKey, localId);
    if (this.#location === undefined) return;
    const { rootId, dir } = this.#location;
    this.placement.containers.push(...folderChain(tree, rootId, dir));
  }
}

function placeAudio(b: PlacementBuilder, ref: string, r: ItemRecord): void {
  const title = itemTitle(r);
  const albumArtist = r.aa ?? r.ar;
  // Same name, different album: told apart by album artist when tagged, else by folder.
  const album = join(identity(r.al), r.aa === undefined ? `d${r.af ?? r.p}` : `a${identity(r.aa)}`);
  const track = join(optionalNumberKey(r.dn ?? 1), optionalNumberKey(r.tn), sortKeys(title));
  b.entry(fixedIds.musicAll, join(sortKeys(title), personKey(r.ar)), ref);

  const artist = person(b, fixedIds.musicArtists, containerId("ar", identity(r.ar)), r.ar);
  b.entry(albumIn(b, artist, containerId("ara", identity(r.ar), album), r), track, ref);
  const byAlbumArtist = containerId("aa", identity(albumArtist));
  person(b, fixedIds.musicAlbumArtists, byAlbumArtist, albumArtist);
  b.entry(
    albumIn(b, byAlbumArtist, containerId("aaa", identity(albumArtist), album), r),
    track,
    ref,
  );

  const albumId = b.container(containerId("al", album), 3, {
    ...albumFacts(r, albumArtist),
    p: fixedIds.musicAlbums,
    k: join(textKey(r.al), personKey(albumArtist)),
  });
  b.entry(albumId, track, ref);

  const genre = b.container(containerId("g", identity(r.g)), 3, {
    c: "g",
    t: r.g ?? UNKNOWN.genre,
    p: fixedIds.musicGenres,
    k: textKey(r.g),
  });
  const genreArtist = containerId("ga", identity(r.g), identity(r.ar));
  b.container(genreArtist, 4, { c: "ar", t: r.ar ?? UNKNOWN.artist, p: genre, k: personKey(r.ar) });
  b.entry(genreArtist, join(textKey(r.al), track), ref);
  b.folderEntry("md", r.p, fileNameKey(r.f), ref);
}

function person(
  b: PlacementBuilder,
  parentId: string,
  id: string,
  name: string | undefined,
): string {
  return b.container(id, 3, {
    c: "ar",
    t: name ?? UNKNOWN.artist,
    p: parentId,
    k: personKey(name),
  });
}

/** An album under an artist: that artist's albums are listed oldest first, then by name. */
function albumIn(b: PlacementBuilder, artistId: string, id: string, r: ItemRecord): string {
  return b.container(id, 4, {
    ...albumFacts(r, r.aa ?? r.ar),
    p: artistId,
    k: join(optionalNumberKey(r.y), textKey(r.al)),
  });
}

function albumFacts(
  r: ItemRecord,
  albumArtist: string | undefined,
): Pick<ContainerRecord, "c" | "t" | "ar" | "y"> {
  const facts: Pick<ContainerRecord, "c" | "t" | "ar" | "y"> = {
    c: "al",
    t: r.al ?? UNKNOWN.album,
  };
  if (albumArtist !== undefined) facts.ar = albumArtist;
  if (r.y !== undefined) facts.y = r.y;
  return facts;
}

function placeVideo(b: PlacementBuilder, ref: string, r: ItemRecord): void {
  b.entry(fixedIds.videoAll, join(sortKeys(itemTitle(r)), sortKeys(r.f)), ref);
  b.folderEntry("vd", r.p, fileNameKey(r.f), ref);
}

/** "All pictures" lists the newest first; a month plays like a film roll, oldest first. */
function placePicture(b: PlacementBuilder, ref: string, r: ItemRecord): void {
  const stamp = (r.dt ?? "").replace(/\D/g, "").padEnd(14, "0").slice(0, 14);
  const year = stamp.slice(0, 4);
  const month = stamp.slice(4, 6);
  const name = sortKeys(r.f, 64);
  b.entry(fixedIds.pictureAll, join(descendingDigits(stamp), name), ref);
  const yearId = b.container(containerId("y", year), 3, {
    c: "c",
    t: year,
    p: fixedIds.pictureDates,
    k: descendingDigits(year),
  });
  const monthTitle = `${MONTHS[Number(month) - 1] ?? month} ${year}`;
  const monthId = b.container(containerId("ym", year, month), 4, {
    c: "c",
    t: monthTitle,
    p: yearId,
    k: month,
  });
  b.entry(monthId, join(stamp, name), ref);
  b.folderEntry("pd", r.p, fileNameKey(r.f), ref);
}
