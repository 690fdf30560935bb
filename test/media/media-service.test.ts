import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { controlRequest } from "../../services/control/control-client.js";
import type { HostStatus } from "../../services/host/host-status.js";
import type { MediaSummary } from "../../media/media-routes.js";
import { makeBulkCorpus, makeCorpus, type CorpusManifest } from "../fixtures/media-corpus/index.js";
import { MAIN, sleep, startHearth, type HearthProcess } from "../support/hearth-process.js";

// The media service inside the real compiled hearth, on the generated corpus: what a household
// sees after pointing hearth at its folders.
describe("media service in a running hearth", function () {
  this.timeout(180_000);
  let work: string;
  let library: string;
  let manifest: CorpusManifest;
  let config: string;
  let hearth: HearthProcess | undefined;

  const socket = (h: HearthProcess) => [join(h.dataDir, "hearth.sock")];
  async function summary(h: HearthProcess): Promise<MediaSummary> {
    const answer = await controlRequest(socket(h), "GET", "/api/media/summary");
    assert.equal(answer.statusCode, 200, answer.body);
    return JSON.parse(answer.body) as MediaSummary;
  }
  async function scanned(h: HearthProcess, timeoutMs = 120_000): Promise<MediaSummary> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await summary(h).catch(() => undefined);
      if (s?.roots[0]?.lastScanAt && s.progress?.phase !== "scanning") return s;
      if (Date.now() > deadline) throw new Error(`no finished scan: ${JSON.stringify(s)}`);
      await sleep(200);
    }
  }
  const expectedCount = (cls: string) =>
    manifest.entries.filter((e) => !e.isHidden && e.expected?.mediaClass === cls).length;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "hearth-media-e2e-"));
    library = join(work, "library");
    manifest = await makeCorpus(library);
    config = join(work, "hearth.yaml");
    writeFileSync(config, `media:\n  roots:\n    - { path: "${library}", kind: mixed }\n`);
    hearth = await startHearth({ args: ["--config", config, "--listen", "127.0.0.1"] });
  });
  after(async () => {
    await hearth?.stop();
    hearth?.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it("indexes every media file of the corpus once and skips hidden ones", async () => {
    const s = await scanned(hearth!);
    assert.deepEqual(
      { tracks: s.counts?.tracks, videos: s.counts?.videos, pictures: s.counts?.pictures },
      {
        tracks: expectedCount("audio"),
        videos: expectedCount("video"),
        pictures: expectedCount("image"),
      },
    );
    assert.equal(s.roots[0]?.watch, "live");
  });

  it("lists a file copied in later within seconds, without a rescan", async () => {
    const before = (await summary(hearth!)).counts?.tracks ?? 0;
    const source = manifest.entries.find((e) => e.expected?.mediaClass === "audio" && !e.isHidden);
    copyFileSync(join(library, source!.relPath), join(work, "arrival.part"));
    renameSync(join(work, "arrival.part"), join(library, "Arrival.mp3"));
    const deadline = Date.now() + 30_000;
    while (((await summary(hearth!)).counts?.tracks ?? 0) !== before + 1) {
      if (Date.now() > deadline) throw new Error("the new file never appeared");
      await sleep(100);
    }
  });

  it("answers `hearth scan --wait` and shows a Library page on the dashboard", async () => {
    const scan = spawnSync(process.execPath, [MAIN, "scan", "--wait", "--data", hearth!.dataDir], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: hearth!.home },
      timeout: 60_000,
    });
    assert.equal(scan.status, 0, scan.stderr);
    assert.match(scan.stdout, /^scan started\n[\s\S]*scan done: \d+ files indexed/);
    const page = await controlRequest(socket(hearth!), "GET", "/api/media/library");
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(library), "the page names the shared folder");
    const status = JSON.parse(
      (await controlRequest(socket(hearth!), "GET", "/status")).body,
    ) as HostStatus;
    assert.deepEqual(status.services.find((x) => x.name === "media")?.pages, [
      { title: "Media", path: "/api/media/library" },
    ]);
  });

  it("lists the players that asked for something, and keeps the profile a user pins", async () => {
    const browse = await fetch(`http://127.0.0.1:${hearth!.port}/media/upnp/control/cds`, {
      method: "POST",
      headers: {
        "content-type": 'text/xml; charset="utf-8"',
        soapaction: '"urn:schemas-upnp-org:service:ContentDirectory:1#Browse"',
        "user-agent": "BubbleUPnP UPnP/1.1 (Android 14)",
      },
      body: '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ObjectID>0</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>10</RequestedCount><SortCriteria></SortCriteria></u:Browse></s:Body></s:Envelope>',
    });
    assert.equal(browse.status, 200);
    assert.match(await browse.text(), /<TotalMatches>4<\/TotalMatches>/);
    const clients = async () =>
      JSON.parse((await controlRequest(socket(hearth!), "GET", "/api/media/clients")).body) as {
        clients: Array<{
          address: string;
          profile: { id: string };
          overrideProfileId: string | null;
        }>;
      };
    const seen = (await clients()).clients.find((c) => c.address === "127.0.0.1");
    assert.equal(seen?.profile.id, "bubbleupnp");
    const pin = await controlRequest(socket(hearth!), "PUT", "/api/media/clients/127.0.0.1", {
      profile: "samsung-tv",
    });
    assert.equal(pin.statusCode, 204, pin.body);
    const pinned = (await clients()).clients.find((c) => c.address === "127.0.0.1");
    assert.deepEqual([pinned?.profile.id, pinned?.overrideProfileId], ["samsung-tv", "samsung-tv"]);
    const page = (await controlRequest(socket(hearth!), "GET", "/api/media/library")).body;
    assert.match(page, /<option value="samsung-tv" selected>Samsung TV<\/option>/);
    const bogus = await controlRequest(socket(hearth!), "PUT", "/api/media/clients/127.0.0.1", {
      profile: "toaster",
    });
    assert.equal(bogus.statusCode, 400);
  });

  it("makes thumbnails in the background", async () => {
    const deadline = Date.now() + 60_000;
    while (((await summary(hearth!)).thumbnails?.made ?? 0) === 0) {
      if (Date.now() > deadline) throw new Error("no thumbnail was made");
      await sleep(250);
    }
  });

  it("restarts on an unchanged library without writing to the catalog", async () => {
    const dataDir = hearth!.dataDir;
    assert.equal(await hearth!.stop(), 0);
    const again = await startHearth({
      args: ["--config", config, "--listen", "127.0.0.1", "--data", dataDir],
    });
    try {
      await scanned(again);
      const status = JSON.parse(
        (await controlRequest(socket(again), "GET", "/status")).body,
      ) as HostStatus;
      assert.equal(status.catalog.batchesWritten, 0);
    } finally {
      await again.stop();
      again.cleanup();
    }
  });

  it("resumes a scan killed half way and ends with the complete library", async () => {
    const bulk = join(work, "bulk");
    const bulkManifest = await makeBulkCorpus(bulk, { files: 2000 });
    const bulkConfig = join(work, "bulk.yaml");
    writeFileSync(bulkConfig, `media:\n  roots:\n    - { path: "${bulk}", kind: music }\n`);
    const first = await startHearth({ args: ["--config", bulkConfig, "--listen", "127.0.0.1"] });
    const dataDir = first.dataDir;
    try {
      const deadline = Date.now() + 60_000;
      while (((await summary(first).catch(() => undefined))?.counts?.tracks ?? 0) < 200) {
        if (Date.now() > deadline) throw new Error("the scan never got going");
        await sleep(50);
      }
      await first.stop("SIGKILL");
      const second = await startHearth({
        args: ["--config", bulkConfig, "--listen", "127.0.0.1", "--data", dataDir],
      });
      try {
        const s = await scanned(second);
        const { counts } = bulkManifest;
        // Broken .mp3 files are listed too, as tracks named after the file (MiniDLNA drops them).
        // On a mismatch the warnings of both runs say which files went missing and why.
        const problems = [...first.logs(), ...second.logs()].filter((l) => Number(l.level) >= 40);
        assert.deepEqual(
          { tracks: s.counts?.tracks, videos: s.counts?.videos, pictures: s.counts?.pictures },
          { tracks: counts.audio + counts.broken, videos: counts.video, pictures: counts.image },
          JSON.stringify({ summary: s, problems }, null, 1),
        );
      } finally {
        await second.stop();
        second.cleanup();
      }
    } finally {
      first.cleanup();
      execFileSync("rm", ["-rf", dataDir]);
    }
  });
});
