import type { ServerResult } from "./server-measure.js";

/** The results of one corpus size. */
export interface SizeResults {
  files: number;
  mediaItems: number;
  results: ServerResult[];
}

type Cell = string | number;
const f = (n: number | null | undefined, digits = 1): string =>
  n === null || n === undefined || Number.isNaN(n) ? "n/a" : n.toFixed(digits);

/** One metric: its label and how to read it off a server's result. */
const METRICS: ReadonlyArray<[string, (r: ServerResult) => Cell]> = [
  ["files listed (server's own count)", (r) => r.items],
  ["time to indexed, s", (r) => f(r.indexSeconds)],
  ["quiet after indexing, s (thumbnails…)", (r) => f(r.settleSeconds, 0)],
  ["Browse container (children)", (r) => `${r.browseContainer.id} (${r.browseContainer.total})`],
  ["Browse req/s (c=8)", (r) => f(r.browse.requestsPerSecond)],
  ["Browse p50 / p99 ms", (r) => browseLatency(r)],
  ["Browse non-2xx / short pages", (r) => `${r.browse.non2xx} / ${r.browse.wrongCount}`],
  ["Browse socket errors", (r) => r.browse.socketErrors],
  ["Search p50 ms (50 sequential)", (r) => f(r.search?.p50Ms, 2)],
  [
    "Search TotalMatches wrong",
    (r) => (r.search ? r.search.mismatches.join(", ") || "none" : "n/a"),
  ],
  ["stream 1 GiB MiB/s (warm)", (r) => f(r.stream?.mibPerSecond, 0)],
  ["stream server CPU s/GiB", (r) => f(r.stream?.cpuSecondsPerGiB, 2)],
  ["stream machine CPU s/GiB (all CPUs)", (r) => f(r.stream?.machineCpuSecondsPerGiB, 2)],
  ["ranges (mid, suffix, tail, 416)", (r) => r.stream?.range ?? "n/a"],
  ["tree walk entries", (r) => `${r.walk.entries}${r.walk.capped ? " (capped)" : ""}`],
  ["tree walk s / requests", (r) => `${f(r.walk.seconds)} / ${r.walk.requests}`],
  ["tree walk ms per request", (r) => f(r.walk.serverMs / r.walk.requests, 2)],
  ["tree walk failed pages", (r) => r.walk.failures],
  ["RSS when up (first SSDP alive), MiB", (r) => f(r.rssAtAliveMiB)],
  ["RSS after walk, MiB", (r) => f(r.rssAfterWalkMiB)],
  ["RSS after walk − when up, MiB", (r) => f(growth(r))],
  ["RssAnon after walk, MiB", (r) => f(r.rssAnonAfterWalkMiB)],
  ["RSS after idle, MiB", (r) => f(r.idle.rssMiB)],
  ["idle CPU ms", (r) => f(r.idle.cpuSeconds * 1000, 0)],
  ["idle disk writes, bytes", (r) => r.idle.writeBytes],
  ["start → SSDP alive, s", (r) => f(r.ssdpAliveSeconds, 2)],
];

/** What the library and a full walk added to the server's own footprint. */
function growth(r: ServerResult): number | null {
  return r.rssAtAliveMiB === null ? null : r.rssAfterWalkMiB - r.rssAtAliveMiB;
}

function browseLatency(r: ServerResult): string {
  if (r.browse.requests === 0) return "n/a (no answer)";
  return `${f(r.browse.p50Ms, 2)} / ${f(r.browse.p99Ms, 2)}`;
}

/** The side-by-side table of one corpus size, one column per server. */
export function printTable(size: SizeResults): void {
  console.log(`\n## ${size.files} files (${size.mediaItems} media items + 1 GiB video)`);
  const table: Record<string, Record<string, Cell>> = {};
  for (const [label, read] of METRICS) {
    table[label] = Object.fromEntries(size.results.map((r) => [r.server, read(r)]));
  }
  console.table(table);
  for (const r of size.results) {
    for (const note of r.notes) console.log(`note ${r.server}: ${note}`);
    for (const line of r.logLines) console.log(`${r.server} log: ${line}`);
  }
}

