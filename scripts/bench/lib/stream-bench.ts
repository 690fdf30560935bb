import { execFile } from "node:child_process";
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { request } from "node:http";
import { promisify } from "node:util";
import { ProcessMeter } from "./process-meter.js";

const run = promisify(execFile);
const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** Streaming one big file with curl: throughput and the server's CPU per GiB sent. */
export interface StreamResult {
  /** Median of the measured runs. */
  mibPerSecond: number;
  /** Server process tree CPU (children reaped included) over all measured runs, per GiB. */
  cpuSecondsPerGiB: number;
  /**
   * Every CPU's busy time per GiB (server, curl, the kernel's softirq work, and anything else
   * running): loopback TCP receive work lands on the sender or on ksoftirqd depending on load,
   * so the per-process figure swings; this one does not miss it.
   */
  machineCpuSecondsPerGiB: number;
  runs: number;
  /** Problems seen (wrong status or size); empty when every transfer was whole. */
  problems: string[];
}

async function curlOnce(url: string): Promise<{ code: number; bytes: number; seconds: number }> {
  const { stdout } = await run("curl", [
    "-s",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code} %{size_download} %{time_total}",
    url,
  ]);
  const [code, bytes, seconds] = stdout.trim().split(" ").map(Number);
  return { code: code ?? 0, bytes: bytes ?? 0, seconds: seconds ?? 0 };
}

/**
 * One unmeasured transfer warms the page cache (and the server); then `runs` measured ones while
 * a ProcessMeter watches the server's process tree (MiniDLNA forks one child per transfer).
 */
export async function streamThroughput(
  url: string,
  serverPid: number,
  expectedBytes: number,
  runs = 5,
): Promise<StreamResult> {
  const problems: string[] = [];
  const check = (r: { code: number; bytes: number }) => {
    if (r.code !== 200 || r.bytes !== expectedBytes)
      problems.push(`HTTP ${r.code}, ${r.bytes} of ${expectedBytes} bytes`);
  };
  check(await curlOnce(url));
  const meter = new ProcessMeter(serverPid);
  const machine0 = machineBusySeconds();
  const speeds: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await curlOnce(url);
    check(r);
    bytes += r.bytes;
    speeds.push(r.seconds > 0 ? r.bytes / MiB / r.seconds : 0);
  }
  await new Promise((r) => setTimeout(r, 300)); // let a forked sender exit and be reaped
  const cpu = meter.stop().cpuSeconds;
  const machine = machineBusySeconds() - machine0;
  speeds.sort((a, b) => a - b);
  return {
    mibPerSecond: speeds[Math.floor(speeds.length / 2)] ?? 0,
    cpuSecondsPerGiB: bytes > 0 ? cpu / (bytes / GiB) : Number.NaN,
    machineCpuSecondsPerGiB: bytes > 0 ? machine / (bytes / GiB) : Number.NaN,
    runs,
    problems,
  };
}

/** Busy seconds of all CPUs since boot (/proc/stat: everything but idle and iowait). */
function machineBusySeconds(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const ticks = cpu.trim().split(/\s+/).slice(1, 9).map(Number);
  const [idle, iowait] = [ticks[3] ?? 0, ticks[4] ?? 0];
  return (ticks.reduce((a, b) => a + b, 0) - idle - iowait) / 100; // USER_HZ
}

interface RangeAnswer {
  status: number;
  contentRange: string;
  body: Buffer;
}

function getRange(url: string, range: string): Promise<RangeAnswer> {
  return new Promise((resolve, reject) => {
    // No keep-alive: libupnp (Gerbera) closes every connection, a reused one would hang up.
    const req = request(url, { headers: { range }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentRange: String(res.headers["content-range"] ?? ""),
          body: Buffer.concat(chunks),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error("range request timed out")));
    req.end();
  });
}

function fileBytes(path: string, start: number, length: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, start);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/**
 * Byte ranges on the big file: a middle range, a suffix range and one past the end, each
 * against RFC 9110 (206 + Content-Range + the right bytes; 416 past the end). "ok" or what failed.
 */
export async function rangeCheck(url: string, path: string): Promise<string> {
  const size = statSync(path).size;
  const cases = [
    { range: "bytes=100-199", start: 100, length: 100 },
    { range: "bytes=-64", start: size - 64, length: 64 },
    { range: `bytes=${size - 10}-`, start: size - 10, length: 10 },
  ];
  const failures: string[] = [];
  for (const c of cases) {
    const a = await getRange(url, c.range).catch((e: Error) => e);
    if (a instanceof Error) failures.push(`${c.range}: ${a.message}`);
    else {
      const cr = `bytes ${c.start}-${c.start + c.length - 1}/${size}`;
      const same = a.body.equals(fileBytes(path, c.start, c.length));
      if (a.status !== 206 || a.contentRange !== cr || !same)
        failures.push(`${c.range}: ${a.status} "${a.contentRange}"${same ? "" : " wrong bytes"}`);
    }
  }
  const past = await getRange(url, `bytes=${size}-`).catch((e: Error) => e);
  const pastStatus = past instanceof Error ? past.message : past.status;
  if (pastStatus !== 416) failures.push(`bytes=${size}-: ${pastStatus} (want 416)`);
  return failures.length === 0 ? "ok" : failures.join("; ");
}
