import { fixedIds, containerId } from "./object-ids.js";
import type { ContainerRecord } from "./library-records.js";
import { cleanText } from "./library-records.js";
import { numberKey, sortKeys } from "./sort-keys.js";

/** A container as an item's placement needs it: created from `record` when it does not exist. */
export interface ContainerSpec {
  id: string;
  /** Distance from the root "0"; a child is always deeper than its parent. */
  depth: number;
  record: Omit<ContainerRecord, "n" | "u">;
}

/** Which folder tree: the real one (every item) or Music/Videos/Pictures' filtered copies. */
export type FolderTree = "d" | "md" | "vd" | "pd";

const TOP: Record<FolderTree, { id: string; depth: number }> = {
  d: { id: fixedIds.folders, depth: 1 },
  md: { id: fixedIds.musicFolders, depth: 2 },
  vd: { id: fixedIds.videoFolders, depth: 2 },
  pd: { id: fixedIds.pictureFolders, depth: 2 },
};

// In a folder, subfolders come first, then files; each group in natural name order. Names get a
// longer key than titles: "Podcast - Episode 10.mp3" must sort after "... Episode 9.mp3".
const FOLDER_FIRST = "0";
const FILE_AFTER = "1";
const NAME_KEY_CHARS = 64;

/** A file's sort key in a folder. */
export function fileNameKey(name: string): string {
  return FILE_AFTER + sortKeys(name, NAME_KEY_CHARS);
}

/** "a/b/c.mp3" → { dir: "a/b", name: "c.mp3" }; "c.mp3" → { dir: "", name: "c.mp3" }. */
export function splitPath(relPath: string): { dir: string; name: string } {
  const slash = relPath.lastIndexOf("/");
  return slash < 0
    ? { dir: "", name: relPath }
    : { dir: relPath.slice(0, slash), name: relPath.slice(slash + 1) };
}

/** The real folder's container id ("" = the root itself). */
export function folderIdOf(rootId: number, dir: string): string {
  return containerId("d", rootId, dir);
}

/** The id of real folder `realId`'s copy in a filtered tree (Music/Folders...). */
export function mirroredFolderId(tree: FolderTree, realId: string): string {
  return tree === "d" ? realId : containerId(tree, realId);
}

/** Chains kept for reuse; a scan goes folder by folder, so a few cover all recent ones. */
const CHAIN_CACHE_SIZE = 64;
const chainCache = new Map<string, readonly ContainerSpec[]>();

/**
 * The containers from a tree's top down to the folder `dir` of root `rootId`, each with its
 * record: the root folder (titled from the configured roots when read) then one per path segment.
 * Shared and frozen: every file of a folder has the same chain, and building it (sort keys,
 * hashed ids) for each of an album's tracks was ~4 KB of garbage per file (measured at 20 000).
 */
export function folderChain(
  tree: FolderTree,
  rootId: number,
  dir: string,
): readonly ContainerSpec[] {
  const cacheKey = `${tree}/${rootId}/${dir}`;
  const cached = chainCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const chain = buildChain(tree, rootId, dir);
  for (const spec of chain) Object.freeze(Object.freeze(spec).record);
  if (chainCache.size >= CHAIN_CACHE_SIZE) chainCache.clear();
  chainCache.set(cacheKey, Object.freeze(chain));
  return chain;
}

function buildChain(tree: FolderTree, rootId: number, dir: string): ContainerSpec[] {
  const top = TOP[tree];
  const isReal = tree === "d";
  const rootReal = folderIdOf(rootId, "");
  const root: ContainerSpec = {
    id: mirroredFolderId(tree, rootReal),
    depth: top.depth + 1,
    record: { c: "r", t: "", p: top.id, k: numberKey(rootId), r: rootId },
  };
  if (isReal) root.record.d = "";
  const chain = [root];
  if (dir === "") return chain;
  let path = "";
  for (const segment of dir.split("/")) {
    path = path === "" ? segment : `${path}/${segment}`;
    const parent = chain[chain.length - 1] ?? root;
    const record: ContainerSpec["record"] = {
      c: "f",
      t: cleanText(segment) ?? "_",
      p: parent.id,
      k: FOLDER_FIRST + sortKeys(segment, NAME_KEY_CHARS),
    };
    if (isReal) Object.assign(record, { r: rootId, d: path });
    chain.push({
      id: mirroredFolderId(tree, folderIdOf(rootId, path)),
      depth: parent.depth + 1,
      record,
    });
  }
  return chain;
}
