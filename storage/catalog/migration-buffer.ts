import { HearthError } from "../../services/errors.js";
import type { RawOp } from "./open-sublevel.js";
import type { WriteSink } from "./write-queue.js";

/**
 * Holds a running migration's writes so they can land in one batch with its version bump. Writes
 * resolve at once: nothing is on disk until the migration commits, and a migration that throws
 * simply drops its buffer.
 */
export class MigrationBuffer implements WriteSink {
  #ops: RawOp[] = [];
  #isSealed = false;

  write(ops: readonly RawOp[]): Promise<void> {
    if (this.#isSealed) {
      return Promise.reject(
        new HearthError("E_CATALOG", "a catalog migration wrote after its up() had finished", {
          fix: "await every write inside the migration's up()",
        }),
      );
    }
    // A loop, not push(...ops): a big clear() would overflow the argument limit.
    for (const op of ops) this.#ops.push(op);
    return Promise.resolve();
  }

  /** Ends the migration's writing and hands over what it wrote, in order. */
  seal(): readonly RawOp[] {
    this.#isSealed = true;
    return this.#ops;
  }
}
