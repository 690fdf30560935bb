/** Remembered rejections at most; past this the memory is simply started over. */
const maxRemembered = 10_000;

/**
 * Files with a media extension that the extractor said are not media after all (it resolved
 * null). They never reach the catalog, so without this memory every live rescan of their folder
 * would offer them again. Keyed by size and mtime: a file that changes is asked about again.
 * In memory only: after a restart each is asked about once more, which is cheap and rare.
 */
export class RejectedFiles {
  readonly #rejected = new Map<string, string>();

  has(relPath: string, stat: { sizeBytes: number; mtimeMs: number }): boolean {
    return this.#rejected.get(relPath) === `${stat.sizeBytes}:${stat.mtimeMs}`;
  }

  add(relPath: string, stat: { sizeBytes: number; mtimeMs: number }): void {
    if (this.#rejected.size >= maxRemembered) this.#rejected.clear();
    this.#rejected.set(relPath, `${stat.sizeBytes}:${stat.mtimeMs}`);
  }
}
