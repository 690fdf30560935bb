import type { EchoFigures, FloodFigures, IdleFigures } from "./measure.js";
import { quantile } from "./measure.js";
import { MANAGER_LABELS, type ManagerKey } from "./running-manager.js";

/** Everything measured for one manager; a phase that failed has its reason in `failures`. */
export interface ManagerResult {
  key: ManagerKey;
  echo?: EchoFigures;
  flood?: FloodFigures;
  paced?: FloodFigures;
  idle?: IdleFigures;
  failures: string[];
  /** Set when the manager could not be measured at all (hearth without its console service). */
  unavailable?: string;
}

const ECHO_GOAL = 1.2;
const CPU_GOAL = 2;
const MB = 1e6;
const round = (x: number, digits: number) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);
const cpuPerMb = (f: FloodFigures | undefined) => (f ? f.cpuSeconds / (f.bytes / MB) : NaN);
const rttUs = (e: EchoFigures | undefined, q: number) => (e ? quantile(e.samplesUs, q) : NaN);

export function printResults(results: readonly ManagerResult[]): void {
  console.log("\nper manager (CPU from /proc utime+stime at 10 ms resolution; disk = write_bytes)");
  console.table(
    results
      .filter((r) => r.unavailable === undefined)
      .map((r) => ({
        manager: MANAGER_LABELS[r.key],
        "RTT median µs": Math.round(rttUs(r.echo, 0.5)),
        "RTT p90 µs": Math.round(rttUs(r.echo, 0.9)),
        "RTT p99 µs": Math.round(rttUs(r.echo, 0.99)),
        "flood MB/s": round(r.flood ? r.flood.bytes / MB / r.flood.seconds : NaN, 2),
        "flood CPU s/MB": round(cpuPerMb(r.flood), 3),
        "flood disk B/MB": Math.round(r.flood ? r.flood.writeBytes / (r.flood.bytes / MB) : NaN),
        "115200 B/s": Math.round(r.paced ? r.paced.bytes / r.paced.seconds : NaN),
        "115200 CPU s/MB": round(cpuPerMb(r.paced), 3),
        "idle CPU ms/min": round(r.idle ? (r.idle.cpuSeconds * 60_000) / r.idle.seconds : NaN, 1),
        "idle disk B": r.idle?.writeBytes ?? NaN,
        "RSS MiB": round(r.idle ? r.idle.rssBytes / 2 ** 20 : NaN, 1),
      })),
  );
  for (const r of results) {
    if (r.unavailable !== undefined) console.log(`${r.key}: ${r.unavailable}`);
    for (const failure of r.failures) console.log(`${MANAGER_LABELS[r.key]}: ${failure}`);
    if (r.echo && r.echo.wrongBytes > 0) {
      console.log(`${MANAGER_LABELS[r.key]}: ${r.echo.wrongBytes} echoes came back wrong`);
    }
    if (r.idle && r.idle.clientBytes > 0) {
      console.log(`${MANAGER_LABELS[r.key]}: the client got ${r.idle.clientBytes} B while idle`);
    }
  }
}

/** hearth ÷ each ser2net, then the goals of the issue (PASS/MISS/n/a; a bench never fails). */
export function printRatiosAndGoals(results: readonly ManagerResult[]): void {
  const pick = (key: ManagerKey) => results.find((r) => r.key === key && !r.unavailable);
  const hearth = pick("hearth");
  const nodelay = pick("ser2net-nodelay");
  const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "n/a");
  if (hearth) {
    for (const peer of [nodelay, pick("ser2net")]) {
      if (!peer) continue;
      console.log(`\nhearth ÷ ${MANAGER_LABELS[peer.key]}`);
      console.log(
        `  echo RTT median ${fmt(rttUs(hearth.echo, 0.5) / rttUs(peer.echo, 0.5))}` +
          `  p99 ${fmt(rttUs(hearth.echo, 0.99) / rttUs(peer.echo, 0.99))}` +
          `  flood MB/s ${fmt(throughput(hearth.flood) / throughput(peer.flood))}` +
          `  CPU/MB unpaced ${fmt(cpuPerMb(hearth.flood) / cpuPerMb(peer.flood))}` +
          `  CPU/MB at 115200 ${fmt(cpuPerMb(hearth.paced) / cpuPerMb(peer.paced))}` +
          `  RSS ${fmt((hearth.idle?.rssBytes ?? NaN) / (peer.idle?.rssBytes ?? NaN))}`,
      );
    }
  }
  const verdict = (x: number, ok: boolean) => (!Number.isFinite(x) ? "n/a " : ok ? "PASS" : "MISS");
  const echoRatio = rttUs(hearth?.echo, 0.5) / rttUs(nodelay?.echo, 0.5);
  const cpuRatio = Math.max(
    cpuPerMb(hearth?.flood) / cpuPerMb(nodelay?.flood),
    cpuPerMb(hearth?.paced) / cpuPerMb(nodelay?.paced),
  );
  const idleCpu = hearth?.idle?.cpuSeconds ?? NaN;
  const idleWrites = hearth?.idle?.writeBytes ?? NaN;
  console.log("\ngoals (issue 8)");
  console.log(
    `  ${verdict(echoRatio, echoRatio <= ECHO_GOAL)}  echo round trip within ${ECHO_GOAL}× ser2net with chardelay: false: ${fmt(echoRatio)} (median)`,
  );
  console.log(
    `  ${verdict(cpuRatio, cpuRatio <= CPU_GOAL)}  CPU per MB ≤ ${CPU_GOAL}× ser2net (chardelay: false): worst of unpaced and 115200 ${fmt(cpuRatio)}`,
  );
  const isIdle = idleCpu === 0 && idleWrites === 0;
  console.log(
    `  ${verdict(idleCpu + idleWrites, isIdle)}  zero CPU and zero writes when idle: ` +
      (hearth?.idle
        ? `${Math.round(idleCpu * 1000)} ms CPU, ${idleWrites} B written in ${hearth.idle.seconds} s`
        : "n/a"),
  );
  if (!hearth) console.log("  (no hearth figures: see above)");
}

function throughput(f: FloodFigures | undefined): number {
  return f ? f.bytes / f.seconds : NaN;
}
