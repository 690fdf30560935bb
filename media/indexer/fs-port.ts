import { stat as statWithCallback, type Dir, type Dirent, type Stats } from "node:fs";
import { opendir, readdir, realpath, stat } from "node:fs/promises";

/** What statEach gives for each path: its Stats, or the error that stat raised. */
export type StatResult = Stats | NodeJS.ErrnoException;

/**
 * The few filesystem calls the indexer makes, behind a seam so tests can inject failures that root
 * cannot produce with chmod (root reads a mode-000 folder anyway).
 */
export interface FsPort {
  /** For a look at a folder's first entry; `readdir` lists whole folders. */
  opendir(path: string): Promise<Dir>;
  /** A folder's entries, all at once (the walk keeps one folder's names in memory anyway). */
  readdir(path: string): Promise<Dirent[]>;
  /** Follows symlinks: the indexer indexes what a link points at. */
  stat(path: string): Promise<Stats>;
  /** `stat` of every path, at most `limit` in flight; never rejects. */
  statEach(paths: readonly string[], limit: number): Promise<StatResult[]>;
  realpath(path: string): Promise<string>;
}

/**
 * The real filesystem. `statEach` uses fs.stat's callback form: one promise per folder instead of
 * one per file, and the callback request is lighter than the promise one. For 20 000 cached files
 * that was ~270 → ~100 ms of main-thread CPU (measured), a tenth of an unchanged rescan.
 */
export const nodeFs: FsPort = {
  opendir: (path) => opendir(path, { bufferSize: 64 }),
  readdir: (path) => readdir(path, { withFileTypes: true }),
  stat: (path) => stat(path),
  statEach: (paths, limit) =>
    new Promise((resolve) => {
      const results: StatResult[] = new Array<StatResult>(paths.length);
      let next = 0;
      let done = 0;
      const start = (): void => {
        const i = next++;
        statWithCallback(paths[i] as string, (err, stats) => {
          results[i] = err ?? stats;
          if (++done === paths.length) resolve(results);
          else if (next < paths.length) start();
        });
      };
      if (paths.length === 0) resolve(results);
      for (let k = 0; k < Math.min(limit, paths.length); k++) start();
    }),
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
