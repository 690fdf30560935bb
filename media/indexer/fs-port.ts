import { opendir, realpath, stat } from "node:fs/promises";
import type { Dir, Stats } from "node:fs";

/**
 * The few filesystem calls the indexer makes, behind a seam so tests can inject failures that root
 * cannot produce with chmod (root reads a mode-000 folder anyway).
 */
export interface FsPort {
  opendir(path: string): Promise<Dir>;
  /** Follows symlinks: the indexer indexes what a link points at. */
  stat(path: string): Promise<Stats>;
  realpath(path: string): Promise<string>;
}

/** The real filesystem. `bufferSize` 64 trades a little memory for 2× fewer getdents calls. */
export const nodeFs: FsPort = {
  opendir: (path) => opendir(path, { bufferSize: 64 }),
  stat: (path) => stat(path),
  realpath: (path) => realpath(path),
};

/** The errno code of a thrown value, or undefined. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** True when the thing is simply gone (deleted mid-scan, or a path component is now a file). */
export function isGone(err: unknown): boolean {
  const code = errorCode(err);
  return code === "ENOENT" || code === "ENOTDIR";
}
