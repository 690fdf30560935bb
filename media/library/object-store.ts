import { catalogKeys } from "./catalog-keys.js";
import type { CatalogReader } from "./catalog-reader.js";
import {
  containerObject,
  itemObject,
  type LibraryContainer,
  type LibraryObject,
} from "./library-object.js";
import type { ContainerRecord, ItemRecord } from "./library-records.js";
import { LruCache } from "./lru-cache.js";
import { parseObjectId, refIdFor } from "./object-ids.js";
import { placements } from "./placements.js";

type StoredRecord = ItemRecord | ContainerRecord;

/**
 * Object records by id, with a bounded cache of recently used ones, turned into what the server
 * renders. A load that overlaps an apply is returned but not cached (`generation`), so the cache
 * never keeps a record older than the last apply.
 */
export class ObjectStore {
  readonly #reader: CatalogReader;
  readonly #cache: LruCache<StoredRecord>;
  readonly #rootTitle: (rootId: number) => string;
  #generation = 0;

  constructor(reader: CatalogReader, maxObjects: number, rootTitle: (rootId: number) => string) {
    this.#reader = reader;
    this.#cache = new LruCache<StoredRecord>(maxObjects);
    this.#rootTitle = rootTitle;
  }

  /** Forgets these records; called after every apply that wrote them. */
  invalidate(ids: Iterable<string>): void {
    this.#generation += 1;
    for (const id of ids) this.#cache.delete(id);
  }

  /**
   * Stored records by id (item or container id, never a reference). `isBulk` reads (sorting a
   * whole container) bypass the cache so they do not evict what Browse pages use.
   */
  async records(ids: readonly string[], isBulk = false): Promise<Array<StoredRecord | undefined>> {
    const found: Array<StoredRecord | undefined> = ids.map((id) => this.#cache.get(id));
    const missing = ids.filter((_, i) => found[i] === undefined);
    if (missing.length === 0) return found;
    const generation = this.#generation;
    const loaded = await this.#reader.getMany<StoredRecord>(missing.map(catalogKeys.object));
    const byId = new Map(missing.map((id, i) => [id, loaded[i]]));
    return ids.map((id, i) => {
      const record = found[i] ?? byId.get(id);
      if (record !== undefined && !isBulk && generation === this.#generation) {
        this.#cache.set(id, record);
      }
      return record;
    });
  }

  /** The object with this id, or undefined when no object has it. */
  async object(id: string): Promise<LibraryObject | undefined> {
    const parsed = parseObjectId(id);
    if (parsed === undefined) return undefined;
    if (parsed.kind === "container") return this.container(parsed.containerId);
    const [record] = await this.records([parsed.itemId]);
    if (!isItem(record)) return undefined;
    if (parsed.kind === "item") return itemObject(parsed.itemId, record);
    // A reference exists only where the item's placement puts one.
    const refKeyEnd = `\u0000$${parsed.itemId}`;
    const isPlaced = placements(parsed.itemId, record).entries.some(
      (entry) => entry.parentId === parsed.containerId && entry.key.endsWith(refKeyEnd),
    );
    return isPlaced
      ? itemObject(parsed.itemId, record, { id, parentId: parsed.containerId })
      : undefined;
  }

  /** The container with this id (a container id, not a reference), or undefined. */
  async container(id: string): Promise<LibraryContainer | undefined> {
    const [record] = await this.records([id]);
    return isContainer(record) ? containerObject(id, record, this.#rootTitle) : undefined;
  }

  /** The objects for a container's local child ids, in the same order; missing ones skipped. */
  async children(
    parentId: string,
    localIds: readonly string[],
    isBulk = false,
  ): Promise<LibraryObject[]> {
    const ids = localIds.map((local) => (local.startsWith("$") ? local.slice(1) : local));
    const records = await this.records(ids, isBulk);
    const objects: LibraryObject[] = [];
    localIds.forEach((local, i) => {
      const record = records[i];
      const id = ids[i] ?? local;
      if (isItem(record)) {
        const reference = local.startsWith("$")
          ? { id: refIdFor(parentId, id), parentId }
          : undefined;
        objects.push(itemObject(id, record, reference));
      } else if (isContainer(record)) {
        objects.push(containerObject(id, record, this.#rootTitle));
      }
    });
    return objects;
  }
}

/** An item record has a media class `k`; a container record a child count `n`. */
export function isItem(record: StoredRecord | undefined): record is ItemRecord {
  return record !== undefined && "k" in record && "z" in record;
}

export function isContainer(record: StoredRecord | undefined): record is ContainerRecord {
  return record !== undefined && "n" in record && "c" in record;
}
