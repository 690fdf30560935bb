import assert from "node:assert/strict";
import type { CatalogNamespace, CatalogOp } from "../../../storage/catalog/catalog-namespace.js";
import { Library } from "../../../media/library/library.js";
import type { IndexedFile } from "../../../media/library/media-types.js";
import { LibraryFixture, track } from "./library-fixture.js";

/** Tracks of `albums` twelve-track albums, ten albums per artist: a realistic tag spread. */
function albumTracks(from: number, count: number): IndexedFile[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const artist = `Artist ${Math.floor(i / 120)}`;
    const album = `Album ${Math.floor(i / 12)}`;
    const number = (i % 12) + 1;
    return track(`${artist}/${album}/${String(number).padStart(2, "0")} Song ${i}.mp3`, {
      title: `Song ${i}`,
      artist,
      album,
      trackNumber: number,
      year: 1960 + (Math.floor(i / 12) % 60),
      genre: `Genre ${Math.floor(i / 120) % 15}`,
    });
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe("Library reads", () => {
  const fixture = new LibraryFixture();
  let library: Library;

  beforeEach(async () => {
    library = await fixture.open();
  });

  afterEach(() => fixture.close());

  it("pages a 20 000-track container from its cached list, without scanning again", async function () {
    this.timeout(30_000);
    for (let from = 0; from < 20_000; from += 2000) {
      await library.apply({ upserts: albumTracks(from, 2000) });
    }
    const first = await library.children("1$4", { start: 0, count: 50 });
    assert.equal(first?.total, 20_000);
    assert.deepEqual(
      first?.objects.slice(0, 3).map((o) => o.title),
      ["Song 0", "Song 1", "Song 2"],
    );
    const warm = library.stats;
    const page = await library.children("1$4", { start: 15_000, count: 50 });
    const last = await library.children("1$4", { start: 19_990, count: 50 });
    const reads = library.stats;
    assert.equal(reads.rangeReads, warm.rangeReads, "no range read for later pages");
    assert.equal(reads.keysScanned, warm.keysScanned);
    assert.ok(reads.pointReads - warm.pointReads <= 60, "about one record read per object");
    assert.equal(page?.total, 20_000);
    assert.equal(page?.objects.length, 50);
    assert.equal(page?.objects[0]?.title, "Song 15000", "natural order, not 'Song 1' < 'Song 10'");
    assert.equal(last?.objects.length, 10);
    assert.deepEqual(await library.counts(), {
      tracks: 20_000,
      videos: 0,
      pictures: 0,
      albums: 1667,
      artists: 167,
    });
  });

  it("drops a container's cached list when it changes, and only then", async () => {
    await library.apply({ upserts: albumTracks(0, 30) });
    await library.children("1$4", { count: 5 });
    await library.children("2$8", { count: 5 });
    const warm = library.stats;
    await library.apply({ upserts: albumTracks(30, 1) });
    const after = await library.children("1$4", { count: 100 });
    assert.equal(after?.total, 31);
    assert.ok(after?.objects.some((o) => o.title === "Song 30"));
    await library.children("2$8", { count: 5 });
    assert.equal(library.stats.rangeReads, warm.rangeReads + 1, "only All tracks was read again");
  });

  it("lists known files in a folder with one seek per subfolder, and under it in path order", async () => {
    await library.apply({
      upserts: [
        ...albumTracks(0, 240),
        track("top b.mp3", {}),
        track("top a.mp3", {}),
        track("Artist 0 extra.mp3", {}),
      ],
    });
    const before = library.stats;
    const top = await collect(library.filesIn(0, ""));
    assert.deepEqual(
      top.map((f) => f.relPath),
      ["Artist 0 extra.mp3", "top a.mp3", "top b.mp3"],
    );
    assert.ok(library.stats.keysScanned - before.keysScanned < 10, "subfolders skipped, not read");
    assert.match(top[0]?.id ?? "", /^i[0-9a-z]+$/);
    assert.deepEqual(Object.keys(top[0] ?? {}).sort(), [
      "id",
      "mtimeMs",
      "relPath",
      "rootId",
      "sizeBytes",
    ]);
    const album = await collect(library.filesIn(0, "Artist 1/Album 10/"));
    assert.equal(album.length, 12);
    const under = await collect(library.filesUnder(0, "Artist 1"));
    assert.equal(under.length, 120);
    assert.deepEqual(
      under.map((f) => f.relPath),
      under.map((f) => f.relPath).sort(),
    );
    assert.deepEqual(await collect(library.filesUnder(3, "")), []);
  });

  it("writes under 1 000 bytes of keys and values per file for a 2 000-file apply", async () => {
    const counting = new ByteCountingNamespace(fixture.catalog.namespace("media").sub("bytes"));
    const measured = await Library.open(counting);
    counting.bytes = 0;
    const sizeBefore = await fixture.catalog.sizeBytes();
    await measured.apply({ upserts: albumTracks(0, 2000) });
    const perFile = counting.bytes / 2000;
    const diskPerFile = ((await fixture.catalog.sizeBytes()) - sizeBefore) / 2000;
    assert.ok(perFile < 1000, `${perFile.toFixed(0)} bytes per file`);
    assert.ok(diskPerFile < 1200, `${diskPerFile.toFixed(0)} bytes per file on disk`);
  });
});

/** Counts the bytes of every key and JSON value the library writes ("!media/bytes!" included). */
class ByteCountingNamespace implements CatalogNamespace {
  bytes = 0;
  readonly #inner: CatalogNamespace;
  readonly name: string;

  constructor(inner: CatalogNamespace) {
    this.#inner = inner;
    this.name = inner.name;
  }

  batch(ops: readonly CatalogOp[]): Promise<void> {
    const prefix = Buffer.byteLength(`!${this.name}!`);
    for (const op of ops) {
      this.bytes += prefix + Buffer.byteLength(op.key);
      if (op.type === "put") this.bytes += Buffer.byteLength(JSON.stringify(op.value));
    }
    return this.#inner.batch(ops);
  }

  get = <T>(key: string) => this.#inner.get<T>(key);
  getMany = <T>(keys: readonly string[]) => this.#inner.getMany<T>(keys);
  put = (key: string, value: unknown) => this.batch([{ type: "put", key, value }]);
  del = (key: string) => this.batch([{ type: "del", key }]);
  entries = <T>(range?: Parameters<CatalogNamespace["entries"]>[0]) =>
    this.#inner.entries<T>(range);
  entryPages = <T>(range: Parameters<CatalogNamespace["entryPages"]>[0], pageSize: number) =>
    this.#inner.entryPages<T>(range, pageSize);
  keys = (range?: Parameters<CatalogNamespace["keys"]>[0]) => this.#inner.keys(range);
  clear = (range?: Parameters<CatalogNamespace["clear"]>[0]) => this.#inner.clear(range);
  sub = (name: string) => this.#inner.sub(name);
  migrate = (migrations: Parameters<CatalogNamespace["migrate"]>[0]) =>
    this.#inner.migrate(migrations);
}
