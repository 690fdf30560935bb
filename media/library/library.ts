import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import type { KnownFile, LibraryChanges, LibraryStore } from "../indexer/indexer-ports.js";
import { planApply } from "./apply-plan.js";
import { catalogKeys, type LibraryMeta } from "./catalog-keys.js";
import { CatalogReader, type LibraryReadStats } from "./catalog-reader.js";
import { ChildLists } from "./child-lists.js";
import type { ChildSort } from "./child-sort.js";
import { FileIndex } from "./file-index.js";
import { storedTextTest, type ItemTextFilter } from "./item-text-filter.js";
import { librarySchema } from "./library-schema.js";
import { itemObject, type LibraryItem, type LibraryObject } from "./library-object.js";
import type { ItemRecord } from "./library-records.js";
import type {
  ItemFile,
  LibraryCounts,
  LibraryOptions,
  LibraryPage,
  LibraryPageIds,
  LibraryUpdate,
} from "./library-types.js";
import type { FileRef } from "./media-types.js";
import { childObjectId, fixedIds, parseObjectId } from "./object-ids.js";
import { isContainer, isItem, ObjectStore } from "./object-store.js";

/** How many first children `artItemId` looks at: an album's first tracks usually carry its art. */
const ART_LOOKAHEAD = 16;
/**
 * Items per page of `itemPages`. Small on purpose: hearth's young generation is 2 MiB
 * (services/node-flags.ts), and a page of 500 parsed records was still alive at most scavenges,
 * so it was copied and promoted: a 20k-item Search took 60–72 ms with 500, 40–50 with 100.
 */
const ITEM_PAGE = 100;

/**
 * The media library over the catalog (README.md): the indexer writes it through `LibraryStore`,
 * the media server reads objects, pages of children and update ids. Every `apply` is one atomic
 * batch; reads never write; opening an up-to-date catalog reads one key and writes nothing.
 */
export class Library implements LibraryStore {
  readonly #ns: CatalogNamespace;
  readonly #reader: CatalogReader;
  readonly #objects: ObjectStore;
  readonly #lists: ChildLists;
  readonly #files: FileIndex;
  readonly #listeners = new Set<(update: LibraryUpdate) => void>();
  readonly #log: LibraryOptions["log"];
  #meta: LibraryMeta;
  #applying: Promise<unknown> = Promise.resolve();

  private constructor(ns: CatalogNamespace, meta: LibraryMeta, options: LibraryOptions) {
    this.#ns = ns;
    this.#meta = meta;
    this.#log = options.log;
    this.#reader = new CatalogReader(ns);
    const titles = options.rootTitles ?? [];
    const rootTitle = (rootId: number): string => titles[rootId] ?? `Folder ${rootId + 1}`;
    this.#objects = new ObjectStore(this.#reader, options.maxCachedObjects ?? 5_000, rootTitle);
    this.#lists = new ChildLists(this.#reader, this.#objects, options.maxCachedChildIds ?? 200_000);
    this.#files = new FileIndex(this.#reader);
  }

  /**
   * Migrates `ns` (a namespace the library owns alone, e.g. `media` → `sub("lib")`) to the
   * library's schema and opens the library. Called from the media service's `start()`.
   */
  static async open(ns: CatalogNamespace, options: LibraryOptions = {}): Promise<Library> {
    await ns.migrate(librarySchema);
    const meta = (await ns.get<LibraryMeta>(catalogKeys.meta)) ?? { u: 0, n: 1 };
    return new Library(ns, meta, options);
  }

  /** Catalog reads so far (tests prove a page is served without a scan). */
  get stats(): LibraryReadStats {
    return this.#reader.stats;
  }

  /** The SystemUpdateID: grows by one with each apply that changed what clients see. */
  systemUpdateId(): number {
    return this.#meta.u;
  }

