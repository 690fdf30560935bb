import type { LoadResult } from "./sipp-load.js";
import type { TreeMemory } from "./tree-memory.js";

export type ServerName = "hearth" | "kamailio";

/** One server at one rate: sipp's counts and the server's CPU over the run. */
export interface RateRow {
  rate: number;
  server: ServerName;
  load: LoadResult;
  cpuSeconds: number;
  /** Highest summed PSS sampled during the run. */
  peakPssBytes: number;
  /** Why the server died during this run (its log's last words); undefined when it lived. */
  crashed: string | undefined;
}

/** Memory of each server, idle and with the bindings, plus hearth without its phone service. */
export interface MemoryFigures {
  hearthWithoutPbx: TreeMemory;
  idle: Record<ServerName, TreeMemory>;
  loaded: Record<ServerName, TreeMemory>;
  /** hearth died during the load; `loaded.hearth` is a restart with its bindings restored. */
  hearthRestarted: boolean;
  /** Live contacts after the load, from hearth's own status (kamailio's are not counted). */
  hearthRegistered: number | undefined;
  users: number;
}

const MIB = 2 ** 20;
const mib = (bytes: number) => Number((bytes / MIB).toFixed(1));
const CPU_GOAL = 3;
const MEMORY_GOAL_BYTES = 30e6;
const FAILURE_GOAL_RATE = 1000;

/** CPU µs per completed registration (all the server's CPU over the run, over the successes). */
export function cpuPerRegistrationUs(row: RateRow): number {
  return row.load.successful === 0 ? NaN : (row.cpuSeconds * 1e6) / row.load.successful;
}

export function printRates(rows: readonly RateRow[], seconds: number): void {
  console.log(`\nsustained REGISTER → 401 → REGISTER → 200, ${seconds} s per rate and server`);
  console.table(
    rows.map((r) => ({
      "offered REG/s": r.rate,
      server: r.server,
      "completed/s": Number((r.load.successful / r.load.wallSeconds).toFixed(1)),
      completed: r.load.successful,
      failed: r.load.failed,
      retransmissions: r.load.retransmissions,
      "mean ms": Number(r.load.meanCallMs.toFixed(1)),
      "server CPU %": Number(((100 * r.cpuSeconds) / r.load.wallSeconds).toFixed(1)),
      "CPU µs/reg": Math.round(cpuPerRegistrationUs(r)),
      "peak PSS MiB": mib(r.peakPssBytes),
      note: r.crashed ? "DIED during this run" : "",
    })),
  );
}

export function printMemory(m: MemoryFigures): void {
  const row = (name: string, t: TreeMemory, note = "") => ({
    "": name,
    "PSS MiB": mib(t.pssBytes),
    "RSS MiB (summed)": mib(t.rssBytes),
    processes: t.processes,
    note,
  });
  const registered =
    m.hearthRegistered === undefined ? "count unavailable" : `${m.hearthRegistered} live`;
  console.log(`\nmemory (smaps_rollup, summed over each server's processes)`);
  console.table([
    row("hearth without pbx, idle", m.hearthWithoutPbx, "no pbx section"),
    row("hearth idle", m.idle.hearth, `${m.users} extensions, 0 bindings`),
    row(
      m.hearthRestarted ? "hearth restarted (died)" : "hearth after load",
      m.loaded.hearth,
      `${m.users} bindings (${registered}${m.hearthRestarted ? ", restored from catalog" : ""})`,
    ),
    row("kamailio idle", m.idle.kamailio, "0 bindings"),
    row("kamailio after load", m.loaded.kamailio, `${m.users} bindings`),
  ]);
  const growth = m.loaded.hearth.pssBytes - m.idle.hearth.pssBytes;
  console.log(
    `hearth PSS growth idle → ${m.users} bindings: ${mib(growth)} MiB; ` +
      `pbx part (with bindings − hearth without pbx): PSS ${mib(pbxPartBytes(m, "pssBytes"))} MiB, ` +
      `RSS ${mib(pbxPartBytes(m, "rssBytes"))} MiB`,
  );
}

/** hearth with the bindings minus hearth without pbx. */
function pbxPartBytes(m: MemoryFigures, key: "pssBytes" | "rssBytes"): number {
  return m.loaded.hearth[key] - m.hearthWithoutPbx[key];
}

/** hearth's ratios to kamailio per rate and the goals of issue 7 (PASS/MISS; never fails). */
export function printRatiosAndGoals(rows: readonly RateRow[], m: MemoryFigures): void {
  const rates = [...new Set(rows.map((r) => r.rate))];
  const pick = (rate: number, server: ServerName) =>
    rows.find((r) => r.rate === rate && r.server === server);
  const ratios: number[] = [];
  console.log("\nhearth / kamailio");
  for (const rate of rates) {
    const h = pick(rate, "hearth");
    const k = pick(rate, "kamailio");
    if (!h || !k) continue;
    const cpu = cpuPerRegistrationUs(h) / cpuPerRegistrationUs(k);
    if (Number.isFinite(cpu)) ratios.push(cpu);
    const completed =
      h.load.successful / h.load.wallSeconds / (k.load.successful / k.load.wallSeconds);
    console.log(
      `  ${String(rate).padStart(5)} REG/s  CPU per registration ${cpu.toFixed(2)}×` +
        `  completed/s ${completed.toFixed(2)}×  failures ${h.load.failed} vs ${k.load.failed}` +
        (h.crashed ? "  (hearth died)" : ""),
    );
  }
  const pss = m.loaded.hearth.pssBytes / m.loaded.kamailio.pssBytes;
  console.log(`  PSS with ${m.users} bindings ${pss.toFixed(2)}×`);

  const worst = Math.max(...ratios);
  const hearthRows = rows.filter((r) => r.server === "hearth" && r.rate <= FAILURE_GOAL_RATE);
  const failures = hearthRows.reduce((sum, r) => sum + r.load.failed, 0);
  const died = hearthRows.find((r) => r.crashed);
  const pbxRss = pbxPartBytes(m, "rssBytes");
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  console.log("\ngoals (issue 7)");
  console.log(
    `  ${verdict(worst <= CPU_GOAL)}  CPU per registration ≤ ${CPU_GOAL}× kamailio's: worst ${worst.toFixed(2)}×` +
      ` (over the rates hearth survived)`,
  );
  console.log(
    `  ${verdict(failures === 0 && !died)}  0 failed registrations up to ${FAILURE_GOAL_RATE} REG/s: ` +
      `${failures}${died ? `; hearth died at ${died.rate} REG/s: ${died.crashed}` : ""}`,
  );
  console.log(
    `  ${verdict(pbxRss <= MEMORY_GOAL_BYTES)}  pbx adds ≤ 30 MB RSS: ${(pbxRss / 1e6).toFixed(1)} MB ` +
      `(hearth with the bindings − hearth without pbx)`,
  );
}
