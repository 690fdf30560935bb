import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import {
  ANY_ITEM,
  ANY_KEY,
  hearthConfigSchema,
  loadConfig,
  optionPaths,
  parseBranch,
  type LoadedConfig,
} from "../../../services/config/index.js";

const EXAMPLE = new URL("../../../etc/hearth.example.yaml", import.meta.url).pathname;

type Path = (string | number)[];

/** Concrete paths in `data` that an option path (with placeholders and branches) matches. */
function occurrences(pattern: readonly string[], data: unknown, at: Path = []): Path[] {
  if (data === undefined) return [];
  const [head, ...rest] = pattern;
  if (head === undefined) return [at];
  if (head === ANY_ITEM) {
    return Array.isArray(data) ? data.flatMap((v, i) => occurrences(rest, v, [...at, i])) : [];
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
  const record = data as Record<string, unknown>;
  if (head === ANY_KEY) {
    return Object.entries(record).flatMap(([k, v]) => occurrences(rest, v, [...at, k]));
  }
  const branch = parseBranch(head);
  if (branch !== undefined) {
    return String(record[branch.key]) === branch.value ? occurrences(rest, data, at) : [];
  }
  return occurrences(rest, record[head], [...at, head]);
}

/** True when the key of `path` has a comment on its line or on the line just above. */
function isCommented(loaded: LoadedConfig, lines: string[], path: Path): boolean {
  // For a list item, the comment belongs to the list's key.
  const keyPath = [...path];
  while (typeof keyPath.at(-1) === "number") keyPath.pop();
  const position = loaded.positions.of(keyPath, "key");
  if (position === undefined) return false;
  const line = lines[position.line - 1] ?? "";
  const above = lines[position.line - 2] ?? "";
  return /\s#/.test(line.slice(position.column - 1)) || above.trim().startsWith("#");
}

describe("etc/hearth.example.yaml", () => {
  const text = readFileSync(EXAMPLE, "utf8");
  const lines = text.split("\n");
  const data: unknown = parse(text);

  it("is a valid config", () => {
    const loaded = loadConfig({ path: EXAMPLE, env: {} });
    assert.equal(loaded.file, EXAMPLE);
  });

  it("sets every option the schema has, in every branch", () => {
    const paths = optionPaths(hearthConfigSchema);
    assert.ok(paths.length > 90, `only ${paths.length} option paths found; is the walker broken?`);
    const missing = paths.filter((p) => occurrences(p, data).length === 0).map((p) => p.join("."));
    assert.deepEqual(missing, [], "options missing from the example");
  });

  it("documents every option with a comment on its line or just above it", () => {
    const loaded = loadConfig({ path: EXAMPLE, env: {} });
    const undocumented = optionPaths(hearthConfigSchema)
      .filter((p) => !occurrences(p, data).some((path) => isCommented(loaded, lines, path)))
      .map((p) => p.join("."));
    assert.deepEqual(undocumented, [], "options without a comment in the example");
  });

  it("shows each default it mentions as the value the schema uses", () => {
    // Spot checks of "Default N" comments against the schema, so the two do not drift apart.
    const defaults = hearthConfigSchema.parse({});
    assert.match(text, new RegExp(`port: 8200 # .*Default ${defaults.http.port}\\.`));
    assert.match(text, new RegExp(`rescanMinutes: 60\\n`));
    assert.match(text, new RegExp(`Default ${defaults.media.rescanMinutes}\\.`));
    assert.match(text, new RegExp(`port: 5060 # SIP port\\. Default ${defaults.pbx.sip.port}\\.`));
  });
});

describe("optionPaths", () => {
  it("walks records, lists and discriminated unions, keeping secrets whole", () => {
    const paths = optionPaths(hearthConfigSchema).map((p) => p.join("."));
    assert.ok(paths.includes("pbx.extensions.*.password"));
    assert.ok(paths.includes("media.roots.[].kind"));
    assert.ok(paths.includes("backup.jobs.*.destinations.[].<type=smb>.password"));
    assert.ok(paths.includes("console.ports.*.power.<driver=gpio>.line"));
    assert.ok(!paths.some((p) => p.endsWith("password.file")));
  });
});
