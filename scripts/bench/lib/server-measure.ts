import { existsSync, readFileSync } from "node:fs";
import {
  findContainer,
  type DlnaTarget,
  type ServerName,
  type TargetOptions,
} from "./dlna-targets.js";
import { ProcessMeter } from "./process-meter.js";
import { treeMemory, treeRss, waitQuiet } from "./settle.js";
import { watchSsdpAlive } from "./ssdp-watch.js";
import { rangeCheck, streamThroughput, type StreamResult } from "./stream-bench.js";
import { walkTree, type TreeWalk } from "./tree-walk.js";
import { CdsClient } from "./upnp-client.js";
import { browseLoad, type BrowseLoad } from "./wrk-browse.js";

/** What one run of one server is asked to do (passed as JSON into its network namespace). */
export interface MeasureSpec extends Omit<TargetOptions, "netns"> {
  server: ServerName;
  netns: { name: string; subnet: number };
  /** The namespace's LAN device, where SSDP is captured. */
  device: string;
  seconds: number;
  walkCapSeconds: number;
  idleSeconds: number;
  bigVideo: { path: string; bytes: number };
  /** Words for the Search and how many tracks have each in their title. */
  searchWords: ReadonlyArray<{ word: string; tracks: number }>;
}

export interface SearchResult {
  p50Ms: number;
  requests: number;
  /** Words whose TotalMatches differed from the corpus: "Echo 120/124". */
  mismatches: string[];
}

/** Everything measured on one server. */
export interface ServerResult {
  server: ServerName;
  items: number;
  indexSeconds: number;
  settleSeconds: number;
  ssdpAliveSeconds: number | null;
  browseContainer: { id: string; title: string; total: number };
  browse: BrowseLoad;
  search: SearchResult | null;
  stream: (StreamResult & { range: string }) | null;
  walk: TreeWalk;
  /** RSS when the server was first heard (its first SSDP alive): its footprint before the library. */
  rssAtAliveMiB: number | null;
  rssAfterWalkMiB: number;
  /** The anonymous part of it (no mapped executable and library pages). */
  rssAnonAfterWalkMiB: number;
  /** The idle window, and the RSS at its end (garbage collected by then). */
  idle: { seconds: number; cpuSeconds: number; writeBytes: number; rssMiB: number };
  /** Errors and warnings from the server's own log (hearth only). */
  logLines: string[];
  notes: string[];
}

const MiB = 2 ** 20;
const say = (server: string, what: string) =>
  console.error(`  [${new Date().toISOString().slice(11, 19)}] ${server}: ${what}`);

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts the server with the SSDP capture already running; waits for its scan and settle. */
async function startAndIndex(
  t: DlnaTarget,
  spec: MeasureSpec,
  device: string,
  onStarted: (pid: number) => void,
) {
  const watch = await watchSsdpAlive(device, 10_000);
  const t0 = Date.now();
  const pid = await t.peer.start();
  onStarted(pid);
  const alive = watch.first.then((a) => (a === undefined ? null : (a.at - t0) / 1000));
  const rssAtAlive = watch.first.then((a) => (a === undefined ? null : treeRss(pid) / MiB));
  await until(() => t.peer.isScanDone(), 30 * 60_000, `${spec.server} to finish indexing`);
  const indexSeconds = ((t.peer.lastChangeAt?.() ?? Date.now()) - t0) / 1000;
  say(spec.server, `indexed in ${indexSeconds.toFixed(1)} s; settling`);
  const settle = await waitQuiet(pid, { maxSeconds: 900 });
  // Counted once settled: Gerbera holds its database locked while it still writes.
  const items = await t.peer.itemCount();
  return {
    pid,
    indexSeconds,
    items,
    settle,
    ssdpAliveSeconds: await alive,
    rssAtAliveMiB: await rssAtAlive,
  };
}

async function measureSearch(client: CdsClient, spec: MeasureSpec): Promise<SearchResult> {
  const latencies: number[] = [];
  const mismatches = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const { word, tracks } = spec.searchWords[i % spec.searchWords.length] ?? {};
    const criteria = `upnp:class derivedfrom "object.item.audioItem" and dc:title contains "${word}"`;
    const page = await client.search("0", criteria, 0, 50);
    latencies.push(page.ms);
    if (page.status !== 200 || page.totalMatches !== tracks)
      mismatches.add(`${word} ${page.status === 200 ? page.totalMatches : page.status}/${tracks}`);
  }
  latencies.sort((a, b) => a - b);
  return { p50Ms: latencies[25] ?? Number.NaN, requests: 50, mismatches: [...mismatches] };
}

async function measureStream(client: CdsClient, t: DlnaTarget, spec: MeasureSpec, pid: number) {
  const videos = await findContainer(client, t.allVideo);
  const entries = await client.children(videos.id);
  const big =
    entries.find((e) => e.res?.size === spec.bigVideo.bytes) ??
    entries.find((e) => /big video/i.test(e.title));
  if (big?.res === undefined) throw new Error(`the 1 GiB video is not listed in ${videos.id}`);
  const url = big.res.url;
  const stream = await streamThroughput(url, pid, spec.bigVideo.bytes);
  return { ...stream, range: await rangeCheck(url, spec.bigVideo.path) };
}