  /** Calls `listener` after each apply that changed what clients see; returns an unsubscribe. */
  onUpdate(listener: (update: LibraryUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The object with this id; undefined for ids no object has (UPnP error 701). */
  getObject(id: string): Promise<LibraryObject | undefined> {
    return this.#objects.object(id);
  }

  /**
   * A page of a container's children: `count` 0 means all from `start`. Undefined when `id` is
   * not a container. Costs O(count) once the container's child list is cached.
   */
  async children(
    id: string,
    page: { start?: number; count?: number; sort?: readonly ChildSort[] } = {},
  ): Promise<LibraryPage | undefined> {
    const ids = await this.childIds(id, page);
    if (ids === undefined) return undefined;
    return { objects: await ids.objects(ids.ids), total: ids.total, updateId: ids.updateId };
  }

  /** `children` as ids, with the objects built only for the ids the caller asks for. */
  async childIds(
    id: string,
    page: { start?: number; count?: number; sort?: readonly ChildSort[] } = {},
  ): Promise<LibraryPageIds | undefined> {
    const parsed = parseObjectId(id);
    if (parsed?.kind !== "container") return undefined;
    const container = await this.#objects.container(id);
    if (container === undefined) return undefined;
    const ids = await this.#lists.list(id, page.sort);
    const start = Math.max(0, Math.floor(page.start ?? 0));
    const count = Math.max(0, Math.floor(page.count ?? 0));
    const slice = ids.slice(start, count === 0 ? undefined : start + count);
    const localIds = new Map(slice.map((local) => [childObjectId(id, local), local]));
    return {
      ids: [...localIds.keys()],
      total: ids.length,
      updateId: container.updateId,
      objects: (wanted) =>
        this.#objects.children(
          id,
          wanted.flatMap((objectId) => localIds.get(objectId) ?? []),
        ),
    };
  }

  /** A container's update id; undefined when `id` is not a container. */
  async containerUpdateId(id: string): Promise<number | undefined> {
    if (parseObjectId(id)?.kind !== "container") return undefined;
    return (await this.#objects.container(id))?.updateId;
  }

  /** The file behind an item or a reference (resolved to its item); undefined otherwise. */
  async itemFile(id: string): Promise<ItemFile | undefined> {
    const parsed = parseObjectId(id);
    if (parsed === undefined || parsed.kind === "container") return undefined;
    const [item] = await this.#objects.records([parsed.itemId]);
    if (!isItem(item)) return undefined;
    const [folder] = await this.#objects.records([item.p]);
    if (!isContainer(folder) || folder.r === undefined || folder.d === undefined) return undefined;
    const file: ItemFile = {
      rootId: folder.r,
      relPath: folder.d === "" ? item.f : `${folder.d}/${item.f}`,
      sizeBytes: item.z,
      mime: item.m,
      subtitleRelPaths: (item.sb ?? []).map(([relPath]) => relPath),
    };
    if (item.cv !== undefined) file.coverRelPath = item.cv;
    return file;
  }

  /**
   * An item with art (embedded, or a folder cover) among the container's first children: the
   * album art of an album, artist or folder container. Undefined when none has any.
   */
  async artItemId(containerId: string): Promise<string | undefined> {
    if (parseObjectId(containerId)?.kind !== "container") return undefined;
    const firstItems = (await this.#lists.list(containerId))
      .slice(0, ART_LOOKAHEAD)
      .filter((local) => local.startsWith("i") || local.startsWith("$"));
    const objects = await this.#objects.children(containerId, firstItems);
    const withArt = objects.find((o) => !o.isContainer && (o.hasEmbeddedArt || o.hasCover));
    return withArt?.isContainer === false ? withArt.itemId : undefined;
  }

  /**
   * Every item once, as its canonical object, in id order and in pages of up to `pageSize`: one
   * range read, for Search. Records are not cached, so a Search does not evict what Browse uses.
   * With `textFilter`, items whose stored text shows they cannot satisfy it are skipped unread
   * (item-text-filter.ts); the rest still need the caller's own test.
   */
  async *itemPages(
    pageSize = ITEM_PAGE,
    textFilter?: ItemTextFilter,
  ): AsyncGenerator<LibraryItem[]> {
    const idStart = catalogKeys.object("").length;
    const keepText = textFilter === undefined ? undefined : storedTextTest(textFilter);
    for await (const page of this.#reader.entryPages<ItemRecord>(
      { prefix: catalogKeys.itemPrefix },
      pageSize,
      keepText === undefined ? {} : { keepText },
    )) {
      yield page.map(([key, record]) => itemObject(key.slice(idStart), record));
    }
  }

  /** Tracks, videos, pictures, albums and artists, from stored child counts. */
  async counts(): Promise<LibraryCounts> {
    const ids = [
      fixedIds.musicAll,
      fixedIds.videoAll,
      fixedIds.pictureAll,
      fixedIds.musicAlbums,
      fixedIds.musicArtists,
    ];
    const records = await this.#objects.records(ids);
    const [tracks, videos, pictures, albums, artists] = records.map((record) =>
      isContainer(record) ? record.n : 0,
    );
    return {
      tracks: tracks ?? 0,
      videos: videos ?? 0,
      pictures: pictures ?? 0,
      albums: albums ?? 0,
      artists: artists ?? 0,
    };
  }

  filesIn(rootId: number, relDir: string): AsyncIterable<KnownFile> {
    return this.#files.filesIn(rootId, relDir);
  }

  filesUnder(rootId: number, relDir: string): AsyncIterable<KnownFile> {
    return this.#files.filesUnder(rootId, relDir);
  }

  /** `LibraryStore.apply`: `applyChanges` without the result (listeners get it). */
  async apply(changes: LibraryChanges): Promise<void> {
    await this.applyChanges(changes);
  }

  /**
   * Applies the indexer's changes in one atomic batch (applies run one at a time, in call
   * order). Resolves to what changed for clients, or undefined when nothing did; nothing is
   * written when nothing changed at all.
   */
  applyChanges(changes: LibraryChanges): Promise<LibraryUpdate | undefined> {
    const run = this.#applying.then(() => this.#applyNow(changes));
    // The chain must survive a failed apply; the caller still gets the rejection from `run`.
    this.#applying = run.catch(() => undefined);
    return run;
  }

  /** Removes every file of roots ≥ `rootCount`, in atomic batches of 1 000 files. */
  async pruneRoots(rootCount: number): Promise<number> {
    let removed = 0;
    for (const rootId of await this.#files.rootIds()) {
      if (rootId < rootCount) continue;
      let chunk: FileRef[] = [];
      for await (const file of this.#files.filesUnder(rootId, "")) {
        chunk.push({ rootId, relPath: file.relPath });
        if (chunk.length < 1000) continue;
        await this.apply({ removals: chunk });
        removed += chunk.length;
        chunk = [];
      }
      if (chunk.length > 0) await this.apply({ removals: chunk });
      removed += chunk.length;
    }
    return removed;
  }

  async #applyNow(changes: LibraryChanges): Promise<LibraryUpdate | undefined> {
    const applied = await planApply(this.#reader, changes, this.#meta);
    if (applied.ops.length === 0) return undefined;
    await this.#ns.batch(applied.ops);
    const isVisible = applied.meta.u !== this.#meta.u;
    this.#meta = applied.meta;
    const containers = [
      ...applied.changedContainers.map((c) => c.id),
      ...applied.removedContainers,
    ];
    this.#objects.invalidate([...applied.touchedItems, ...containers]);
    this.#lists.invalidate(containers);
    if (!isVisible) return undefined;
    const update: LibraryUpdate = {
      systemUpdateId: applied.meta.u,
      containers: applied.changedContainers,
      removedContainers: applied.removedContainers,
    };
    this.#emit(update);
    return update;
  }

  #emit(update: LibraryUpdate): void {
    for (const listener of this.#listeners) {
      try {
        listener(update);
      } catch (err) {
        // A listener's bug must not fail the indexer's apply, which is already committed.
        const message = "a library update listener threw; the update was still saved";
        if (this.#log === undefined) process.emitWarning(`${message}: ${String(err)}`);
        else this.#log.warn({ err }, message);
      }
    }
  }
}
