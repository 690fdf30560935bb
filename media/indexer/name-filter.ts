import picomatch from "picomatch";

type Matcher = (text: string) => boolean;

/**
 * Decides which names under one root are indexed at all: hidden names (a leading dot: macOS "._"
 * files, ".Trash-1000", our own temp files) never; configured excludes (picomatch globs on names,
 * or on root-relative paths when the pattern has a "/") never; skip paths (hearth's own data dir
 * when it lies under a root) never. The walker, the sweep and the watcher all ask this one object,
 * so a folder the scan skips is also a folder nobody watches.
 */
export class NameFilter {
  readonly #name: Matcher | null;
  readonly #path: Matcher | null;
  readonly #skip: ReadonlySet<string>;

  /**
   * @param patterns globs; those without "/" match names, those with "/" match relative paths.
   * @param skipRelPaths root-relative folders to skip, already resolved from absolute skip paths.
   */
  constructor(patterns: readonly string[], skipRelPaths: readonly string[] = []) {
    const byName = patterns.filter((p) => !p.includes("/"));
    const byPath = patterns.filter((p) => p.includes("/"));
    // dot: true so "*.part" also covers ".x.part"; hidden names are refused before anyway.
    this.#name = byName.length > 0 ? picomatch(byName, { dot: true }) : null;
    this.#path = byPath.length > 0 ? picomatch(byPath, { dot: true }) : null;
    this.#skip = new Set(skipRelPaths);
  }

  /** True when a directory entry with this name may be indexed (or descended into). */
  acceptsName(name: string): boolean {
    if (name.startsWith(".")) return false;
    return this.#name === null || !this.#name(name);
  }

  /** True when the entry at `relPath` (its own name and its path) may be indexed. */
  accepts(relPath: string): boolean {
    const slash = relPath.lastIndexOf("/");
    if (!this.acceptsName(slash < 0 ? relPath : relPath.slice(slash + 1))) return false;
    if (this.#skip.has(relPath)) return false;
    return this.#path === null || !this.#path(relPath);
  }

  /** True when every component of `relDir` is accepted: the folder is reachable by the walk. */
  acceptsDir(relDir: string): boolean {
    if (relDir === "") return true;
    let end = relDir.indexOf("/");
    while (end >= 0) {
      if (!this.accepts(relDir.slice(0, end))) return false;
      end = relDir.indexOf("/", end + 1);
    }
    return this.accepts(relDir);
  }
}
