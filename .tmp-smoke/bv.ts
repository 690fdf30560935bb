import { readdirSync, statSync } from "node:fs";
import { dirname, basename } from "node:path";
import { extractFile } from "../media/metadata/extract-file.js";
for (const rel of process.argv.slice(2)) {
  const abs = `/tmp/bulk-smoke-2000/${rel}`;
  const st = statSync(abs);
  const sib = readdirSync(dirname(abs)).filter((n) => n !== basename(abs));
  console.log(JSON.stringify(await extractFile(abs, { rootId: 0, relPath: rel, sizeBytes: st.size, mtimeMs: Math.trunc(st.mtimeMs) }, sib)));
}
