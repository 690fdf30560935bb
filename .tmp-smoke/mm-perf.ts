import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseFile } from "music-metadata";
import { readAudio } from "../media/metadata/read-audio.js";
import { probeFile } from "../media/metadata/probe-file.js";
const root = process.argv[2]!;
const files: string[] = [];
const walk = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { if (e.isDirectory()) walk(join(d, e.name)); else if (e.name.endsWith(".mp3") && !d.includes("Broken")) files.push(join(d, e.name)); } };
walk(root);
const sample = files.slice(0, 1000);
for (const [name, fn] of [
  ["parseFile skipCovers", (f: string) => parseFile(f, { skipCovers: true })],
  ["parseFile covers", (f: string) => parseFile(f, { skipCovers: false })],
  ["readAudio", (f: string) => readAudio(f, "mp3", "audio/mpeg")],
  ["probeFile", (f: string) => probeFile(f, { mediaClass: "audio", mime: "audio/mpeg" })],
] as const) {
  const c0 = process.cpuUsage(); const t = performance.now();
  for (const f of sample) await fn(f);
  const c = process.cpuUsage(c0);
  console.log(name, ((performance.now() - t) / sample.length).toFixed(2), "ms/file wall", ((c.user + c.system) / 1000 / sample.length).toFixed(2), "ms/file cpu");
}
