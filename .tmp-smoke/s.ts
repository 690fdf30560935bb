import { readdirSync, statSync } from "node:fs";
import { extractFile } from "../media/metadata/extract-file.js";
import { MetadataPool } from "../media/metadata/metadata-pool.js";
const dir = "/tmp/exp";
const names = readdirSync(dir);
const pool = new MetadataPool({ workers: 2 });
const t = performance.now();
const results = await Promise.all(names.map(async (n) => {
  const st = statSync(`${dir}/${n}`);
  const file = { rootId: 0, relPath: n, sizeBytes: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
  const [a, b] = await Promise.all([extractFile(`${dir}/${n}`, file, names), pool.extract(`${dir}/${n}`, file, names)]);
  if (JSON.stringify(a) !== JSON.stringify(b)) console.log("DIFF", n, a, b);
  return a;
}));
console.log((performance.now() - t).toFixed(0), "ms", pool.stats());
for (const r of results) if (r) console.log(JSON.stringify(r));
await pool.close();
