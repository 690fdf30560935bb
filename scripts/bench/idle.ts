// Idle cost, side by side: hearth (embedded default, compiled dist/) against MiniDLNA, the peer the
// household would otherwise leave running 24/7 on the same box. Both start with an empty library,
// settle, then sit idle for the measured window. Prints CPU seconds per minute, RSS, disk writes,
// and hearth/peer ratios. MiniDLNA binds 0.0.0.0 and sends SSDP multicast, so it runs inside a
// network namespace this script creates (nothing leaves the machine); hearth listens on loopback.
//
// Usage: npx tsx scripts/bench/idle.ts [--seconds 60] [--settle 10]   (root; installs minidlna)
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sampleProc, type ProcSample } from "./lib/proc-sample.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    settle: { type: "string", default: "10" },
  },
});
const windowSeconds = Number(values.seconds);
const settleSeconds = Number(values.settle);
const root = new URL("../../", import.meta.url).pathname;
const netns = "hearth-bench-idle";
const work = mkdtempSync(join(tmpdir(), "hearth-bench-idle-"));
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

function ensurePackages(): void {
  const missing = ["minidlna", "iproute2"].filter((p) => {
    try {
      execFileSync("dpkg-query", ["-W", "-f=${Status}", p], { stdio: "pipe" });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit" });
}

function startHearth(): ChildProcess {
  execFileSync("bash", [join(root, "scripts/setup"), "run"], { stdio: "inherit" });
  return spawn(
    process.execPath,
    [join(root, "dist/services/main.js"), "start", "--listen", "127.0.0.1", "--port", "18281"],
    {
      env: { PATH: process.env.PATH, HOME: join(work, "home"), HEARTH_DATA: join(work, "hearth") },
      stdio: "ignore",
    },
  );
}

function startMiniDlna(): ChildProcess {
  execFileSync("ip", ["netns", "add", netns]);
  execFileSync("ip", ["-n", netns, "link", "set", "lo", "up"]);
  // Both veth ends inside the namespace: MiniDLNA gets a LAN-like interface, nothing can leave.
  execFileSync("ip", ["-n", netns, "link", "add", "bi0", "type", "veth", "peer", "name", "bi1"]);
  execFileSync("ip", ["-n", netns, "addr", "add", "10.233.78.1/24", "dev", "bi0"]);
  for (const dev of ["bi0", "bi1"]) execFileSync("ip", ["-n", netns, "link", "set", dev, "up"]);
  execFileSync("ip", ["-n", netns, "route", "add", "239.0.0.0/8", "dev", "bi0"]);
  const media = join(work, "media");
  const db = join(work, "minidlna");
  mkdirSync(media, { recursive: true });
  mkdirSync(db, { recursive: true });
  const conf = join(work, "minidlna.conf");
  writeFileSync(
    conf,
    [
      `media_dir=${media}`,
      `db_dir=${db}`,
      `log_dir=${db}`,
      "port=18200",
      "network_interface=bi0",
      "inotify=yes",
      "",
    ].join("\n"),
  );
  return spawn(
    "ip",
    ["netns", "exec", netns, "minidlnad", "-S", "-f", conf, "-P", join(db, "pid")],
    {
      stdio: "ignore",
    },
  );
}

function row(name: string, a: ProcSample, b: ProcSample): Record<string, number | string> {
  return {
    name,
    cpuSecondsPerMinute: Number((((b.cpuSeconds - a.cpuSeconds) * 60) / windowSeconds).toFixed(3)),
    rssMiB: Number((b.rssBytes / 2 ** 20).toFixed(1)),
    diskWriteBytes: b.writeBytes - a.writeBytes,
  };
}

const ratio = (x: number, y: number) =>
  y === 0 ? (x === 0 ? "1.00 (both 0)" : "∞") : (x / y).toFixed(2);

async function main(): Promise<void> {
  ensurePackages();
  const hearth = startHearth();
  const peer = startMiniDlna();
  try {
    await sleep(settleSeconds);
    const peerPid = Number(
      execFileSync("cat", [join(work, "minidlna", "pid")])
        .toString()
        .trim(),
    );
    const before = [sampleProc(hearth.pid ?? 0), sampleProc(peerPid)] as const;
    await sleep(windowSeconds);
    const after = [sampleProc(hearth.pid ?? 0), sampleProc(peerPid)] as const;
    const rows = [row("hearth", before[0], after[0]), row("minidlna", before[1], after[1])];
    console.log(`idle window ${windowSeconds} s after ${settleSeconds} s settle, empty library`);
    console.table(rows);
    const [h, m] = rows as [Record<string, number>, Record<string, number>];
    console.log(
      `ratio hearth/minidlna  cpu: ${ratio(h.cpuSecondsPerMinute!, m.cpuSecondsPerMinute!)}  rss: ${ratio(h.rssMiB!, m.rssMiB!)}  disk writes: ${ratio(h.diskWriteBytes!, m.diskWriteBytes!)}`,
    );
  } finally {
    hearth.kill("SIGTERM");
    peer.kill("SIGTERM");
    try {
      execFileSync("ip", ["netns", "pids", netns])
        .toString()
        .split("\n")
        .filter(Boolean)
        .forEach((p) => process.kill(Number(p), "SIGTERM"));
    } catch {
      // The namespace may already be empty.
    }
    await sleep(1);
    execFileSync("ip", ["netns", "del", netns], { stdio: "ignore" });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
