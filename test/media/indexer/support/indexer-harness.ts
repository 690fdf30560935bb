import assert from "node:assert/strict";
import { createHook } from "node:async_hooks";
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { Indexer } from "../../../../media/indexer/indexer.js";
import type { IndexerOptions } from "../../../../media/indexer/indexer-types.js";
import { FakeExtractor } from "./fake-extractor.js";
import { MemoryLibrary } from "./memory-library.js";

/** A real folder under os.tmpdir() (a local disk: real inotify) that a test fills. */
export class TempTree {
  readonly path: string;

  constructor(prefix = "hearth-indexer-") {
    this.path = mkdtempSync(join(tmpdir(), prefix));
  }

  abs(rel: string): string {
    return join(this.path, rel);
  }

  /** Writes a file (creating folders); `ageMs` backdates its mtime so it counts as settled. */
  write(rel: string, content: string | Buffer = "x", ageMs = 60_000): string {
    const file = this.abs(rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (ageMs > 0) {
      const when = new Date(Date.now() - ageMs);
      utimesSync(file, when, when);
    }
    return file;
  }

  mkdir(rel: string): string {
    mkdirSync(this.abs(rel), { recursive: true });
    return this.abs(rel);
  }

  rename(from: string, to: string): void {
    mkdirSync(dirname(this.abs(to)), { recursive: true });
    renameSync(this.abs(from), this.abs(to));
  }

  remove(rel: string): void {
    rmSync(this.abs(rel), { recursive: true, force: true });
  }

  cleanup(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A pino logger whose JSON lines land in `lines`, for checking what is logged (and how often). */
export function memoryLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "debug" }, sink), lines };
}

/** An indexer over the test doubles, with test-friendly timings; overrides win. */
export function testIndexer(
  tree: TempTree,
  overrides: Partial<IndexerOptions> = {},
): {
  indexer: Indexer;
  library: MemoryLibrary;
  extractor: FakeExtractor;
  lines: Array<Record<string, unknown>>;
} {
  const library = (overrides.library as MemoryLibrary | undefined) ?? new MemoryLibrary();
  const extractor = (overrides.extractor as FakeExtractor | undefined) ?? new FakeExtractor();
  const { log, lines } = memoryLogger();
  const indexer = new Indexer({
    roots: [{ path: tree.path, kind: "mixed" }],
    exclude: [".*", "@eaDir", "*.part"],
    skipPaths: [],
    rescanMinutes: 60,
    quietMs: 200,
    settleMs: 0,
    log,
    ...overrides,
    library,
    extractor,
  });
  return { indexer, library, extractor, lines };
}

/** Waits until `condition` holds, polling every 25 ms; fails with `what` at the deadline. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const indexerDir = new URL("../../../../media/indexer/", import.meta.url).pathname;

/**
 * Follows the timers the indexer (or chokidar under it) creates, by the stack that created them:
 * `alive()` lists those not yet fired or cleared. Idle must mean none.
 */
export function trackTimers(): { alive(): string[]; stop(): void } {
  const timers = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (type !== "Timeout") return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 30;
      const stack = new Error().stack ?? "";
      Error.stackTraceLimit = limit;
      const origin = stack
        .split("\n")
        .find((l) => l.includes(indexerDir) || l.includes("/chokidar/"));
      if (origin !== undefined) timers.set(id, origin.trim());
    },
    destroy(id) {
      timers.delete(id);
    },
  }).enable();
  return { alive: () => [...timers.values()], stop: () => hook.disable() };
}

/**
 * Registers mocha hooks giving each test a fresh temp tree and an empty in-memory library, and
 * removing the tree after; `use` receives both.
 */
export function freshTreePerTest(use: (tree: TempTree, library: MemoryLibrary) => void): void {
  let tree: TempTree | undefined;
  beforeEach(() => {
    tree = new TempTree();
    use(tree, new MemoryLibrary());
  });
  afterEach(() => tree?.cleanup());
}
