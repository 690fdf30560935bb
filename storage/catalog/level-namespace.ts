import { HearthError } from "../../services/errors.js";
import type { CatalogLog } from "./catalog-log.js";
import type {
  CatalogMigration,
  CatalogNamespace,
  CatalogOp,
  CatalogRange,
  EntryPageOptions,
} from "./catalog-namespace.js";
import type { MetaStore } from "./meta-store.js";
import { migrateNamespace } from "./migrate-namespace.js";
import type { RawOp, Sublevel } from "./open-sublevel.js";
import { rangeOptions, type LevelRange } from "./range-options.js";
import type { WriteSink } from "./write-queue.js";

/** What every namespace of one catalog shares; the Catalog provides it. */
export interface NamespaceHost {
  /** The sublevel for a namespace path ("media", "media/thumbs"), the same object each time. */
  sublevel(path: string): Sublevel;
  readonly queue: WriteSink;
  readonly meta: MetaStore;
  readonly log: CatalogLog;
  /** Called for a stored value that is not JSON; the value is then treated as absent. */
  reportCorrupt(namespace: string, key: string, cause: unknown): void;
}

/** entryPages' byte budget per page: entries are assumed to be up to 1 KiB, pages ≤ 1 MiB. */
const PAGE_ENTRY_BYTES = 1024;
const MAX_PAGE_BYTES = 1024 * 1024;

// Lowercase ASCII only: sublevel names must be bytes 0x23..0x7e, and "~" stays free for the
// catalog's meta area.
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * A `CatalogNamespace` over one sublevel. Values are stored as JSON text and parsed here, so one
 * corrupt value is reported and skipped rather than ending a range read. Writes go to `sink`: the
 * shared write queue, or a migration's buffer while a migration runs.
 */
export class LevelNamespace implements CatalogNamespace {
  /** Keys deleted per batch by `clear()`: big enough to be cheap, small enough to stay short. */
  static readonly clearChunkKeys = 500;

  readonly name: string;
  readonly #host: NamespaceHost;
  readonly #sublevel: Sublevel;
  readonly #sink: WriteSink;

  /** `name` is a path of segments like "media/thumbs"; throws E_CATALOG when one is invalid. */
  constructor(host: NamespaceHost, name: string, sink: WriteSink = host.queue) {
    for (const segment of name.split("/")) {
      if (!SEGMENT.test(segment)) {
        throw new HearthError("E_CATALOG", `"${name}" is not a valid catalog namespace name`, {
          fix: 'use lowercase letters, digits, ".", "_" and "-" (and "/" between sub-namespaces)',
        });
      }
    }
    this.name = name;
    this.#host = host;
    this.#sublevel = host.sublevel(name);
    this.#sink = sink;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return this.#decode<T>(key, await this.#sublevel.get(key));
  }

