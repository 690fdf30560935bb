import { corpusCache, siblingNames } from "../test/fixtures/media-corpus/make-corpus.js";
import { extractFile } from "../media/metadata/extract-file.js";
const m = await corpusCache();
for (const rel of process.argv.slice(2)) {
  const e = m.entries.find((x) => x.relPath === rel)!;
  console.log(JSON.stringify(await extractFile(`${m.root}/${rel}`, { rootId: 0, relPath: rel, sizeBytes: e.sizeBytes, mtimeMs: e.mtimeMs }, siblingNames(m.entries, rel))));
}
