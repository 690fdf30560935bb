// Indexing, side by side: hearth, MiniDLNA and Gerbera (Debian packages) index the same generated
// corpus, one after the other in one run, on this machine. Per server: seconds to fully indexed,
// CPU seconds, peak RSS and bytes written (process tree, from /proc), then a restart on the
// unchanged library, then the time from a new file's copy finishing to the server listing it.
// Prints hearth's ratios to each peer. The peers run in network namespaces this script creates
// (they send SSDP multicast); hearth listens on loopback.
//
// Usage (root): npx tsx scripts/bench/media-index.ts [--files 2000,20000] [--peers minidlna,gerbera]
import { execFileSync } from "node:child_process";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeBulkCorpus } from "../../test/fixtures/media-corpus/index.js";
import { ensurePackages } from "./lib/ensure-packages.js";
import { gerberaPeer, hearthPeer, miniDlnaPeer, type MediaPeer } from "./lib/media-peers.js";
import { BenchNetns } from "./lib/netns.js";
import { ProcessMeter } from "./lib/process-meter.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "2000,20000" },
    peers: { type: "string", default: "minidlna,gerbera" },
  },
});
const root = new URL("../../", import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = 2 ** 20;

interface Row {
  server: string;
  files: number;
  items: number;
  indexSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  writtenMiB: number;
  restartSeconds: number;
  restartCpuSeconds: number;
  restartWrittenKiB: number;
  /** hearth: catalog batches its restart wrote (0 = none; the KiB are then LevelDB compacting). */
  restartCatalogBatches: number | "-";
  newFileSeconds: number;
}

async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function measure(peer: MediaPeer, corpus: string, files: number): Promise<Row> {
  try {
    return await measureRuns(peer, corpus, files);
  } finally {
    await peer.stop(); // also when a step failed: never leave a server running behind
  }
}

async function measureRuns(peer: MediaPeer, corpus: string, files: number): Promise<Row> {
  const t0 = Date.now();
  const pid = await peer.start();
  const meter = new ProcessMeter(pid);
  await until(() => peer.isScanDone(), 20 * 60_000, `${peer.name} to finish indexing`);
  const indexSeconds = ((peer.lastChangeAt?.() ?? Date.now()) - t0) / 1000;
  const cold = meter.stop();
  const items = await peer.itemCount();
  await peer.stop();

  const t1 = Date.now();
  const pid2 = await peer.start();
  const meter2 = new ProcessMeter(pid2);
  await until(() => peer.isScanDone(), 20 * 60_000, `${peer.name} to settle after a restart`);
  const restartSeconds = ((peer.lastChangeAt?.() ?? Date.now()) - t1) / 1000;
  const warm = meter2.stop();
  const restartCatalogBatches = (await peer.catalogBatches?.()) ?? "-";

  // A finished copy: written elsewhere, then renamed into the library in one step.
  const before = await peer.itemCount();
  const staged = join(corpus, "..", "incoming.mp3");
  execFileSync("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=523:duration=2",
    "-metadata",
    "title=Benchmark Arrival",
    "-c:a",
    "libmp3lame",
    staged,
  ]);
  const t2 = Date.now();
  renameSync(staged, join(corpus, "new-track-added-during-benchmark.mp3"));
  // Not listed within 2 minutes (no live watching): reported as NaN instead of ending the run.
  const newFileSeconds = await until(
    async () => (await peer.itemCount()) > before,
    120_000,
    `${peer.name} to list a new file`,
  ).then(
    () => (Date.now() - t2) / 1000,
    () => Number.NaN,
  );
  await peer.stop();
  rmSync(join(corpus, "new-track-added-during-benchmark.mp3"), { force: true });

  return {
    server: peer.name,
    files,
    items,
    indexSeconds: round(indexSeconds),
    cpuSeconds: round(cold.cpuSeconds),
    peakRssMiB: round(cold.peakRssBytes / MiB),
    writtenMiB: round(cold.writeBytes / MiB),
    restartSeconds: round(restartSeconds),
    restartCpuSeconds: round(warm.cpuSeconds),
    restartWrittenKiB: round(warm.writeBytes / 1024),
    restartCatalogBatches,
    newFileSeconds: round(newFileSeconds),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function ratios(h: Row, p: Row): string {
  const r = (a: number, b: number) => (b === 0 ? (a === 0 ? "1.00" : "∞") : (a / b).toFixed(2));
  return `hearth/${p.server} @${h.files}: index time ${r(h.indexSeconds, p.indexSeconds)}, cpu ${r(h.cpuSeconds, p.cpuSeconds)}, peak RSS ${r(h.peakRssMiB, p.peakRssMiB)}, written ${r(h.writtenMiB, p.writtenMiB)}, new file ${r(h.newFileSeconds, p.newFileSeconds)}`;
}

async function main(): Promise<void> {
  const peers = values.peers.split(",").filter(Boolean);
  ensurePackages([
    "iproute2",
    "sqlite3",
    ...peers.map((p) => (p === "minidlna" ? "minidlna" : "gerbera")),
  ]);
  execFileSync("bash", [join(root, "scripts/setup"), "run"], { stdio: "inherit" });
  const work = mkdtempSync(join(tmpdir(), "hearth-bench-index-"));
  const rows: Row[] = [];
  try {
    for (const files of values.files.split(",").map(Number)) {
      const corpus = join(work, `corpus-${files}`, "library");
      const manifest = await makeBulkCorpus(corpus, { files });
      // The corpus (280 MB at 20 000 files) is still being written back to disk for ~30 s: the
      // first server measured (hearth) would share the machine with that writeback.
      execFileSync("sync");
      console.log(`corpus: ${files} files, ${manifest.mediaItems} media items`);
      const state = (name: string) => join(work, `${name}-${files}`);
      const row = await measure(hearthPeer(root, corpus, state("hearth"), 18290), corpus, files);
      console.log(JSON.stringify(row));
      rows.push(row);
      for (const name of peers) {
        const netns = new BenchNetns(`hb${name.slice(0, 4)}`, name === "minidlna" ? 81 : 82);
        try {
          const peer =
            name === "minidlna"
              ? miniDlnaPeer(corpus, state(name), netns)
              : gerberaPeer(corpus, state(name), netns);
          const peerRow = await measure(peer, corpus, files);
          console.log(JSON.stringify(peerRow));
          rows.push(peerRow);
        } finally {
          netns.destroy();
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.table(rows);
  for (const h of rows.filter((r) => r.server === "hearth")) {
    for (const p of rows.filter((r) => r.server !== "hearth" && r.files === h.files))
      console.log(ratios(h, p));
  }
}

await main();
