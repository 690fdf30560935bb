import { readdirSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { MetadataPool } from "../media/metadata/metadata-pool.js";
const root = process.argv[2]!;
const jobs: Array<[string, string, string[]]> = [];
const walk = (rel: string) => {
  const names = readdirSync(join(root, rel), { withFileTypes: true });
  const files = names.filter((d) => d.isFile()).map((d) => d.name);
  for (const d of names) if (d.isDirectory()) walk(rel ? `${rel}/${d.name}` : d.name);
  for (const f of files) jobs.push([join(root, rel, f), rel ? `${rel}/${f}` : f, files]);
};
walk("");
const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
const pool = new MetadataPool();
const t = performance.now(); const cpu0 = process.cpuUsage();
let errors = 0, nulls = 0, inflight = 0; let peakRss = 0;
const limit = 64; let i = 0;
await new Promise<void>((done) => {
  const next = () => {
    while (inflight < limit && i < jobs.length) {
      const [abs, rel, sib] = jobs[i++]!; inflight++;
      pool.extract(abs, { rootId: 0, relPath: rel, sizeBytes: 1, mtimeMs: 0 }, sib).then((r) => {
        if (r === null) nulls++; else if (r.metadataError) errors++;
        inflight--; peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (i >= jobs.length && inflight === 0) done(); else next();
      });
    }
  };
  next();
});
h.disable();
const cpu = process.cpuUsage(cpu0);
console.log({ files: jobs.length, s: ((performance.now() - t) / 1000).toFixed(1), mainCpuS: ((cpu.user + cpu.system) / 1e6).toFixed(1), nulls, errors, loopDelayMaxMs: (h.max / 1e6).toFixed(1), loopDelayP99Ms: (h.percentile(99) / 1e6).toFixed(1), peakRssMb: (peakRss / 2 ** 20).toFixed(0), stats: pool.stats() });
await pool.close();
