import type { CatalogOp } from "../../storage/catalog/catalog-namespace.js";
import { catalogKeys } from "./catalog-keys.js";
import type { ContainerSpec } from "./folder-chain.js";
import type { ContainerKind, ContainerRecord } from "./library-records.js";
import { fixedIds } from "./object-ids.js";
import { numberKey } from "./sort-keys.js";

/** The parent id UPnP gives the root container. */
export const ROOT_PARENT_ID = "-1";

// Parent, then its children in the order a client shows them.
const TREE: ReadonlyArray<
  [parent: string, children: ReadonlyArray<[string, string, ContainerKind]>]
> = [
  [
    fixedIds.root,
    [
      [fixedIds.music, "Music", "c"],
      [fixedIds.videos, "Videos", "c"],
      [fixedIds.pictures, "Pictures", "c"],
      [fixedIds.folders, "Folders", "f"],
    ],
  ],
  [
    fixedIds.music,
    [
      [fixedIds.musicAll, "All tracks", "c"],
      [fixedIds.musicArtists, "Artists", "c"],
      [fixedIds.musicAlbumArtists, "Album artists", "c"],
      [fixedIds.musicAlbums, "Albums", "c"],
      [fixedIds.musicGenres, "Genres", "c"],
      [fixedIds.musicFolders, "Folders", "f"],
    ],
  ],
  [
    fixedIds.videos,
    [
      [fixedIds.videoAll, "All videos", "c"],
      [fixedIds.videoFolders, "Folders", "f"],
    ],
  ],
  [
    fixedIds.pictures,
    [
      [fixedIds.pictureAll, "All pictures", "c"],
      [fixedIds.pictureDates, "By date", "c"],
      [fixedIds.pictureFolders, "Folders", "f"],
    ],
  ],
];

function buildFixed(): Map<string, ContainerSpec> {
  const specs = new Map<string, ContainerSpec>();
  specs.set(fixedIds.root, {
    id: fixedIds.root,
    depth: 0,
    record: { c: "c", t: "root", p: ROOT_PARENT_ID, k: "" },
  });
  for (const [parent, children] of TREE) {
    const depth = (specs.get(parent)?.depth ?? 0) + 1;
    children.forEach(([id, title, kind], i) => {
      specs.set(id, { id, depth, record: { c: kind, t: title, p: parent, k: numberKey(i) } });
    });
  }
  return specs;
}

/**
 * The containers that always exist, whether or not the library holds anything: the root, Music,
 * Videos, Pictures, Folders and their fixed children. They are never deleted when empty.
 */
export const fixedContainers: ReadonlyMap<string, ContainerSpec> = buildFixed();

/** The writes that create the fixed skeleton in an empty library (schema version 1). */
export function fixedSkeletonOps(): CatalogOp[] {
  const ops: CatalogOp[] = [];
  for (const spec of fixedContainers.values()) {
    const childCount = TREE.find(([parent]) => parent === spec.id)?.[1].length ?? 0;
    const record: ContainerRecord = { ...spec.record, n: childCount, u: 0 };
    ops.push({ type: "put", key: catalogKeys.object(spec.id), value: record });
    if (spec.id === fixedIds.root) continue;
    ops.push({
      type: "put",
      key: catalogKeys.child(spec.record.p, spec.record.k, spec.id),
      value: 0,
    });
  }
  return ops;
}
