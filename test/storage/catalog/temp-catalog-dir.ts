import { Catalog } from "../../../storage/catalog/catalog.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh folder under the OS temp dir for one suite's catalogs; `remove()` deletes it. Call
 * `create()` in before/beforeEach and `remove()` in after/afterEach.
 */
export class TempCatalogDir {
  #root: string | undefined;

  async create(): Promise<string> {
    this.#root = await mkdtemp(join(tmpdir(), "hearth-catalog-"));
    return this.#root;
  }

  /** A database folder inside the temp folder; LevelDB creates it on open. */
  path(name = "catalog"): string {
    if (this.#root === undefined) throw new Error("TempCatalogDir.create() was not called");
    return join(this.#root, name);
  }

  async remove(): Promise<void> {
    if (this.#root !== undefined) await rm(this.#root, { recursive: true, force: true });
    this.#root = undefined;
  }
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * Registers mocha hooks that open a fresh catalog in a temp folder before each test and close and
 * delete it after; `use` receives each new catalog. Returns the temp folder (for reopen tests).
 */
export function freshCatalogPerTest(use: (catalog: Catalog) => void): TempCatalogDir {
  const temp = new TempCatalogDir();
  let catalog: Catalog | undefined;
  beforeEach(async () => {
    await temp.create();
    catalog = await Catalog.open({ dir: temp.path() });
    use(catalog);
  });
  afterEach(async () => {
    await catalog?.close();
    await temp.remove();
  });
  return temp;
}
