import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Indexer } from "../../../media/indexer/indexer.js";
import type { Library } from "../../../media/library/library.js";
import { MetadataPool } from "../../../media/metadata/metadata-pool.js";
import { streamingRoutes, type StreamingDeps } from "../../../media/streaming/index.js";
import { ThumbnailMaker } from "../../../media/thumbnails/thumbnail-maker.js";
import { makeCorpus, type CorpusManifest } from "../../fixtures/media-corpus/index.js";
import { LibraryFixture } from "../library/library-fixture.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";

/**
 * The test corpus (real ffmpeg-made files) indexed by the real Indexer and MetadataPool into a
 * real Library, a real ThumbnailMaker with an empty cache, and hearth's real HTTP server on
 * 127.0.0.1 with the streaming routes mounted.
 */
export class StreamingFixture {
  root = "";
  corpus!: CorpusManifest;
  library!: Library;
  thumbs!: ThumbnailMaker;
  http!: MediaHttp;
  readonly #libraryFixture = new LibraryFixture({ rootTitles: ["Media"] });
  #thumbDir = "";
  #ids = new Map<string, string>();

  async start(deps: Partial<StreamingDeps> = {}): Promise<void> {
    this.root = await mkdtemp(join(tmpdir(), "hearth-streaming-corpus-"));
    this.#thumbDir = await mkdtemp(join(tmpdir(), "hearth-streaming-thumbs-"));
    this.corpus = await makeCorpus(this.root);
    this.library = await this.#libraryFixture.open();
    await this.#index();
    for await (const file of this.library.filesUnder(0, "")) this.#ids.set(file.relPath, file.id);
    const log = pino({ level: "silent" });
    this.thumbs = new ThumbnailMaker({ cacheDir: this.#thumbDir, log });
    this.http = await mediaHttp();
    streamingRoutes(this.http.http, {
      library: this.library,
      rootPaths: [this.root],
      thumbnails: this.thumbs,
      log: this.http.log,
      ...deps,
    });
  }

  async stop(): Promise<void> {
    await this.http?.close();
    await this.thumbs?.close();
    await this.#libraryFixture.close();
    await rm(this.root, { recursive: true, force: true });
    await rm(this.#thumbDir, { recursive: true, force: true });
  }

  /** The item id of a corpus file. */
  id(relPath: string): string {
    const id = this.#ids.get(relPath);
    assert.ok(id !== undefined, `${relPath} is indexed`);
    return id;
  }

  /** "http://127.0.0.1:<port>/media" + path. */
  url(path: string): string {
    return `${this.http.url}/media${path}`;
  }

  async #index(): Promise<void> {
    const extractor = new MetadataPool();
    const indexer = new Indexer({
      roots: [{ path: this.root, kind: "mixed" }],
      exclude: [".*"],
      skipPaths: [],
      rescanMinutes: 60,
      quietMs: 200,
      library: this.library,
      extractor,
      log: pino({ level: "silent" }),
    });
    try {
      await indexer.start();
      await indexer.idle();
    } finally {
      await indexer.close();
      await extractor.close();
    }
  }
}
