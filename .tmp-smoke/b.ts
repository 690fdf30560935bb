import { rm } from "node:fs/promises";
import { makeBulkCorpus } from "../test/fixtures/media-corpus/make-bulk-corpus.js";
const n = Number(process.argv[2]);
const dir = `/tmp/bulk-smoke-${n}`;
await rm(dir, { recursive: true, force: true });
const t = performance.now();
const m = await makeBulkCorpus(dir, { files: n });
console.log((performance.now() - t).toFixed(0), "ms", m.files, m.counts, m.mediaItems, m.entries.slice(0, 3), m.entries.filter(e=>e.kind==="image").slice(0,2));