/** hearth's ratio to each peer for the metrics where a ratio means something. */
export function printRatios(size: SizeResults): void {
  const h = size.results.find((r) => r.server === "hearth");
  if (h === undefined) return;
  const ratio = (a: number | undefined | null, b: number | undefined | null) =>
    a == null || b == null || Number.isNaN(a) || Number.isNaN(b) || b === 0
      ? "n/a"
      : `${(a / b).toFixed(2)}×`;
  for (const p of size.results.filter((r) => r.server !== "hearth")) {
    const answered = (r: ServerResult) => (r.browse.requests > 0 ? r.browse : undefined);
    console.log(
      `hearth/${p.server} @${size.files}: ` +
        [
          `Browse req/s ${ratio(h.browse.requestsPerSecond, p.browse.requestsPerSecond)}`,
          `p50 ${ratio(answered(h)?.p50Ms, answered(p)?.p50Ms)}`,
          `p99 ${ratio(answered(h)?.p99Ms, answered(p)?.p99Ms)}`,
          `Search p50 ${ratio(h.search?.p50Ms, p.search?.p50Ms)}`,
          `stream MiB/s ${ratio(h.stream?.mibPerSecond, p.stream?.mibPerSecond)}`,
          `CPU/GiB ${ratio(h.stream?.cpuSecondsPerGiB, p.stream?.cpuSecondsPerGiB)}`,
          `walk entries/s ${ratio(h.walk.entries / h.walk.seconds, p.walk.entries / p.walk.seconds)}`,
          `RSS ${ratio(h.rssAfterWalkMiB, p.rssAfterWalkMiB)}`,
        ].join(", "),
    );
  }
}

type Verdict = "PASS" | "MISS" | "n/a";
const verdict = (ok: boolean | undefined): Verdict =>
  ok === undefined ? "n/a" : ok ? "PASS" : "MISS";

/** Streaming counts as loopback line rate at ≥ 80 % of the fastest peer (sendfile-class). */
const LINE_RATE_SHARE = 0.8;

/** The goals of issue 5 for this corpus size: 2k goals below 10 000 files, 20k goals above. */
export function printGoals(size: SizeResults): void {
  const h = size.results.find((r) => r.server === "hearth");
  if (h === undefined) return;
  const mini = size.results.find((r) => r.server === "minidlna");
  const peers = size.results.filter((r) => r.server !== "hearth");
  const big = size.files >= 10_000;
  const fastestPeer = Math.max(...peers.map((p) => p.stream?.mibPerSecond ?? 0));
  const hs = h.stream;
  const goals: Array<[string, boolean | undefined, string]> = [
    big
      ? ["Browse ≥ 1 000 req/s", h.browse.requestsPerSecond >= 1000, f(h.browse.requestsPerSecond)]
      : [
          "Browse ≥ 1.5× MiniDLNA",
          mini && h.browse.requestsPerSecond >= 1.5 * mini.browse.requestsPerSecond,
          `${f(h.browse.requestsPerSecond)} vs ${f(mini?.browse.requestsPerSecond)}`,
        ],
    ["Browse p99 < 20 ms", h.browse.requests > 0 && h.browse.p99Ms < 20, f(h.browse.p99Ms, 2)],
    [
      `stream ≥ ${LINE_RATE_SHARE * 100} % of the fastest peer`,
      hs && fastestPeer > 0 ? hs.mibPerSecond >= LINE_RATE_SHARE * fastestPeer : undefined,
      `${f(hs?.mibPerSecond, 0)} vs ${f(fastestPeer, 0)} MiB/s`,
    ],
    [
      "stream CPU/GiB ≤ 1.5× MiniDLNA",
      hs && mini?.stream ? hs.cpuSecondsPerGiB <= 1.5 * mini.stream.cpuSecondsPerGiB : undefined,
      `${f(hs?.cpuSecondsPerGiB, 2)} vs ${f(mini?.stream?.cpuSecondsPerGiB, 2)}`,
    ],
    ...(big
      ? [
          ["RSS ≤ 80 MiB", h.rssAfterWalkMiB <= 80, f(h.rssAfterWalkMiB)] as [
            string,
            boolean,
            string,
          ],
        ]
      : []),
    [
      "idle: 0 writes, CPU ≤ 10 ms",
      h.idle.writeBytes === 0 && h.idle.cpuSeconds <= 0.01,
      `${h.idle.writeBytes} B, ${f(h.idle.cpuSeconds * 1000, 0)} ms in ${h.idle.seconds} s`,
    ],
    [
      "SSDP alive ≤ 1.5 s",
      h.ssdpAliveSeconds === null ? undefined : h.ssdpAliveSeconds <= 1.5,
      f(h.ssdpAliveSeconds, 2),
    ],
  ];
  console.log(`goals @${size.files}:`);
  for (const [goal, ok, value] of goals) console.log(`  ${verdict(ok)}  ${goal}: ${value}`);
}
