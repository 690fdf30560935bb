import { HearthError } from "../../services/errors.js";
import type { RawOp, Sublevel } from "./open-sublevel.js";

/**
 * The catalog's own records, in a sublevel no namespace can name ("~meta"):
 * - `schema/<namespace>`: the namespace's schema version, a JSON integer (absent = 0);
 * - `closed-at`: ISO time of the last clean close (written with fsync; see WriteQueue.close).
 */
export class MetaStore {
  /** The sublevel name; "~" is outside the characters a namespace name may use. */
  static readonly sublevelName = "~meta";

  readonly #meta: Sublevel;

  constructor(meta: Sublevel) {
    this.#meta = meta;
  }

  async schemaVersion(namespace: string): Promise<number> {
    const raw = await this.#meta.get(schemaKey(namespace));
    if (raw === undefined) return 0;
    const version: unknown = parseOrUndefined(raw);
    if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
      throw new HearthError(
        "E_CATALOG",
        `the catalog's schema record for "${namespace}" is damaged (${JSON.stringify(raw)})`,
        { fix: "restore the catalog from a backup, or move it aside to let hearth rebuild it" },
      );
    }
    return version;
  }

  schemaVersionOp(namespace: string, version: number): RawOp {
    return { type: "put", sublevel: this.#meta, key: schemaKey(namespace), value: `${version}` };
  }

  closedOp(at: Date): RawOp {
    return { type: "put", sublevel: this.#meta, key: "closed-at", value: JSON.stringify(at) };
  }
}

function schemaKey(namespace: string): string {
  return `schema/${namespace}`;
}

function parseOrUndefined(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // The caller turns "not a number" into the damaged-record error; a parse failure is the same.
    return undefined;
  }
}
