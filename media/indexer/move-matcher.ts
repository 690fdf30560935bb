import type { KnownFile } from "./indexer-ports.js";

/**
 * Holds the files a pass found gone until the pass ends, so that a file that reappears elsewhere
 * in the same pass is recorded as a move and keeps its object id. Identity is cheap, not a hash:
 * same size and mtime (a rename or a move on one filesystem keeps both), and either the same name
 * (moved or folder renamed) or the same folder (renamed in place). Memory is proportional to what
 * vanished in this pass, never to the library.
 */
export class MoveMatcher {
  readonly #gone = new Map<string, KnownFile>();
  readonly #byName = new Map<string, Set<string>>();
  readonly #byFolder = new Map<string, Set<string>>();

  /** Records a known file that is no longer where the catalog says. */
  add(file: KnownFile): void {
    if (this.#gone.has(file.relPath)) return;
    this.#gone.set(file.relPath, file);
    addTo(this.#byName, nameKey(file.relPath, file), file.relPath);
    addTo(this.#byFolder, folderKey(file.relPath, file), file.relPath);
  }

  /** The file is there after all (its folder came back during the pass): not a removal. */
  cancel(relPath: string): void {
    const file = this.#gone.get(relPath);
    if (file === undefined) return;
    this.#gone.delete(relPath);
    removeFrom(this.#byName, nameKey(relPath, file), relPath);
    removeFrom(this.#byFolder, folderKey(relPath, file), relPath);
  }

  /** The gone file that a new file at `relPath` continues, if any; it is no longer pending. */
  take(relPath: string, stat: { sizeBytes: number; mtimeMs: number }): KnownFile | undefined {
    const from =
      first(this.#byName.get(nameKey(relPath, stat))) ??
      first(this.#byFolder.get(folderKey(relPath, stat)));
    if (from === undefined) return undefined;
    const file = this.#gone.get(from);
    this.cancel(from);
    return file;
  }

  /** What stayed gone: the removals to apply when the pass ends. */
  remaining(): IterableIterator<KnownFile> {
    return this.#gone.values();
  }

  get size(): number {
    return this.#gone.size;
  }
}

type Stat = { sizeBytes: number; mtimeMs: number };

function nameKey(relPath: string, s: Stat): string {
  return `${relPath.slice(relPath.lastIndexOf("/") + 1)}\0${s.sizeBytes}\0${s.mtimeMs}`;
}

function folderKey(relPath: string, s: Stat): string {
  return `${relPath.slice(0, Math.max(0, relPath.lastIndexOf("/")))}\0${s.sizeBytes}\0${s.mtimeMs}`;
}

function addTo(index: Map<string, Set<string>>, key: string, relPath: string): void {
  let set = index.get(key);
  if (set === undefined) index.set(key, (set = new Set()));
  set.add(relPath);
}

function removeFrom(index: Map<string, Set<string>>, key: string, relPath: string): void {
  const set = index.get(key);
  set?.delete(relPath);
  if (set?.size === 0) index.delete(key);
}

function first(set: Set<string> | undefined): string | undefined {
  for (const value of set ?? []) return value;
  return undefined;
}