async function measureIdle(pid: number, seconds: number) {
  const meter = new ProcessMeter(pid, 1000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const r = meter.stop();
  return {
    seconds,
    cpuSeconds: r.cpuSeconds,
    writeBytes: r.writeBytes,
    rssMiB: treeRss(pid) / MiB,
  };
}

/** hearth's log lines at warn or worse, shortened, each message once. */
function logProblems(path: string): string[] {
  if (!existsSync(path)) return [];
  const seen = new Map<string, number>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const level = /"level":"(\w+)"/.exec(line)?.[1];
    if (level !== "warn" && level !== "error" && level !== "fatal") continue;
    // The first-run admin password notice is not a problem, and its password stays out of reports.
    const msg = (/"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 160)).replace(
      / is [\w-]+ — .*$/,
      " is … (redacted)",
    );
    seen.set(`${level}: ${msg}`, (seen.get(`${level}: ${msg}`) ?? 0) + 1);
  }
  return [...seen].map(([m, n]) => (n > 1 ? `${m} (×${n})` : m));
}

/** Browse load on the largest all-music container. */
async function measureBrowse(client: CdsClient, t: DlnaTarget, spec: MeasureSpec) {
  const container = await findContainer(client, t.allMusic);
  const what = `Browse ${container.id} "${container.title}" (${container.total})`;
  say(spec.server, `${what} for ${spec.seconds} s`);
  const browse = await browseLoad({
    controlUrl: client.controlUrl,
    objectId: container.id,
    total: container.total,
    seconds: spec.seconds,
    scriptDir: spec.state,
  });
  return { container, browse };
}

/** The paged tree walk, the RSS right after it, then idle once settled. */
async function measureWalkAndIdle(client: CdsClient, spec: MeasureSpec, pid: number) {
  say(spec.server, `tree walk (cap ${spec.walkCapSeconds} s)`);
  const walk = await walkTree(client, spec.walkCapSeconds);
  const memory = treeMemory(pid);
  const rssAfterWalkMiB = memory.rssBytes / MiB;
  const rssAnonAfterWalkMiB = memory.rssAnonBytes / MiB;
  say(spec.server, `idle ${spec.idleSeconds} s after settling`);
  // V8's memory reducer runs up to three full collections, ~8 s apart, after the last request:
  // wait them all out. One fits under the default 2 % allowance (a 2k run's idle window then
  // caught the next one: 60 ms on the main thread and 50 ms on each of V8's four helpers), so the
  // quiet window here must be free of any collection.
  await waitQuiet(pid, { quietSeconds: 15, maxSeconds: 300, share: 0.002 });
  return {
    walk,
    rssAfterWalkMiB,
    rssAnonAfterWalkMiB,
    idle: await measureIdle(pid, spec.idleSeconds),
  };
}

/**
 * The whole sequence on one server: start (SSDP capture first), index, settle, Browse load,
 * Search, streaming, tree walk, RSS, idle. `onStarted` learns the server's pid at once (for
 * clean-up on interrupt); the caller stops the server.
 */
export async function measureServer(
  spec: MeasureSpec,
  target: DlnaTarget,
  onStarted: (pid: number) => void = () => undefined,
): Promise<ServerResult> {
  const notes: string[] = [];
  const started = await startAndIndex(target, spec, spec.device, onStarted);
  if (!started.settle.settled) notes.push(`still busy after ${started.settle.seconds} s`);
  const client = await CdsClient.fromDescription(target.descriptionUrl);
  try {
    return await measureWithClient(client, spec, target, started, notes);
  } finally {
    client.close();
  }
}

async function measureWithClient(
  client: CdsClient,
  spec: MeasureSpec,
  target: DlnaTarget,
  started: Awaited<ReturnType<typeof startAndIndex>>,
  notes: string[],
): Promise<ServerResult> {
  const { pid } = started;
  const { container, browse } = await measureBrowse(client, target, spec);
  say(spec.server, "Search, then streaming");
  const search = target.hasSearch ? await measureSearch(client, spec) : null;
  const stream = await measureStream(client, target, spec, pid).catch((e: Error) => {
    notes.push(`streaming: ${e.message}`);
    return null;
  });
  return {
    server: spec.server,
    items: started.items,
    indexSeconds: started.indexSeconds,
    settleSeconds: started.settle.seconds,
    ssdpAliveSeconds: started.ssdpAliveSeconds,
    rssAtAliveMiB: started.rssAtAliveMiB,
    browseContainer: container,
    browse,
    search,
    stream,
    ...(await measureWalkAndIdle(client, spec, pid)),
    logLines: spec.server === "hearth" ? logProblems(spec.hearthLog) : [],
    notes,
  };
}
