import { statSync } from "node:fs";
import type { HearthConfigInput } from "./hearth-config-schema.js";
import { userMediaDirs } from "./user-dirs.js";

/**
 * What hearth runs with when there is no config file at all: the user's Music, Videos and
 * Pictures folders that exist are shared, the phone service runs with no extensions, there are no
 * backup jobs, and serial adapters are discovered. Everything needing credentials stays off.
 * Returned unvalidated; the schema fills in the rest.
 */
export function embeddedDefault(options: {
  homeDir: string;
  env: NodeJS.ProcessEnv;
}): HearthConfigInput {
  const dirs = userMediaDirs(options);
  const candidates = [
    { path: dirs.music, kind: "music" },
    { path: dirs.videos, kind: "video" },
    { path: dirs.pictures, kind: "pictures" },
  ] as const;
  const roots: { path: string; kind: "music" | "video" | "pictures" | "mixed" }[] = [];
  for (const { path, kind } of candidates) {
    if (path === null || !isDirectory(path)) continue;
    const same = roots.find((root) => root.path === path);
    // Two kinds pointing at one folder (XDG_MUSIC_DIR and XDG_VIDEOS_DIR both ~/Media): share it once.
    if (same) same.kind = "mixed";
    else roots.push({ path, kind });
  }
  return {
    media: { roots },
    pbx: { extensions: {} },
    backup: { jobs: {} },
    console: { autoDiscover: true },
  };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}
