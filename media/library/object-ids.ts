import { createHash } from "node:crypto";

/**
 * Object ids (see README.md "Ids"). Three disjoint shapes, none of which carries a path:
 * - fixed containers: MiniDLNA's well-known ids ("0", "1", "1$4", "64"...), so clients and
 *   scripts written against MiniDLNA find the same top level;
 * - other containers: 12 characters of Crockford base32 (60 bits of SHA-1 over the container's
 *   identity, e.g. artist name or folder), so the same artist or folder gets the same id after a
 *   restart, a rescan, and even a rebuilt catalog. Crockford's alphabet has no "i";
 * - items: "i" + a base-36 counter kept in the catalog ("i1", "i2s"): compact, never reused, and
 *   kept by a moved file. A reference (the same file in a virtual container) is
 *   "<container id>$<item id>", MiniDLNA's shape, with refID = the item id.
 */
export const fixedIds = {
  root: "0",
  music: "1",
  musicAll: "1$4",
  musicGenres: "1$5",
  musicArtists: "1$6",
  musicAlbums: "1$7",
  musicAlbumArtists: "1$AA",
  musicFolders: "1$14",
  videos: "2",
  videoAll: "2$8",
  videoFolders: "2$15",
  pictures: "3",
  pictureAll: "3$B",
  pictureDates: "3$C",
  pictureFolders: "3$16",
  folders: "64",
} as const;

/** What an object id names; `undefined` from `parseObjectId` means no object can have that id. */
export type ParsedId =
  | { kind: "item"; itemId: string }
  | { kind: "ref"; containerId: string; itemId: string }
  | { kind: "container"; containerId: string };

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
/** Ids come from the network: anything else is refused before it reaches the catalog. */
const ID_SHAPE = /^[0-9A-Za-z]+(\$[0-9A-Za-z]+)*$/;
const MAX_ID_CHARS = 64;
const ITEM_SHAPE = /^i[0-9a-z]{1,12}$/;

/** Classifies an id from a client; undefined for ids no object can have. */
export function parseObjectId(id: string): ParsedId | undefined {
  if (id.length > MAX_ID_CHARS || !ID_SHAPE.test(id)) return undefined;
  if (id.startsWith("i")) return ITEM_SHAPE.test(id) ? { kind: "item", itemId: id } : undefined;
  const dollar = id.lastIndexOf("$");
  const tail = id.slice(dollar + 1);
  if (dollar > 0 && tail.startsWith("i")) {
    if (!ITEM_SHAPE.test(tail)) return undefined;
    return { kind: "ref", containerId: id.slice(0, dollar), itemId: tail };
  }
  return { kind: "container", containerId: id };
}

// The tracks of one album ask for the same few ids over and over; SHA-1 costs ~3 µs a call.
const MEMO_SIZE = 8192;
const memo = new Map<string, string>();

/** The id of the container with this identity: the same identity always gives the same id. */
export function containerId(...identity: ReadonlyArray<string | number>): string {
  const text = identity.join("\u0000");
  let id = memo.get(text);
  if (id === undefined) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    id = hashId(text);
    memo.set(text, id);
  }
  return id;
}

function hashId(text: string): string {
  const digest = createHash("sha1").update(text).digest();
  let bits = digest.readBigUInt64BE(0) >> 4n;
  let id = "";
  for (let i = 0; i < 12; i += 1) {
    id = (CROCKFORD[Number(bits & 31n)] ?? "0") + id;
    bits >>= 5n;
  }
  return id;
}

/** The item id for counter value `n` (1, 2, ...). */
export function itemIdFor(n: number): string {
  return `i${n.toString(36)}`;
}

/** The id of a reference to item `itemId` inside container `parentId`. */
export function refIdFor(parentId: string, itemId: string): string {
  return `${parentId}$${itemId}`;
}

/**
 * The object id of a container's child from its local id in the child list (catalogKeys.child):
 * "$<itemId>" is a reference placed in that container, anything else is the object's own id.
 */
export function childObjectId(parentId: string, localId: string): string {
  return localId.startsWith("$") ? refIdFor(parentId, localId.slice(1)) : localId;
}
