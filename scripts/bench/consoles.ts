// Usage (root): npx tsx scripts/bench/consoles.ts [--rounds 500] [--flood-mb 10] [--paced-kb 115]
//   [--idle-seconds 20] [--settle-seconds 30] [--only ser2net|hearth] [--build] [--keep]
//
// Serial consoles, side by side in one run: hearth's console service against ser2net 4 (with
// `chardelay: false` and with its default), each serving the same socat pty pair, behind which
// the same fake board runs (test/fixtures/serial/). Path: raw TCP client (this process) ⇄
// manager ⇄ pty ⇄ socat ⇄ pty ⇄ fake board. One manager at a time (hearth holds the port open
// and locked; ser2net opens it per connection), each through the same phases, each phase with a
// fresh board and client:
//   echo    board --echo-only; 1-byte round trips (letters), 50 unmeasured, then --rounds
//   flood   board shell; `flood N` unpaced (the pty runs at CPU speed): MB/s, manager CPU s/MB
//   115200  board --baud 115200; `flood N` paced like a real 8N1 line: CPU s/MB (many small reads)
//   idle    same board and client, nothing typed: CPU, disk write_bytes over --idle-seconds, RSS
// Manager CPU and writes come from /proc (utime+stime, write_bytes; the manager's stdout goes
// through this process, so its log lines are not counted as its writes). Then hearth ÷ ser2net
// and the goals of issue 8. Until hearth's console service answers on its TCP port, the hearth
// half prints why and the rest still runs. A benchmark reports numbers; it never fails on them.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type FakeBoardOptions, startFakeBoard } from "../../test/fixtures/serial/fake-board.js";
import { type PtyPair, startPtyPair } from "../../test/fixtures/serial/pty-pair.js";
import { freePort } from "../../test/support/hearth-process.js";
import { staleBuildWarning, startHearthConsole } from "./consoles/hearth-manager.js";
import { echoRoundTrips, flood, idle, quantile } from "./consoles/measure.js";
import { RawClient } from "./consoles/raw-client.js";
import { type ManagerResult, printRatiosAndGoals, printResults } from "./consoles/report.js";
import {
  MANAGER_LABELS,
  type ManagerKey,
  type RunningManager,
} from "./consoles/running-manager.js";
import { ser2netVersion, startSer2net } from "./consoles/ser2net-manager.js";
import { ensurePackages } from "./lib/ensure-packages.js";
import { onInterrupt } from "./lib/interrupt.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "500" },
    "flood-mb": { type: "string", default: "10" },
    "paced-kb": { type: "string", default: "115" },
    "idle-seconds": { type: "string", default: "20" },
    "settle-seconds": { type: "string", default: "30" },
    only: { type: "string" },
    build: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const ROUNDS = Math.max(1, Number(values.rounds));
const FLOOD_BYTES = Math.round(Number(values["flood-mb"]) * 1e6);
const PACED_BYTES = Math.round(Number(values["paced-kb"]) * 1e3);
const IDLE_SECONDS = Number(values["idle-seconds"]);
const SETTLE_SECONDS = Number(values["settle-seconds"]);
/** A 115200 8N1 line: 10 bits per byte. */
const LINE_BYTES_PER_SECOND = 11_520;
const ROOT = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "hearth-bench-consoles-"));

/** Everything running that a clean-up must stop, newest last. */
const running = new Set<{ stop(): Promise<void> }>();
async function cleanUp(): Promise<void> {
  for (const r of [...running].reverse()) await r.stop();
  running.clear();
  if (values.keep) console.log(`kept ${work} (configs, logs, the hearth data dir)`);
  else rmSync(work, { recursive: true, force: true });
}
const unregister = onInterrupt(cleanUp);

function managerKeys(): ManagerKey[] {
  const all: ManagerKey[] = ["ser2net-nodelay", "ser2net", "hearth"];
  if (values.only === undefined) return all;
  if (values.only === "hearth") return ["hearth"];
  if (values.only === "ser2net") return ["ser2net-nodelay", "ser2net"];
  throw new Error(`--only takes ser2net or hearth, got ${values.only}`);
}

