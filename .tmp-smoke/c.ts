import { corpusCache, siblingNames } from "../test/fixtures/media-corpus/make-corpus.js";
import { diffFromExpected } from "../test/fixtures/media-corpus/corpus-manifest.js";
import { extractFile } from "../media/metadata/extract-file.js";
const t = performance.now();
const m = await corpusCache();
console.log("built", (performance.now() - t).toFixed(0), "ms", m.root, m.entries.length);
let bad = 0;
for (const e of m.entries) {
  const got = await extractFile(`${m.root}/${e.relPath}`, { rootId: 0, relPath: e.relPath, sizeBytes: e.sizeBytes, mtimeMs: e.mtimeMs }, siblingNames(m.entries, e.relPath));
  if (e.expected === null) { if (got !== null) { bad++; console.log("EXPECTED NULL", e.relPath, JSON.stringify(got)); } continue; }
  const d = diffFromExpected(e.expected, got);
  if (d.length) { bad++; console.log("MISMATCH", e.relPath, d, JSON.stringify(got)); }
}
console.log("bad", bad);
