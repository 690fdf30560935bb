import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from "yaml";

/** A 1-based place in the config file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Maps key paths of the loaded config back to where they are written in the YAML file, so errors
 * found after parsing (a bad value, a secret file that is missing) can still say `file:line:col`.
 */
export class ConfigPositions {
  readonly #doc: Document | null;
  readonly #lines: LineCounter | null;

  constructor(doc: Document | null, lineCounter: LineCounter | null) {
    this.#doc = doc;
    this.#lines = lineCounter;
  }

  /** Positions for a config that has no file (the embedded default): every lookup is undefined. */
  static none(): ConfigPositions {
    return new ConfigPositions(null, null);
  }

  /**
   * Where the value at `path` starts, or its key with `at: "key"` (for unknown or misnamed keys).
   * When the path is not in the file (a missing option) this is the nearest enclosing value, which
   * is where the option belongs. Undefined only without a file.
   */
  of(path: readonly PropertyKey[], at: "value" | "key" = "value"): SourcePosition | undefined {
    if (this.#doc === null) return undefined;
    let node: unknown = this.#doc.contents;
    let found = this.#position(node) ?? { line: 1, column: 1 };
    for (const [i, segment] of path.entries()) {
      if (isAlias(node)) node = node.resolve(this.#doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(segment));
        if (pair === undefined) return found;
        const keyPosition = this.#position(pair.key);
        if (i === path.length - 1 && at === "key") return keyPosition ?? found;
        node = pair.value;
        found = this.#position(pair.value) ?? keyPosition ?? found;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(segment)];
        if (item === undefined) return found;
        node = item;
        found = this.#position(item) ?? found;
      } else return found;
    }
    return found;
  }

  #position(node: unknown): SourcePosition | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range === undefined || this.#lines === null) return undefined;
    const { line, col } = this.#lines.linePos(range[0]);
    return { line, column: col };
  }
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
