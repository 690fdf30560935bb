// The DLNA MediaServer, side by side: hearth, MiniDLNA and Gerbera (Debian packages) serve the
// same generated corpus (plus one 1 GiB video), one after the other, each inside its own network
// namespace this script creates (nothing they send leaves it; hearth listens on 0.0.0.0 there so
// its SSDP stays inside too). Per server: Browse load (wrk, c=8, RequestedCount 50 at random
// StartingIndex on the largest all-music container), Search latency, streaming throughput and CPU
// per GiB, byte ranges, a full paged tree walk and the RSS after it, idle CPU and writes, and the
// time from start to the first SSDP alive. Prints a table per corpus size, hearth's ratios to
// each peer and the goals of issue 5 (PASS/MISS; a benchmark never fails).
//
// Usage (root): npx tsx scripts/bench/media-server.ts [--files 2000,20000]
//   [--peers minidlna,gerbera] [--seconds 15] [--walk-cap 120] [--idle 30]
// Needs a built dist/ (npm run build).
import { spawn } from "node:child_process";
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeBulkCorpus, type BulkManifest } from "../../test/fixtures/media-corpus/index.js";
import { makeBigVideo } from "./lib/big-video.js";
import type { ServerName } from "./lib/dlna-targets.js";
import { ensurePackages } from "./lib/ensure-packages.js";
import { onInterrupt } from "./lib/interrupt.js";
import {
  printGoals,
  printRatios,
  printTable,
  type SizeResults,
} from "./lib/media-server-report.js";
import { BenchNetns } from "./lib/netns.js";
import type { MeasureSpec, ServerResult } from "./lib/server-measure.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "2000,20000" },
    peers: { type: "string", default: "minidlna,gerbera" },
    seconds: { type: "string", default: "15" },
    "walk-cap": { type: "string", default: "120" },
    idle: { type: "string", default: "30" },
  },
});
const root = new URL("../../", import.meta.url).pathname;
const runner = new URL("./lib/media-server-run.ts", import.meta.url).pathname;
const BIG_VIDEO_BYTES = 2 ** 30;
const HEARTH_PORT = 18300;
const NAMESPACES: Record<ServerName, [string, number]> = {
  hearth: ["hbmsh", 91],
  minidlna: ["hbmsm", 92],
  gerbera: ["hbmsg", 93],
};
const WORDS = ["Echo", "River", "Velvet", "Atlas", "Neon"];

function serverList(): ServerName[] {
  const peers = values.peers.split(",").filter(Boolean);
  for (const p of peers) {
    if (p !== "minidlna" && p !== "gerbera") throw new Error(`unknown peer ${p}`);
  }
  return ["hearth", ...(peers as ServerName[])];
}

/** How many tracks have each word in their title (what a correct Search finds). */
function searchWords(manifest: BulkManifest): MeasureSpec["searchWords"] {
  const titles = manifest.entries.filter((e) => e.kind === "audio").map((e) => e.title ?? "");
  return WORDS.map((word) => ({
    word,
    tracks: titles.filter((t) => t.toLowerCase().includes(word.toLowerCase())).length,
  }));
}

/** Runs lib/media-server-run.ts for one server inside a fresh namespace; removes it after. */
async function runServer(
  plan: Omit<MeasureSpec, "device">,
  resultPath: string,
): Promise<ServerResult> {
  const netns = new BenchNetns(plan.netns.name, plan.netns.subnet);
  const forget = onInterrupt(() => netns.destroy());
  try {
    const spec: MeasureSpec = { ...plan, device: netns.device };
    const node = [process.execPath, ...process.execArgv, runner, JSON.stringify(spec), resultPath];
    const [cmd, args] = netns.wrap(node[0] ?? "node", node.slice(1));
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    if (code !== 0) throw new Error(`${spec.server}: the run inside ${netns.name} exited ${code}`);
    return JSON.parse(readFileSync(resultPath, "utf8")) as ServerResult;
  } finally {
    netns.destroy(); // kills whatever still runs inside: never a server left behind
    forget();
  }
}

async function runSize(work: string, files: number, bigVideo: string): Promise<SizeResults> {
  const corpus = join(work, `corpus-${files}`, "library");
  const manifest = await makeBulkCorpus(corpus, { files });
  linkSync(bigVideo, join(corpus, "Videos", "Benchmark Big Video.mp4"));
  execFileSync("sync"); // the corpus's writeback must not land in the first server's figures
  console.error(`corpus: ${files} files, ${manifest.mediaItems} media items, + 1 GiB video`);
  const results: ServerResult[] = [];
  for (const server of serverList()) {
    const state = join(work, `${server}-${files}`);
    mkdirSync(state, { recursive: true });
    const [name, subnet] = NAMESPACES[server];
    const spec: Omit<MeasureSpec, "device"> = {
      server,
      root,
      corpus,
      state,
      netns: { name, subnet },
      hearthPort: HEARTH_PORT,
      hearthLog: join(state, "hearth.log"),
      seconds: Number(values.seconds),
      walkCapSeconds: Number(values["walk-cap"]),
      idleSeconds: Number(values.idle),
      bigVideo: { path: bigVideo, bytes: BIG_VIDEO_BYTES },
      searchWords: searchWords(manifest),
    };
    console.error(`${server} @${files} in netns ${name}`);
    // One server failing (a peer that will not start, a timeout) does not cost the others.
    await runServer(spec, join(state, "result.json")).then(
      (result) => results.push(result),
      (err: unknown) => console.log(`${server} @${files} FAILED: ${String(err)}`),
    );
  }
  return { files, mediaItems: manifest.mediaItems, results };
}

function printContext(): void {
  // A peer left out with --peers may not be installed: "-" instead of failing the run.
  const version = (p: string) => {
    try {
      return execFileSync("dpkg-query", ["-W", "-f=${Version}", p], { stdio: "pipe" }).toString();
    } catch {
      return "-";
    }
  };
  const dist = statSync(join(root, "dist/services/main.js")).mtime.toISOString();
  console.log(`hearth dist built ${dist}; node ${process.version}`);
  console.log(
    `minidlna ${version("minidlna")}, gerbera ${version("gerbera")}, wrk ${version("wrk")}`,
  );
  console.log(
    `loadavg ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(root, "dist/services/main.js"))) {
    throw new Error("no dist/: run `npm run build` first");
  }
  ensurePackages([
    "iproute2",
    "wrk",
    "tcpdump", // watches for the first SSDP alive
    "curl",
    "sqlite3",
    ...serverList().filter((s) => s !== "hearth"),
  ]);
  const work = mkdtempSync(join(tmpdir(), "hearth-bench-server-"));
  const forget = onInterrupt(() => rm(work, { recursive: true, force: true }));
  const sizes: SizeResults[] = [];
  try {
    const bigVideo = join(work, "big-video.mp4");
    await makeBigVideo(bigVideo, BIG_VIDEO_BYTES);
    printContext();
    for (const files of values.files.split(",").map(Number)) {
      const size = await runSize(work, files, bigVideo);
      sizes.push(size);
      printTable(size);
      printRatios(size);
      printGoals(size);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    forget();
  }
  console.log(
    `\nloadavg at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

await main();
