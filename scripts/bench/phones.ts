// Usage (root): npx tsx scripts/bench/phones.ts [--rates 100,250,500,1000] [--seconds 15]
//   [--children 4] [--settle 10] [--keep]
//
// SIP registrations, side by side in one run: hearth's registrar against kamailio (Debian 5.6, a
// minimal registrar with digest auth over db_text and usrloc in memory, phones/kamailio.cfg).
// sipp (sip-tester) sends sustained authenticated registrations (REGISTER → 401 → REGISTER with
// digest → 200) at each rate for --seconds, each call the next of 1 000 extensions (1000..1999,
// each with its own password) from an injection file, so every registration is another phone.
// Each call has a fresh Call-ID (sipp keys its calls by Call-ID): to a registrar it is a phone
// registering anew after a restart, not a refresh, which is the burst a power cut brings.
// After the idle memory is taken, an unmeasured warm-up registers every phone once on each server.
// Both servers run on 127.0.0.1 from the start; only one is loaded at a time, and the order
// flips from rate to rate so drift on the shared machine hits both alike.
// Per rate and server: completed/s, failed calls, retransmissions, mean registration time (sipp
// counts whole ms), server CPU (utime+stime from /proc, kamailio summed over its processes), CPU
// µs per registration and the peak PSS during the run. A server that dies is reported and left
// out of the later rates. Memory: PSS/RSS from smaps_rollup idle and with the 1 000 bindings
// after the load (once the transactions it left have ended), and hearth without a pbx section,
// so the pbx part's cost shows. Then hearth's ratios to kamailio and the
// goals of issue 7. A benchmark reports numbers; it never fails on them.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freeSipPort } from "../../test/fixtures/sip/sipp.js";
import { ensurePackages } from "./lib/ensure-packages.js";
import { onInterrupt } from "./lib/interrupt.js";
import { waitQuiet } from "./lib/settle.js";
import { makeUsers, writeInjectionFile } from "./phones/bench-users.js";
import { hearthRegistered, startHearth } from "./phones/hearth-registrar.js";
import { startKamailio } from "./phones/kamailio-registrar.js";
import {
  type MemoryFigures,
  printMemory,
  printRates,
  printRatiosAndGoals,
  type RateRow,
} from "./phones/report.js";
import { logTail, type RunningRegistrar } from "./phones/running-registrar.js";
import { registerLoad } from "./phones/sipp-load.js";
import { peakPss, treeCpuSeconds, treeMemory } from "./phones/tree-memory.js";

const { values } = parseArgs({
  options: {
    rates: { type: "string", default: "100,250,500,1000" },
    seconds: { type: "string", default: "15" },
    children: { type: "string", default: "4" },
    settle: { type: "string", default: "10" },
    keep: { type: "boolean", default: false },
  },
});
const RATES = values.rates.split(",").map(Number);
const SECONDS = Number(values.seconds);
const SETTLE_SECONDS = Number(values.settle);
const REALM = "bench.test";
const USERS = makeUsers(1000, 1000);
/** What the phones ask for: the longest both registrars grant by default, so nothing expires. */
const EXPIRES_SEC = 3600;
/** Timer J and a margin: how long a UDP non-INVITE server transaction outlives its answer. */
const TRANSACTION_LINGER_SEC = 40;
/** 5 s of it before the measured rates register all 1 000 phones once. */
const WARM_UP_RATE = 200;
const root = new URL("../../", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "hearth-bench-phones-"));
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

const servers: RunningRegistrar[] = [];
async function cleanUp(): Promise<void> {
  for (const s of servers.splice(0).reverse()) await s.stop();
  if (values.keep) console.log(`kept ${work} (configs, logs, sipp statistics)`);
  else rmSync(work, { recursive: true, force: true });
}
const unregister = onInterrupt(cleanUp);

/** Builds dist/ when a source file is newer than every compiled one (others may be editing). */
function ensureBuilt(): void {
  const newest = (dir: string, ext: string): number => {
    let latest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith(ext) || entry.name.endsWith(".test.ts")) continue;
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
    return latest;
  };
  const dist = join(root, "dist");
  const sources = ["services", "pbx", "storage", "media"].map((d) => newest(join(root, d), ".ts"));
  if (existsSync(join(dist, "services/main.js")) && newest(dist, ".js") >= Math.max(...sources)) {
    return;
  }
  console.log("dist/ is older than the sources: npm run build");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
}

const taken = new Set<number>();
/** A free port on 127.0.0.1 (TCP and UDP), never one handed out before in this run. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await freeSipPort();
    if (taken.has(port)) continue;
    taken.add(port);
    return port;
  }
}

/** Memory of hearth with no phone service, idle: the baseline the pbx part adds to. */
async function hearthWithoutPbx(): Promise<MemoryFigures["hearthWithoutPbx"]> {
  const dir = join(work, "hearth-nopbx");
  mkdirSync(dir);
  const hearth = await startHearth({ dir, httpPort: await freePort() });
  servers.push(hearth);
  try {
    await waitQuiet(hearth.pid, { quietSeconds: SETTLE_SECONDS, maxSeconds: 120 });
    return treeMemory(hearth.pid);
  } finally {
    servers.splice(servers.indexOf(hearth), 1);
    await hearth.stop();
  }
}