async function startManager(
  key: ManagerKey,
  pair: PtyPair,
): Promise<RunningManager | { unavailable: string }> {
  const dir = join(work, key);
  mkdirSync(dir);
  const tcpPort = await freePort();
  if (key !== "hearth") {
    return startSer2net({ dir, hostPath: pair.hostPath, tcpPort, chardelay: key === "ser2net" });
  }
  const started = await startHearthConsole({
    dir,
    hostPath: pair.hostPath,
    tcpPort,
    httpPort: await freePort(),
  });
  return (
    started.manager ?? { unavailable: `console service not available (${started.unavailable})` }
  );
}

/** Runs one phase with a fresh board and client; a failure is recorded, never thrown. */
async function phase(
  result: ManagerResult,
  name: string,
  manager: RunningManager,
  board: FakeBoardOptions,
  run: (client: RawClient) => Promise<string>,
): Promise<void> {
  const fake = await startFakeBoard(board);
  running.add(fake);
  let client: RawClient | undefined;
  try {
    client = await RawClient.connect(manager.tcpPort);
    console.log(`  ${MANAGER_LABELS[manager.key].padEnd(24)} ${name}: ${await run(client)}`);
  } catch (err) {
    const dead = manager.isRunning() ? "" : ` (${manager.key} exited; log ${manager.logPath})`;
    result.failures.push(`${name} failed: ${(err as Error).message}${dead}`);
    console.log(`  ${MANAGER_LABELS[manager.key].padEnd(24)} ${name}: FAILED`);
  } finally {
    client?.close();
    running.delete(fake);
    await fake.stop();
  }
}

async function measure(key: ManagerKey, pair: PtyPair): Promise<ManagerResult> {
  const result: ManagerResult = { key, failures: [] };
  const manager = await startManager(key, pair);
  if (!("pid" in manager)) {
    console.log(`  ${key}: ${manager.unavailable}`);
    return { ...result, unavailable: manager.unavailable };
  }
  running.add(manager);
  const { boardPath } = pair;
  try {
    await phase(result, "echo", manager, { boardPath, echoOnly: true }, async (client) => {
      result.echo = await echoRoundTrips(client, ROUNDS);
      const us = (q: number) => Math.round(quantile(result.echo?.samplesUs ?? [], q));
      return `median ${us(0.5)} µs, p99 ${us(0.99)} µs over ${ROUNDS} round trips`;
    });
    await phase(result, "flood", manager, { boardPath }, async (client) => {
      result.flood = await flood(client, manager.pid, FLOOD_BYTES, 100_000);
      const f = result.flood;
      return `${(f.bytes / 1e6 / f.seconds).toFixed(2)} MB/s, ${f.cpuSeconds.toFixed(2)} s CPU`;
    });
    const paced = { boardPath, baud: 115_200 };
    await phase(result, "115200 + idle", manager, paced, async (client) => {
      result.paced = await flood(client, manager.pid, PACED_BYTES, LINE_BYTES_PER_SECOND);
      result.idle = await idle(client, manager.pid, IDLE_SECONDS, SETTLE_SECONDS);
      const p = result.paced;
      return (
        `${Math.round(p.bytes / p.seconds)} B/s, ${p.cpuSeconds.toFixed(2)} s CPU; idle ` +
        `${Math.round(result.idle.cpuSeconds * 1000)} ms CPU, ${result.idle.writeBytes} B written`
      );
    });
  } finally {
    running.delete(manager);
    await manager.stop();
  }
  return result;
}

async function main(): Promise<void> {
  ensurePackages(["socat", "ser2net"]);
  const keys = managerKeys();
  if (keys.includes("hearth")) {
    if (values.build) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
    const warning = staleBuildWarning();
    if (warning) console.log(`warning: ${warning}`);
  }
  const socat = execFileSync("socat", ["-V"], { encoding: "utf8" }).split("\n")[1] ?? "";
  console.log(
    `node ${process.version}, ${ser2netVersion()}, ${socat.trim()}; ${cpus().length} cores, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  console.log(
    `${ROUNDS} round trips, flood ${FLOOD_BYTES / 1e6} MB unpaced and ${PACED_BYTES / 1e3} kB ` +
      `at 115200 baud, idle ${IDLE_SECONDS} s; compare only within one run`,
  );
  const pair = await startPtyPair({ dir: join(work, "pty") });
  running.add({ stop: () => pair.close() });
  const results: ManagerResult[] = [];
  for (const key of keys) results.push(await measure(key, pair));
  printResults(results);
  printRatiosAndGoals(results);
}

try {
  await main();
} finally {
  await cleanUp();
  unregister();
}
