import assert from "node:assert/strict";
import { cp, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Indexer } from "../../../media/indexer/indexer.js";
import type {
  KnownFile,
  LibraryChanges,
  MetadataExtractor,
} from "../../../media/indexer/indexer-ports.js";
import type { Library } from "../../../media/library/library.js";
import { MetadataPool } from "../../../media/metadata/metadata-pool.js";
import { makeCorpus, type CorpusManifest } from "../../fixtures/media-corpus/index.js";
import { LibraryFixture } from "../library/library-fixture.js";
import { memoryLogger, waitFor } from "./support/indexer-harness.js";

const defaultExclude = [".*", "@eaDir", "#recycle", "lost+found", "$RECYCLE.BIN"];

async function known(library: Library): Promise<KnownFile[]> {
  const files: KnownFile[] = [];
  for await (const file of library.filesUnder(0, "")) files.push(file);
  return files;
}

/** Counts what reaches the real pool and the real library, without changing either. */
function counted(pool: MetadataExtractor, library: Library) {
  const counts = { extracts: 0, applies: 0 };
  const extractor: MetadataExtractor = {
    extract: (...args) => (counts.extracts++, pool.extract(...args)),
    close: () => pool.close(),
  };
  const apply = library.apply.bind(library);
  library.apply = (changes: LibraryChanges) => (counts.applies++, apply(changes));
  return { counts, extractor };
}

describe("Indexer with the real Library, MetadataPool and test corpus (integration)", function () {
  this.timeout(60_000);
  let dir: string;
  let corpus: CorpusManifest;
  const fixture = new LibraryFixture({ rootTitles: ["Media"] });
  let pool: MetadataPool;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "hearth-indexer-corpus-"));
    corpus = await makeCorpus(dir);
    await fixture.open();
  });
  after(async () => {
    await pool?.close();
    await fixture.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runIndexer(onIndexer?: (indexer: Indexer, library: Library) => Promise<void>) {
    const library = await fixture.reopen();
    pool = new MetadataPool();
    const { counts, extractor } = counted(pool, library);
    const { log } = memoryLogger();
    const roots = [{ path: dir, kind: "mixed" }];
    const opts = { roots, exclude: defaultExclude, skipPaths: [], rescanMinutes: 60, quietMs: 200 };
    const indexer = new Indexer({ ...opts, library, extractor, log });
    await indexer.start();
    await indexer.idle();
    await onIndexer?.(indexer, library);
    await indexer.close();
    await pool.close();
    return { counts, library };
  }

  it("indexes exactly the corpus's media items, and a restart does no metadata work and no writes", async () => {
    const { library } = await runIndexer();
    const expected = corpus.entries.filter((e) => e.expected !== null && e.isHidden !== true);
    const files = await known(library);
    assert.deepEqual(files.map((f) => f.relPath).sort(), expected.map((e) => e.relPath).sort());
    for (const file of files) {
      const entry = expected.find((e) => e.relPath === file.relPath);
      assert.equal(file.sizeBytes, entry?.sizeBytes, file.relPath);
      assert.equal(file.mtimeMs, entry?.mtimeMs, file.relPath);
    }
    const restart = await runIndexer();
    assert.deepEqual(restart.counts, { extracts: 0, applies: 0 });
  });

  it("keeps object ids when a folder is renamed live, and indexes a folder copied in", async () => {
    const before = await known(await fixture.reopen());
    const folder = before.find((f) => f.relPath.includes("/"))?.relPath.split("/")[0] as string;
    const ids = new Map(
      before
        .filter((f) => f.relPath.startsWith(`${folder}/`))
        .map((f) => [f.relPath.slice(folder.length), f.id]),
    );
    await runIndexer(async (_indexer, library) => {
      await rename(join(dir, folder), join(dir, `${folder} (renamed)`));
      await waitFor(
        "the renamed folder in the catalog",
        async () => {
          const now = await known(library);
          return (
            now.filter((f) => f.relPath.startsWith(`${folder} (renamed)/`)).length === ids.size
          );
        },
        20_000,
      );
      for (const file of await known(library)) {
        if (!file.relPath.startsWith(`${folder} (renamed)/`)) continue;
        assert.equal(
          file.id,
          ids.get(file.relPath.slice(`${folder} (renamed)`.length)),
          file.relPath,
        );
      }
      // A copy gets fresh mtimes: each file is indexed once it has settled, under new ids.
      await cp(join(dir, `${folder} (renamed)`), join(dir, "Copied", folder), { recursive: true });
      await waitFor(
        "every copied media file in the catalog",
        async () => {
          const now = await known(library);
          return now.filter((f) => f.relPath.startsWith(`Copied/${folder}/`)).length === ids.size;
        },
        20_000,
      );
    });
  });
});
