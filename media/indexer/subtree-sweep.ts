import { join } from "node:path";
import { isGone, type FsPort } from "./fs-port.js";
import type { LibraryStore } from "./indexer-ports.js";
import type { MoveMatcher } from "./move-matcher.js";
import type { NameFilter } from "./name-filter.js";

export interface SweepOptions {
  library: LibraryStore;
  rootId: number;
  rootPath: string;
  filter: NameFilter;
  fs: FsPort;
  matcher: MoveMatcher;
  signal: AbortSignal;
}

/** What the sweep learnt about a subtree before it is walked. */
export interface SweepResult {
  /** Files the catalog has under the subtree: the previous scan's total, for the ETA. */
  knownCount: number;
  /** Folders with known files that still exist and are not excluded: the walk should visit them. */
  liveFolders: Set<string>;
}

/**
 * Reads the catalog's files under `relDir` once, before the walk, and hands the files of folders
 * that vanished (or became hidden or excluded) to the move matcher. Doing this first is what lets
 * a folder renamed while hearth was stopped, or on a network share, keep its items' ids: when the
 * walk meets the renamed folder, its files are matched to these removals instead of looking new.
 * One stat per known folder, cached; memory is one entry per folder, not per file.
 */
export async function sweepSubtree(relDir: string, o: SweepOptions): Promise<SweepResult> {
  const live = new Map<string, boolean>();
  const isLive = async (dir: string): Promise<boolean> => {
    let answer = live.get(dir);
    if (answer !== undefined) return answer;
    const parentLive = dir === relDir || (await isLive(parentOf(dir)));
    answer = parentLive && (dir === relDir ? o.filter.acceptsDir(dir) : o.filter.accepts(dir));
    if (answer) answer = await isFolder(o, dir);
    live.set(dir, answer);
    return answer;
  };
  let knownCount = 0;
  for await (const file of o.library.filesUnder(o.rootId, relDir)) {
    if (o.signal.aborted) break;
    knownCount++;
    if (!(await isLive(parentOf(file.relPath)))) o.matcher.add(file);
  }
  const liveFolders = new Set<string>();
  for (const [dir, isThere] of live) if (isThere) liveFolders.add(dir);
  return { knownCount, liveFolders };
}

async function isFolder(o: SweepOptions, relDir: string): Promise<boolean> {
  try {
    return (await o.fs.stat(relDir === "" ? o.rootPath : join(o.rootPath, relDir))).isDirectory();
  } catch (err) {
    // Only "it is gone" removes files; any other error (EACCES, EIO) keeps them: the walk will
    // report the folder if it cannot read it.
    return !isGone(err);
  }
}

/** "a/b/c.mp3" → "a/b"; "c.mp3" → "". */
export function parentOf(relPath: string): string {
  const slash = relPath.lastIndexOf("/");
  return slash < 0 ? "" : relPath.slice(0, slash);
}
