import type { CatalogOp } from "../../storage/catalog/catalog-namespace.js";
import { catalogKeys } from "./catalog-keys.js";
import { fixedContainers } from "./fixed-containers.js";
import type { ContainerSpec } from "./folder-chain.js";
import type { ContainerRecord } from "./library-records.js";
import type { PlanReader } from "./apply-plan.js";
import type { Placement } from "./placements.js";

/** What changed among containers in one apply. */
export interface ContainerReport {
  changedContainers: Array<{ id: string; updateId: number }>;
  removedContainers: string[];
}

/**
 * The container side of one apply: child entries added and removed, child counts, containers
 * created when they get their first child and deleted when they lose their last (fixed ones
 * stay), and update ids. A container "changed" when a child was added, removed or reordered,
 * when a child's metadata changed (an item's record, a child container's count), or when it
 * was created; it then takes the new SystemUpdateID as its update id.
 */
export class ContainerUpdates {
  readonly #reader: PlanReader;
  readonly #updateId: number;
  readonly #ops: CatalogOp[] = [];
  readonly #specs = new Map<string, ContainerSpec>(fixedContainers);
  readonly #deltas = new Map<string, number>();
  readonly #changed = new Set<string>();

  constructor(reader: PlanReader, updateId: number) {
    this.#reader = reader;
    this.#updateId = updateId;
  }

  /** Records that an item's appearances went from `before` to `after` (absent = none). */
  replaceItem(before: Placement | undefined, after: Placement | undefined): void {
    const oldKeys = new Map(before?.entries.map((entry) => [entry.key, entry.parentId]));
    const newKeys = new Map(after?.entries.map((entry) => [entry.key, entry.parentId]));
    for (const [key, parentId] of oldKeys) {
      if (!newKeys.has(key)) this.#entry({ type: "del", key }, parentId, -1);
    }
    for (const [key, parentId] of newKeys) {
      if (!oldKeys.has(key)) this.#entry({ type: "put", key, value: 0 }, parentId, 1);
    }
    // The item's record changed: every list showing it shows something new.
    for (const parentId of [...oldKeys.values(), ...newKeys.values()]) this.#changed.add(parentId);
    for (const spec of [...(before?.containers ?? []), ...(after?.containers ?? [])]) {
      if (!this.#specs.has(spec.id)) this.#specs.set(spec.id, spec);
    }
  }

  /** Reads the containers involved and returns the writes, deepest containers first. */
  async finish(): Promise<{ ops: CatalogOp[]; report: ContainerReport }> {
    const report: ContainerReport = { changedContainers: [], removedContainers: [] };
    if (this.#changed.size === 0) return { ops: this.#ops, report };
    // Children before parents: a container created or deleted changes its parent's count. All
    // are read up front, since a change can climb to any ancestor.
    const specs = [...this.#specs.values()].sort((a, b) => b.depth - a.depth);
    const records = await this.#reader.getMany<ContainerRecord>(
      specs.map((spec) => catalogKeys.object(spec.id)),
    );
    specs.forEach((spec, i) => {
      if (this.#changed.has(spec.id)) this.#update(spec, records[i], report);
    });
    return { ops: this.#ops, report };
  }

  #update(spec: ContainerSpec, stored: ContainerRecord | undefined, report: ContainerReport): void {
    const count = (stored?.n ?? 0) + (this.#deltas.get(spec.id) ?? 0);
    const key = catalogKeys.object(spec.id);
    if (stored === undefined) {
      // Nothing to create for a container that never had children (a stale removal).
      if (count <= 0) return;
      this.#ops.push({ type: "put", key, value: { ...spec.record, n: count, u: this.#updateId } });
      this.#entry(
        { type: "put", key: this.#entryKey(spec.record, spec.id), value: 0 },
        spec.record.p,
        1,
      );
      report.changedContainers.push({ id: spec.id, updateId: this.#updateId });
    } else if (count <= 0 && !fixedContainers.has(spec.id)) {
      this.#ops.push({ type: "del", key });
      this.#entry({ type: "del", key: this.#entryKey(stored, spec.id) }, stored.p, -1);
      report.removedContainers.push(spec.id);
    } else {
      this.#ops.push({
        type: "put",
        key,
        value: { ...stored, n: Math.max(0, count), u: this.#updateId },
      });
      // Its childCount is metadata its parent lists: the parent changed too.
      if (count !== stored.n) this.#changed.add(stored.p);
      report.changedContainers.push({ id: spec.id, updateId: this.#updateId });
    }
  }

  #entryKey(record: Pick<ContainerRecord, "p" | "k">, id: string): string {
    return catalogKeys.child(record.p, record.k, id);
  }

  #entry(op: CatalogOp, parentId: string, delta: 1 | -1): void {
    this.#ops.push(op);
    this.#deltas.set(parentId, (this.#deltas.get(parentId) ?? 0) + delta);
    this.#changed.add(parentId);
  }
}
