import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, readlink, rm, truncate, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { streamingRoutes } from "../../../media/streaming/index.js";
import { ThumbnailMaker } from "../../../media/thumbnails/thumbnail-maker.js";
import { waitFor } from "../indexer/support/indexer-harness.js";
import { LibraryFixture, photo, video } from "../library/library-fixture.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";
import { curl } from "./curl.js";

const BIG_BYTES = 24 * 1024 * 1024;
/** Larger than every buffer between a server and a client that stopped reading (tcp_rmem max 32 MiB). */
const HUGE_BYTES = 96 * 1024 * 1024;

/** Descriptors this process holds, and how many of them are open on `path`. */
async function descriptors(path?: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir("/proc/self/fd")) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => "");
    if (path === undefined || target === path) count += 1;
  }
  return count;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => resolve(hash.digest("hex")))
      .on("error", reject);
  });
}

/** curl's status code for `url`, the body saved to `out`. */
function curlToFile(url: string, out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("curl", ["-s", "-o", out, "-w", "%{http_code}", url], (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** Starts a GET on a raw socket and resolves once the first body bytes arrived. */
function startDownload(port: number, path: string): Promise<ReturnType<typeof connect>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("data", () => resolve(socket));
    socket.once("error", reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

describe("streaming routes under load: concurrency, aborted clients, changed files (real server)", function () {
  this.timeout(120_000);
  const fixture = new LibraryFixture({ rootTitles: ["Media"] });
  let root: string;
  let http: MediaHttp;
  let thumbs: ThumbnailMaker;
  const ids: Record<string, string> = {};

  before(async () => {
    root = await mkdtemp(join(tmpdir(), "hearth-streaming-load-"));
    await writeFile(join(root, "big.mp4"), randomBytes(BIG_BYTES));
    await writeFile(join(root, "shrunk.mp4"), randomBytes(12_345));
    await writeFile(join(root, "huge.mp4"), "");
    await truncate(join(root, "huge.mp4"), HUGE_BYTES);
    execFileSync("ffmpeg", [
      "-hide_banner",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=640x480",
      "-frames:v",
      "1",
      join(root, "photo.jpg"),
    ]);
    const library = await fixture.open();
    await library.apply({
      upserts: [
        video("big.mp4", { sizeBytes: BIG_BYTES }),
        video("huge.mp4", { sizeBytes: HUGE_BYTES }),
        // The catalog still has the size from before the file was rewritten.
        video("shrunk.mp4", { sizeBytes: 4_000_000 }),
        photo("photo.jpg", undefined, { rootId: 0 }),
      ],
    });
    for await (const file of library.filesUnder(0, "")) ids[file.relPath] = file.id;
    thumbs = new ThumbnailMaker({
      cacheDir: join(root, ".thumbs"),
      log: pino({ level: "silent" }),
    });
    http = await mediaHttp();
    // No wait for thumbnails at all: the art route must answer 404 rather than block.
    streamingRoutes(http.http, {
      library,
      rootPaths: [root],
      thumbnails: thumbs,
      log: http.log,
      artWaitMs: 0,
    });
  });
  after(async () => {
    await http.close();
    await thumbs.close();
    await fixture.close();
    await rm(root, { recursive: true, force: true });
  });

  const url = (relPath: string, ext = "mp4") => `${http.url}/media/res/${ids[relPath]}.${ext}`;

  it("serves 20 concurrent downloads of the same file, all byte-exact", async () => {
    const expected = await sha256(join(root, "big.mp4"));
    const outs = Array.from({ length: 20 }, (_, i) => join(root, `.download-${i}`));
    const codes = await Promise.all(outs.map((out) => curlToFile(url("big.mp4"), out)));
    assert.deepEqual(
      codes,
      outs.map(() => "200"),
    );
    assert.deepEqual(
      await Promise.all(outs.map(sha256)),
      outs.map(() => expected),
    );
    await Promise.all(outs.map((out) => rm(out)));
  });

  it("closes the file at once when clients go away mid-stream: no descriptor left after 50 aborts", async () => {
    const huge = join(root, "huge.mp4");
    const path = new URL(url("huge.mp4")).pathname;
    await curl(url("huge.mp4"), ["-r", "0-0"]);
    const before = await descriptors();
    // A client that stops reading keeps the file open (HTTP stalling), until it hangs up.
    const stalled = await startDownload(http.port, path);
    stalled.pause();
    assert.equal(await descriptors(huge), 1);
    stalled.destroy();
    await waitFor(
      "the stalled download's file closed",
      async () => (await descriptors(huge)) === 0,
    );
    for (let round = 0; round < 5; round++) {
      const sockets = await Promise.all(
        Array.from({ length: 10 }, () => startDownload(http.port, path)),
      );
      for (const socket of sockets) socket.destroy();
    }
    await waitFor(
      "every aborted download's file and socket closed",
      async () => (await descriptors(huge)) === 0 && (await descriptors()) <= before,
    );
  });

  it("answers 503 with Retry-After past maxTransfers, and serves again once a transfer ends", async () => {
    const busy = await mediaHttp();
    try {
      const deps = {
        library: fixture.library,
        rootPaths: [root],
        thumbnails: thumbs,
        log: busy.log,
      };
      streamingRoutes(busy.http, { ...deps, maxTransfers: 2 });
      const path = `/media/res/${ids["huge.mp4"]}.mp4`;
      const stalled = [await startDownload(busy.port, path), await startDownload(busy.port, path)];
      for (const socket of stalled) socket.pause();
      const refused = await curl(`${busy.url}${path}`, ["-r", "0-0"]);
      assert.equal(refused.status, 503);
      assert.equal(refused.header("retry-after"), "5");
      stalled[0]?.destroy();
      await waitFor(
        "a free transfer slot",
        async () => (await curl(`${busy.url}${path}`, ["-r", "0-0"])).status === 206,
      );
      stalled[1]?.destroy();
    } finally {
      await busy.close();
    }
  });

  it("serves a file's real size when it changed since the catalog was written", async () => {
    const reply = await curl(url("shrunk.mp4"));
    assert.equal(reply.status, 200);
    assert.equal(reply.header("content-length"), "12345");
    assert.equal(reply.body.length, 12_345);
    const past = await curl(url("shrunk.mp4"), ["-r", "20000-"]);
    assert.equal(past.status, 416);
    assert.equal(past.header("content-range"), "bytes */12345");
  });

  it("answers 404 for art not made within the wait, and serves it once it is made", async () => {
    const art = `${http.url}/media/art/${ids["photo.jpg"]}.jpg`;
    assert.equal((await curl(art)).status, 404);
    await thumbs.idle();
    const reply = await curl(art);
    assert.equal(reply.status, 200);
    assert.equal(reply.header("content-type"), "image/jpeg");
  });
});