function loadSpec(inf: string, localPort: number) {
  return { seconds: SECONDS, injectionFile: inf, dir: work, expiresSec: EXPIRES_SEC, localPort };
}

async function loadOne(
  server: RunningRegistrar,
  rate: number,
  spec: ReturnType<typeof loadSpec>,
): Promise<RateRow> {
  const before = treeCpuSeconds(server.pid);
  const pss = peakPss(server.pid);
  const load = await registerLoad({ ...spec, port: server.port, rate });
  const peakPssBytes = pss.stop();
  const crashed = server.isRunning() ? undefined : lastWords(server.logPath);
  // A dead process's CPU time is gone from /proc: unknown, not zero.
  const cpuSeconds = crashed ? NaN : treeCpuSeconds(server.pid) - before;
  const row: RateRow = { rate, server: server.name, load, cpuSeconds, peakPssBytes, crashed };
  console.log(
    `  ${server.name.padEnd(8)} ${String(rate).padStart(5)} REG/s: ${load.successful}/${load.offered} ok, ` +
      `${load.failed} failed, ${load.retransmissions} retransmissions, CPU ${cpuSeconds.toFixed(2)} s` +
      (crashed ? `; ${server.name} DIED: ${crashed}` : ""),
  );
  return row;
}

/** The line of a dead server's log that says why (V8's FATAL ERROR, or the last line). */
function lastWords(logPath: string): string {
  const lines = logTail(logPath, 60).split("\n");
  return (lines.find((l) => /FATAL|out of memory|Error:/i.test(l)) ?? lines.at(-1) ?? "").trim();
}

async function main(): Promise<void> {
  ensurePackages(["sip-tester", "kamailio"]);
  ensureBuilt();
  console.log(
    `node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; ${USERS.length} extensions; kamailio children=${values.children}`,
  );
  const inf = join(work, "users.csv");
  writeInjectionFile(inf, USERS);

  const baseline = await hearthWithoutPbx();
  const hearthDir = join(work, "hearth");
  const kamailioDir = join(work, "kamailio");
  mkdirSync(hearthDir);
  mkdirSync(kamailioDir);
  const hearthOptions = {
    dir: hearthDir,
    httpPort: await freePort(),
    pbx: { port: await freePort(), realm: REALM, users: USERS },
  };
  let hearth = await startHearth(hearthOptions);
  servers.push(hearth);
  const kamailio = await startKamailio({
    dir: kamailioDir,
    port: await freePort(),
    realm: REALM,
    users: USERS,
    children: Number(values.children),
  });
  servers.push(kamailio);

  const settled = async (s: RunningRegistrar) => {
    await waitQuiet(s.pid, { quietSeconds: SETTLE_SECONDS, maxSeconds: 120 });
    return treeMemory(s.pid);
  };
  const idle = { hearth: await settled(hearth), kamailio: await settled(kamailio) };

  // Unmeasured: every extension registers once (hearth's first binding of each is a catalog
  // write anyway) and V8 compiles the hot paths before the first measured rate.
  const spec = loadSpec(inf, await freePort());
  for (const server of [kamailio, hearth]) {
    await registerLoad({ ...spec, port: server.port, rate: WARM_UP_RATE, seconds: 5 });
  }
  const rows: RateRow[] = [];
  for (const [i, rate] of RATES.entries()) {
    const order = i % 2 === 0 ? [kamailio, hearth] : [hearth, kamailio];
    for (const server of order.filter((s) => s.isRunning())) {
      rows.push(await loadOne(server, rate, spec));
      await sleep(2);
    }
  }
  // hearth's `sip` transaction layer keeps each answered non-INVITE transaction for Timer J
  // (64·T1 = 32 s, RFC 3261 §17.2.2); memory "with 1 000 bindings" is taken after they are gone.
  console.log(`waiting ${TRANSACTION_LINGER_SEC} s for transactions to end, then for quiet`);
  await sleep(TRANSACTION_LINGER_SEC);
  let hearthRestarted = false;
  if (!hearth.isRunning()) {
    // Its bindings are in the catalog: a restart restores them, so the memory with 1 000
    // bindings can still be measured (without the garbage of the load).
    console.log("hearth died during the load: restarting it on its data to measure its bindings");
    servers.splice(servers.indexOf(hearth), 1);
    hearth = await startHearth(hearthOptions);
    servers.push(hearth);
    hearthRestarted = true;
  }
  const loaded = { hearth: await settled(hearth), kamailio: await settled(kamailio) };
  const memory: MemoryFigures = {
    hearthWithoutPbx: baseline,
    idle,
    loaded,
    hearthRegistered: hearthRegistered(hearthDir),
    hearthRestarted,
    users: USERS.length,
  };
  printRates(rows, SECONDS);
  printMemory(memory);
  printRatiosAndGoals(rows, memory);
}

try {
  await main();
} finally {
  await cleanUp();
  unregister();
}
