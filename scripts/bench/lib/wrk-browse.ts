import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { browseBody } from "./upnp-client.js";

const run = promisify(execFile);

/** What wrk measured for paged Browse requests on one container. */
export interface BrowseLoad {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
  /** 2xx answers without `<NumberReturned>{count}</NumberReturned>`. */
  wrongCount: number;
  /** Connect/read/write errors and timeouts (libupnp closes every connection: read errors). */
  socketErrors: number;
}

export interface BrowseLoadOptions {
  controlUrl: string;
  objectId: string;
  /** The container's TotalMatches: StartingIndex is drawn from [0, total - count]. */
  total: number;
  seconds: number;
  connections?: number;
  threads?: number;
  count?: number;
  /** Where the Lua script is written (a run's own temporary folder). */
  scriptDir: string;
}

/**
 * Lua for wrk: a Browse of `count` at a random StartingIndex per request, and per-thread
 * tallies of answers that are not 200 or not a full page, reported by `done` as one JSON line.
 */
function browseScript(o: Required<BrowseLoadOptions>): string {
  const marker = "@@START@@";
  const [pre, post] = browseBody(o.objectId, 0, o.count)
    .replace("<StartingIndex>0</StartingIndex>", `<StartingIndex>${marker}</StartingIndex>`)
    .split(marker);
  const lua = (s: string | undefined) => JSON.stringify(s ?? ""); // ASCII only: a valid Lua literal
  const full = lua(`<NumberReturned>${o.count}</NumberReturned>`);
  return `
wrk.method = "POST"
wrk.headers["Content-Type"] = 'text/xml; charset="utf-8"'
wrk.headers["SOAPAction"] = '"urn:schemas-upnp-org:service:ContentDirectory:1#Browse"'
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  math.randomseed(os.time() * 100 + tid)
  non2xx = 0
  wrong = 0
end
function request()
  local start = math.random(0, ${Math.max(0, o.total - o.count)})
  return wrk.format(nil, nil, nil, ${lua(pre)} .. start .. ${lua(post)})
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  elseif not string.find(body, ${full}, 1, true) then
    wrong = wrong + 1
  end
end
function done(summary, latency, requests)
  local n, w = 0, 0
  for _, t in ipairs(threads) do
    n = n + t:get("non2xx")
    w = w + t:get("wrong")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"micros":%d,"p50":%d,"p99":%d,"non2xx":%d,"wrong":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), n, w,
    e.connect + e.read + e.write + e.timeout))
end
`;
}

/** Runs wrk against `controlUrl` (which must be reachable from this process's namespace). */
export async function browseLoad(options: BrowseLoadOptions): Promise<BrowseLoad> {
  const o = { connections: 8, threads: 2, count: 50, ...options };
  const dir = mkdtempSync(join(o.scriptDir, "wrk-"));
  try {
    const script = join(dir, "browse.lua");
    writeFileSync(script, browseScript(o));
    const args = [`-t${o.threads}`, `-c${o.connections}`, `-d${o.seconds}s`, "--timeout", "30s"];
    const { stdout } = await run("wrk", [...args, "-s", script, o.controlUrl], {
      timeout: (o.seconds + 60) * 1000,
    });
    const line = stdout.split("\n").find((l) => l.startsWith("BENCH "));
    if (line === undefined) throw new Error(`wrk printed no result:\n${stdout}`);
    const r = JSON.parse(line.slice(6)) as Record<string, number>;
    const n = (k: string) => r[k] ?? 0;
    return {
      requests: n("requests"),
      requestsPerSecond: n("requests") / (n("micros") / 1e6),
      p50Ms: n("p50") / 1000,
      p99Ms: n("p99") / 1000,
      non2xx: n("non2xx"),
      wrongCount: n("wrong"),
      socketErrors: n("errors"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