  async getMany<T = unknown>(keys: readonly string[]): Promise<Array<T | undefined>> {
    const raws = await this.#sublevel.getMany([...keys]);
    return raws.map((raw, i) => this.#decode<T>(keys[i] ?? "", raw));
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.#sink.write([this.#putOp(key, value)]);
  }

  async del(key: string): Promise<void> {
    await this.#sink.write([this.#delOp(key)]);
  }

  async batch(ops: readonly CatalogOp[]): Promise<void> {
    // Encode everything first: a bad value rejects the whole batch before anything is queued.
    const raw = ops.map((op) =>
      op.type === "put" ? this.#putOp(op.key, op.value) : this.#delOp(op.key),
    );
    if (raw.length > 0) await this.#sink.write(raw);
  }

  async *entries<T = unknown>(range?: CatalogRange): AsyncGenerator<[string, T]> {
    // The limit is applied here, not by LevelDB, so skipped corrupt values don't use it up.
    const { limit, ...bounds } = rangeOptions(range);
    if (limit === 0) return;
    let yielded = 0;
    for await (const [key, raw] of this.#sublevel.iterator(bounds)) {
      const value = this.#decode<T>(key, raw);
      if (value === undefined) continue;
      yield [key, value];
      yielded += 1;
      if (yielded === limit) return;
    }
  }

  async *entryPages<T = unknown>(
    range: CatalogRange,
    pageSize: number,
    { keepText }: EntryPageOptions = {},
  ): AsyncGenerator<Array<[string, T]>> {
    const { limit, ...bounds } = rangeOptions(range);
    const size = Math.max(1, Math.floor(pageSize));
    let remaining = limit ?? Infinity;
    // classic-level stops a read at 16 KiB by default, a few dozen records: let a page be whole.
    const highWaterMarkBytes = Math.min(size * PAGE_ENTRY_BYTES, MAX_PAGE_BYTES);
    // classic-level's own option; sublevels pass it through, their types do not name it.
    const options: LevelRange & { highWaterMarkBytes: number } = { ...bounds, highWaterMarkBytes };
    const iterator = this.#sublevel.iterator(options);
    // The next page is read (on LevelDB's thread) while the caller works on this one.
    let next: Promise<Array<[string, string]>> | undefined = iterator.nextv(size);
    try {
      while (remaining > 0 && next !== undefined) {
        const raws: Array<[string, string]> = await next;
        // A short page is not the end (the byte budget may cut it); only an empty one is.
        next = raws.length === 0 ? undefined : iterator.nextv(size);
        if (raws.length === 0) return;
        const page: Array<[string, T]> = [];
        for (const [key, raw] of raws) {
          if (keepText !== undefined && !keepText(raw)) continue;
          const value = this.#decode<T>(key, raw);
          if (value === undefined || remaining === 0) continue;
          page.push([key, value]);
          remaining -= 1;
        }
        if (page.length > 0) yield page;
      }
    } finally {
      // A read still in flight (the caller stopped early) must end before the iterator closes.
      await next?.catch(() => undefined);
      await iterator.close();
    }
  }

  async *keys(range?: CatalogRange): AsyncGenerator<string> {
    yield* this.#sublevel.keys(rangeOptions(range));
  }

  async clear(range?: CatalogRange): Promise<number> {
    // One iterator (a LevelDB snapshot) for the whole clear: keys deleted meanwhile are not
    // revisited, and inside a migration, where deletes are only buffered, it still terminates.
    let cleared = 0;
    let chunk: RawOp[] = [];
    for await (const key of this.#sublevel.keys(rangeOptions(range))) {
      chunk.push(this.#delOp(key));
      if (chunk.length < LevelNamespace.clearChunkKeys) continue;
      await this.#sink.write(chunk);
      cleared += chunk.length;
      chunk = [];
    }
    if (chunk.length > 0) await this.#sink.write(chunk);
    return cleared + chunk.length;
  }

  sub(name: string): CatalogNamespace {
    return new LevelNamespace(this.#host, `${this.name}/${name}`, this.#sink);
  }

  async migrate(migrations: readonly CatalogMigration[]): Promise<number> {
    if (this.#sink !== this.#host.queue) {
      throw new HearthError(
        "E_CATALOG",
        `migrate() was called inside a migration of "${this.name}"`,
        {
          fix: "run each namespace's migrations from the service's start(), not from another migration",
        },
      );
    }
    return migrateNamespace(this.name, migrations, {
      meta: this.#host.meta,
      queue: this.#host.queue,
      log: this.#host.log,
      bufferedView: (sink) => new LevelNamespace(this.#host, this.name, sink),
    });
  }

  #decode<T>(key: string, raw: string | undefined): T | undefined {
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch (err) {
      // Reported (logged once per key) and treated as absent: one bad value must not take the
      // service down, and the next put of this key repairs it.
      this.#host.reportCorrupt(this.name, key, err);
      return undefined;
    }
  }

  #putOp(key: string, value: unknown): RawOp {
    checkKey(key);
    // Encoded now, so later changes to the caller's object don't leak into the queued write.
    const json = JSON.stringify(value);
    if (json === undefined) {
      throw new TypeError(
        `catalog value for ${this.name}:${key} has no JSON form (${typeof value})`,
      );
    }
    return { type: "put", sublevel: this.#sublevel, key, value: json };
  }

  #delOp(key: string): RawOp {
    checkKey(key);
    return { type: "del", sublevel: this.#sublevel, key };
  }
}

function checkKey(key: unknown): void {
  if (typeof key !== "string") throw new TypeError(`catalog keys are strings, got ${typeof key}`);
}
