// Idle cost, side by side: hearth (embedded default, compiled dist/) against MiniDLNA, the peer the
// household would otherwise leave running 24/7 on the same box. Both start with an empty library,
// settle (V8 runs its start-up garbage collections in the first half minute), then sit idle for
// the measured window. Prints CPU seconds per minute, RSS, disk writes and hearth/peer ratios.
// MiniDLNA binds 0.0.0.0 and sends SSDP multicast, so it runs inside a network namespace this
// script creates (nothing leaves the machine); hearth listens on loopback.
//
// Usage (root): npx tsx scripts/bench/idle.ts [--seconds 60] [--settle 45]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensurePackages } from "./lib/ensure-packages.js";
import { BenchNetns } from "./lib/netns.js";
import { sampleProc, type ProcSample } from "./lib/proc-sample.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    settle: { type: "string", default: "45" },
  },
});
const windowSeconds = Number(values.seconds);
const settleSeconds = Number(values.settle);
const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "hearth-bench-idle-"));
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

function startHearth(): ChildProcess {
  execFileSync("bash", [join(root, "scripts/setup"), "run"], { stdio: "inherit" });
  const main = join(root, "dist/services/main.js");
  return spawn(process.execPath, [main, "start", "--listen", "127.0.0.1", "--port", "18281"], {
    env: { PATH: process.env.PATH, HOME: join(work, "home"), HEARTH_DATA: join(work, "hearth") },
    stdio: "ignore",
  });
}

function startMiniDlna(netns: BenchNetns): ChildProcess {
  const media = join(work, "media");
  const db = join(work, "minidlna");
  mkdirSync(media, { recursive: true });
  mkdirSync(db, { recursive: true });
  const conf = join(work, "minidlna.conf");
  const lines = [`media_dir=${media}`, `db_dir=${db}`, `log_dir=${db}`, "port=18200"];
  writeFileSync(
    conf,
    [...lines, `network_interface=${netns.device}`, "inotify=yes", ""].join("\n"),
  );
  const [cmd, args] = netns.wrap("minidlnad", ["-S", "-f", conf, "-P", join(db, "pid")]);
  return spawn(cmd, args, { stdio: "ignore" });
}

function row(name: string, a: ProcSample, b: ProcSample) {
  return {
    name,
    cpuSecondsPerMinute: Number((((b.cpuSeconds - a.cpuSeconds) * 60) / windowSeconds).toFixed(3)),
    rssMiB: Number((b.rssBytes / 2 ** 20).toFixed(1)),
    diskWriteBytes: b.writeBytes - a.writeBytes,
  };
}

const ratio = (x: number, y: number) =>
  y === 0 ? (x === 0 ? "1.00 (both 0)" : `∞ (peer 0, hearth ${x})`) : (x / y).toFixed(2);

async function main(): Promise<void> {
  ensurePackages(["minidlna", "iproute2"]);
  const netns = new BenchNetns("hbidle", 78);
  const hearth = startHearth();
  const peer = startMiniDlna(netns);
  try {
    await sleep(settleSeconds);
    const peerPid = Number(readFileSync(join(work, "minidlna", "pid"), "utf8").trim());
    const before = [sampleProc(hearth.pid ?? 0), sampleProc(peerPid)] as const;
    await sleep(windowSeconds);
    const after = [sampleProc(hearth.pid ?? 0), sampleProc(peerPid)] as const;
    const h = row("hearth", before[0], after[0]);
    const m = row("minidlna", before[1], after[1]);
    console.log(`idle window ${windowSeconds} s after ${settleSeconds} s settle, empty library`);
    console.table([h, m]);
    console.log(
      `ratio hearth/minidlna  cpu: ${ratio(h.cpuSecondsPerMinute, m.cpuSecondsPerMinute)}` +
        `  rss: ${ratio(h.rssMiB, m.rssMiB)}  disk writes: ${ratio(h.diskWriteBytes, m.diskWriteBytes)}`,
    );
  } finally {
    hearth.kill("SIGTERM");
    peer.kill("SIGTERM");
    await sleep(1);
    netns.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
