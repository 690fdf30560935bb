import type { CatalogOp } from "../../storage/catalog/catalog-namespace.js";
import type { LibraryChanges } from "../indexer/indexer-ports.js";
import { catalogKeys, type FileEntry, type LibraryMeta } from "./catalog-keys.js";
import { ContainerUpdates } from "./container-updates.js";
import { itemRecord } from "./item-record.js";
import type { ItemRecord } from "./library-records.js";
import type { FileRef, IndexedFile } from "./media-types.js";
import { itemIdFor } from "./object-ids.js";
import { placements } from "./placements.js";

// Planning costs tens of µs per file (more on an ARM box): let Browse requests in between, so a
// 2 000-file apply never holds the event loop for more than a few ms at a time.
const YIELD_EVERY = 64;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How the plan reads the catalog (the Library counts these reads). */
export interface PlanReader {
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
}

/** An item as stored: its record and where its file is. */
interface ItemState {
  record: ItemRecord;
  location: FileRef;
}

interface FileSlot {
  ref: FileRef;
  before: FileEntry | undefined;
  /** undefined = untouched, null = removed. */
  after?: FileEntry | null;
}

/** What one `apply` writes and reports. */
export interface AppliedChanges {
  /** Every write, for one atomic batch; empty when nothing changed. */
  ops: CatalogOp[];
  meta: LibraryMeta;
  /** Containers whose children or own metadata changed and that still exist. */
  changedContainers: Array<{ id: string; updateId: number }>;
  /** Containers that became empty and were deleted. */
  removedContainers: string[];
  /** Items whose record was written or deleted. */
  touchedItems: string[];
}

/**
 * Turns one `LibraryChanges` into the writes of one batch: reads what it needs first (file
 * entries, then the old item records, then the containers involved), then computes the new
 * file entries, item records, child entries and container records. Moves run first, then
 * removals, then upserts, each on the state the previous ones left.
 */
export async function planApply(
  reader: PlanReader,
  changes: LibraryChanges,
  meta: LibraryMeta,
): Promise<AppliedChanges> {
  const plan = new ApplyPlan(reader, meta);
  await plan.load(changes);
  for (const { from, to } of changes.moves ?? []) plan.move(from, to);
  for (const removal of changes.removals ?? []) plan.remove(removal);
  let staged = 0;
  for (const upsert of changes.upserts ?? []) {
    plan.upsert(upsert);
    if (++staged % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  return plan.finish();
}

class ApplyPlan {
  readonly #reader: PlanReader;
  readonly #meta: LibraryMeta;
  readonly #files = new Map<string, FileSlot>();
  readonly #before = new Map<string, ItemState>();
  readonly #after = new Map<string, ItemState | null>();
  #nextItem: number;

  constructor(reader: PlanReader, meta: LibraryMeta) {
    this.#reader = reader;
    this.#meta = meta;
    this.#nextItem = meta.n;
  }

  async load(changes: LibraryChanges): Promise<void> {
    const refs: FileRef[] = [
      ...(changes.moves ?? []).flatMap((move) => [move.from, move.to]),
      ...(changes.removals ?? []),
      ...(changes.upserts ?? []),
    ];
    for (const ref of refs) {
      const key = catalogKeys.file(ref.rootId, ref.relPath);
      if (!this.#files.has(key)) this.#files.set(key, { ref, before: undefined });
    }
    const keys = [...this.#files.keys()];
    const entries = await this.#reader.getMany<FileEntry>(keys);
    const found: Array<[string, FileRef]> = [];
    entries.forEach((entry, i) => {
      const slot = this.#files.get(keys[i] ?? "");
      if (slot === undefined || !Array.isArray(entry)) return;
      slot.before = entry;
      found.push([entry[0], slot.ref]);
    });
    const records = await this.#reader.getMany<ItemRecord>(
      found.map(([id]) => catalogKeys.object(id)),
    );
    found.forEach(([id, ref], i) => {
      const record = records[i];
      if (record !== undefined) this.#before.set(id, { record, location: toRef(ref) });
    });
  }

  move(from: FileRef, to: IndexedFile): void {
    const moving = this.#current(from);
    if (moving === undefined) return this.upsert(to);
    this.#setFile(from, null);
    const target = this.#current(to);
    if (target !== undefined && target[0] !== moving[0]) this.#after.set(target[0], null);
    this.#setItem(moving[0], to);
  }

  remove(ref: FileRef): void {
    const entry = this.#current(ref);
    if (entry === undefined) return;
    this.#setFile(ref, null);
    this.#after.set(entry[0], null);
  }

  upsert(file: IndexedFile): void {
    const id = this.#current(file)?.[0] ?? itemIdFor(this.#nextItem++);
    this.#setItem(id, file);
  }

  async finish(): Promise<AppliedChanges> {
    const ops = this.#fileOps();
    const updates = new ContainerUpdates(this.#reader, this.#meta.u + 1);
    const touchedItems: string[] = [];
    let compared = 0;
    for (const [id, after] of this.#after) {
      if (++compared % YIELD_EVERY === 0) await yieldToEventLoop();
      const before = this.#before.get(id);
      if (sameRecord(before, after)) continue;
      touchedItems.push(id);
      if (after !== null)
        ops.push({ type: "put", key: catalogKeys.object(id), value: after.record });
      else if (before !== undefined) ops.push({ type: "del", key: catalogKeys.object(id) });
      updates.replaceItem(
        before === undefined ? undefined : placements(id, before.record, before.location),
        after === null ? undefined : placements(id, after.record, after.location),
      );
    }
    const containers = await updates.finish();
    // Not push(...ops): a 20 000-file apply has more ops than a call can take as arguments.
    for (const op of containers.ops) ops.push(op);
    const isVisible = touchedItems.length > 0;
    const meta: LibraryMeta = { u: this.#meta.u + (isVisible ? 1 : 0), n: this.#nextItem };
    if (meta.u !== this.#meta.u || meta.n !== this.#meta.n) {
      ops.push({ type: "put", key: catalogKeys.meta, value: meta });
    }
    return { ops, meta, ...containers.report, touchedItems };
  }

  #current(ref: FileRef): FileEntry | undefined {
    const slot = this.#files.get(catalogKeys.file(ref.rootId, ref.relPath));
    if (slot === undefined) return undefined;
    return slot.after === undefined ? slot.before : (slot.after ?? undefined);
  }

  #setFile(ref: FileRef, entry: FileEntry | null): void {
    const slot = this.#files.get(catalogKeys.file(ref.rootId, ref.relPath));
    if (slot !== undefined) slot.after = entry;
  }

  #setItem(id: string, file: IndexedFile): void {
    this.#setFile(file, [id, file.sizeBytes, file.mtimeMs]);
    this.#after.set(id, { record: itemRecord(file), location: toRef(file) });
  }

  #fileOps(): CatalogOp[] {
    const ops: CatalogOp[] = [];
    for (const [key, { before, after }] of this.#files) {
      if (after === undefined) continue;
      if (after === null) {
        if (before !== undefined) ops.push({ type: "del", key });
      } else if (JSON.stringify(after) !== JSON.stringify(before)) {
        ops.push({ type: "put", key, value: after });
      }
    }
    return ops;
  }
}

function toRef(ref: FileRef): FileRef {
  return { rootId: ref.rootId, relPath: ref.relPath };
}

function sameRecord(before: ItemState | undefined, after: ItemState | null): boolean {
  if (before === undefined || after === null) return before === undefined && after === null;
  return JSON.stringify(before.record) === JSON.stringify(after.record);
}
