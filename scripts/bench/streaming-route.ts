// Streaming benchmark: hearth's real HTTP server and
// streaming routes serve one big file to curl; prints MiB/s and server CPU seconds per GiB.
// Usage: npx tsx scripts/bench/streaming-route.ts <file> [runs]   (warm the page cache first)
import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import pino from "pino";
import { streamingRoutes } from "../../media/streaming/index.js";
import { ThumbnailMaker } from "../../media/thumbnails/thumbnail-maker.js";
import { LibraryFixture, video } from "../../test/media/library/library-fixture.js";
import { mediaHttp } from "../../test/media/support/media-http.js";

const [file = "", runs = "5"] = process.argv.slice(2);
const sizeBytes = (await stat(file)).size;
const fixture = new LibraryFixture({ rootTitles: ["Bench"] });
const library = await fixture.open();
await library.apply({ upserts: [video(basename(file), { sizeBytes })] });
let id = "";
for await (const known of library.filesUnder(0, "")) id = known.id;
const log = pino({ level: "silent" });
const thumbnails = new ThumbnailMaker({ cacheDir: "/nonexistent", log });
const http = await mediaHttp({ level: "info" });
streamingRoutes(http.http, { library, rootPaths: [dirname(file)], thumbnails, log });
const url = `${http.url}/media/res/${id}.mp4`;

function download(): Promise<{ bytes: number; seconds: number }> {
  const format = "%{size_download} %{time_total}";
  return new Promise((resolve, reject) =>
    execFile("curl", ["-s", "-o", "/dev/null", "-w", format, url], (err, out) => {
      if (err) return reject(err);
      const [bytes = 0, seconds = 0] = out.split(" ").map(Number);
      resolve({ bytes, seconds });
    }),
  );
}

for (let run = 0; run < Number(runs); run++) {
  const before = process.cpuUsage();
  const { bytes, seconds } = await download();
  const cpu = process.cpuUsage(before);
  const gib = bytes / 2 ** 30;
  const line = [
    `MiB/s ${(bytes / 2 ** 20 / seconds).toFixed(0)}`,
    `cpu s/GiB ${((cpu.user + cpu.system) / 1e6 / gib).toFixed(3)}`,
    `(user ${(cpu.user / 1e6 / gib).toFixed(3)}, sys ${(cpu.system / 1e6 / gib).toFixed(3)})`,
  ];
  console.log(line.join("  "));
}
await http.close();
await fixture.close();
