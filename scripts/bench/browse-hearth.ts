// hearth alone under the Browse load of scripts/bench/media-server.ts (wrk, c=8, 50 at random
// StartingIndex on 1$4), on loopback and without a network namespace: a quick loop for working on
// Browse speed, with an optional V8 CPU profile. The side-by-side figures come from media-server.ts.
//
// Usage (root): npx tsx scripts/bench/browse-hearth.ts [--files 2000] [--seconds 10] [--prof DIR]
//   [--keep DIR]   (a kept dir keeps its corpus and index between runs)
//   [--node-flags="--trace-gc --max-semi-space-size=8"]   (added after hearth's own NODE_FLAGS)
//   [--dist DIR]   (another build to run, e.g. a copy of dist/ from before a change; default dist/)
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { controlRequest } from "../../services/control/control-client.js";
import { NODE_FLAGS } from "../../services/node-flags.js";
import { makeBulkCorpus } from "../../test/fixtures/media-corpus/index.js";
import { ensurePackages } from "./lib/ensure-packages.js";
import { browseLoad } from "./lib/wrk-browse.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "2000" },
    seconds: { type: "string", default: "10" },
    prof: { type: "string" },
    keep: { type: "string" },
    "node-flags": { type: "string", default: "" },
    dist: { type: "string" },
  },
});
const root = new URL("../../", import.meta.url).pathname;
const work = values.keep ?? mkdtempSync(join(tmpdir(), "hearth-browse-"));
const PORT = 18310;

async function main(): Promise<void> {
  ensurePackages(["wrk", "ffmpeg"]);
  const corpus = join(work, `corpus-${values.files}`);
  if (!existsSync(corpus)) await makeBulkCorpus(corpus, { files: Number(values.files) });
  const data = join(work, `data-${values.files}`);
  mkdirSync(data, { recursive: true });
  const config = join(work, "hearth.yaml");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(config, `media:\n  roots:\n    - { path: "${corpus}", kind: music }\n`);
  const profile = values.prof ? ["--cpu-prof", `--cpu-prof-dir=${values.prof}`] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...NODE_FLAGS,
      // Later V8 flags win: `--node-flags "--max-semi-space-size=8"` tries another heap setting.
      ...values["node-flags"].split(" ").filter(Boolean),
      ...profile,
      join(values.dist ?? join(root, "dist"), "services/main.js"),
      "start",
      "-c",
      config,
      "-d",
      data,
      "--listen",
      "127.0.0.1",
      "--port",
      String(PORT),
    ],
    { env: { PATH: process.env.PATH, HOME: work }, stdio: "inherit" },
  );
  try {
    const started = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const answer = await controlRequest(
        [join(data, "hearth.sock")],
        "GET",
        "/api/media/summary",
      ).catch(() => undefined);
      if (answer === undefined) continue;
      // Until the media service has started, the answer is an error without roots.
      const s = JSON.parse(answer.body) as {
        progress?: { phase: string };
        roots?: Array<{ lastScanAt: string | null }>;
      };
      const last = s.roots?.[0]?.lastScanAt;
      if (last && Date.parse(last) >= started - 1000 && s.progress?.phase !== "scanning") break;
    }
    const { total, pageBytes } = await musicTotal();
    console.log(`indexed; 1$4 has ${total} children; a page of 50 is ${pageBytes} bytes`);
    await browseLoad({
      controlUrl: controlUrl(),
      objectId: "1$4",
      total,
      seconds: 2,
      scriptDir: work,
    }); // warm
    const load = await browseLoad({
      controlUrl: controlUrl(),
      objectId: "1$4",
      total,
      seconds: Number(values.seconds),
      scriptDir: work,
    });
    console.log(
      `Browse 1$4: ${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms, non-2xx ${load.non2xx}, wrong ${load.wrongCount}, errors ${load.socketErrors}`,
    );
    const rss = (await import("node:fs"))
      .readFileSync(`/proc/${child.pid}/status`, "utf8")
      .match(/VmRSS:\s+(\d+)/)?.[1];
    console.log(`RSS ${(Number(rss) / 1024).toFixed(1)} MiB`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
}

function controlUrl(): string {
  return `http://127.0.0.1:${PORT}/media/upnp/control/cds`;
}

async function musicTotal(): Promise<{ total: number; pageBytes: number }> {
  const { browseBody } = await import("./lib/upnp-client.js");
  const answer = await fetch(controlUrl(), {
    method: "POST",
    headers: {
      "content-type": 'text/xml; charset="utf-8"',
      soapaction: '"urn:schemas-upnp-org:service:ContentDirectory:1#Browse"',
    },
    body: browseBody("1$4", 0, 50),
  });
  const text = await answer.text();
  return {
    total: Number(/<TotalMatches>(\d+)<\/TotalMatches>/.exec(text)?.[1] ?? 0),
    pageBytes: Buffer.byteLength(text),
  };
}

await main();
