import { catalogKeys, localIdOf } from "./catalog-keys.js";
import type { CatalogReader } from "./catalog-reader.js";
import { childSort, type ChildSort } from "./child-sort.js";
import type { LibraryObject } from "./library-object.js";
import { LruCache } from "./lru-cache.js";
import type { ObjectStore } from "./object-store.js";

/**
 * Each container's children as an in-memory array of local ids (see catalogKeys.child), loaded
 * lazily with one range read in the default order, so any page of any container costs a slice
 * plus the page's records. Arrays are dropped when their container changes and evicted by a
 * budget of ids across all containers. A client-requested sort is computed once over the whole
 * container and cached like the default order.
 */
export class ChildLists {
  readonly #reader: CatalogReader;
  readonly #objects: ObjectStore;
  readonly #cache: LruCache<readonly string[]>;
  #generation = 0;

  constructor(reader: CatalogReader, objects: ObjectStore, maxChildIds: number) {
    this.#reader = reader;
    this.#objects = objects;
    // Each array also costs its own overhead: count it as a few ids.
    this.#cache = new LruCache<readonly string[]>(maxChildIds, (ids) => ids.length + 4);
  }

  /** The container's local child ids in default order, or in `sort` order when given. */
  async list(containerId: string, sort: readonly ChildSort[] = []): Promise<readonly string[]> {
    const cacheKey = sort.length === 0 ? containerId : `${containerId}\u0000${sortName(sort)}`;
    const cached = this.#cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const generation = this.#generation;
    const ids = await this.#load(containerId);
    const list = sort.length === 0 ? ids : await this.#sorted(containerId, ids, sort);
    // A list loaded while an apply committed may be older than the commit: use it, don't keep it.
    if (generation === this.#generation) this.#cache.set(cacheKey, list);
    return list;
  }

  /** Drops the lists (every sort order) of these containers. */
  invalidate(containerIds: Iterable<string>): void {
    this.#generation += 1;
    const stale = new Set(containerIds);
    if (stale.size === 0) return;
    this.#cache.deleteWhere((key) => stale.has(key.split("\u0000", 1)[0] ?? key));
  }

  async #load(containerId: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const key of this.#reader.keys({ prefix: catalogKeys.childPrefix(containerId) })) {
      ids.push(localIdOf(key));
    }
    return ids;
  }

  async #sorted(
    containerId: string,
    ids: readonly string[],
    sort: readonly ChildSort[],
  ): Promise<string[]> {
    const objects: LibraryObject[] = [];
    // In slices, so sorting 20 000 tracks never holds one giant getMany in flight.
    for (let i = 0; i < ids.length; i += 500) {
      objects.push(...(await this.#objects.children(containerId, ids.slice(i, i + 500), true)));
    }
    return childSort(objects, sort).map((object) => localIdIn(containerId, object));
  }
}

function sortName(sort: readonly ChildSort[]): string {
  return sort.map((term) => `${term.isDescending === true ? "-" : "+"}${term.property}`).join(",");
}

function localIdIn(containerId: string, object: LibraryObject): string {
  if (object.isContainer || object.refId === undefined) return object.id;
  return object.id.slice(containerId.length);
}
