import assert from "node:assert/strict";
import { cacheTagTables, musicMetadataFile } from "../../../media/metadata/tag-table-cache.js";

interface Mapper {
  tagMap: Record<string, unknown>;
  getCommonName(tag: string): string | undefined;
}
interface CombinedTagMapper {
  tagMappers: Record<string, Mapper>;
}

/** music-metadata's internal CombinedTagMapper, the class it builds for every file it parses. */
async function combinedTagMapper(): Promise<new () => CombinedTagMapper> {
  const file = musicMetadataFile("common/CombinedTagMapper.js");
  assert.ok(file, "music-metadata/lib/common/CombinedTagMapper.js exists");
  const module = (await import(file)) as { CombinedTagMapper: new () => CombinedTagMapper };
  return module.CombinedTagMapper;
}

describe("cacheTagTables", () => {
  // Fails when a music-metadata upgrade moves or reshapes its tag mappers: the cache is then off
  // (parsing still works, a fifth slower) and tag-table-cache.ts needs a look.
  it("applies to the installed music-metadata", async () => {
    assert.equal(await cacheTagTables(), true);
    assert.equal(await cacheTagTables(), true, "a second call is harmless");
  });

  it("gives every parse the same frozen upper-cased table per tag format", async () => {
    await cacheTagTables();
    const Combined = await combinedTagMapper();
    const first = new Combined().tagMappers;
    const second = new Combined().tagMappers;
    for (const format of ["ID3v2.3", "ID3v2.4", "ID3v2.2", "iTunes", "APEv2", "matroska"]) {
      const table = first[format]?.tagMap;
      assert.ok(table, `music-metadata has a ${format} mapper`);
      assert.equal(second[format]?.tagMap, table, `${format}: one table for every parse`);
      assert.ok(Object.isFrozen(table), `${format}: the shared table is frozen`);
      for (const key of Object.keys(table)) assert.equal(key, key.toUpperCase());
    }
  });

  it("still maps native tags to common names whatever their case", async () => {
    await cacheTagTables();
    const mappers = new (await combinedTagMapper())().tagMappers;
    assert.equal(mappers["ID3v2.4"]?.getCommonName("TIT2"), "title");
    assert.equal(mappers["ID3v2.3"]?.getCommonName("tpe1"), "artist");
    assert.equal(mappers["iTunes"]?.getCommonName("©alb"), "album");
    assert.equal(mappers["iTunes"]?.getCommonName("aART"), "albumartist");
    assert.equal(mappers["APEv2"]?.getCommonName("Title"), "title");
    assert.equal(mappers["ID3v2.4"]?.getCommonName("NOT-A-TAG"), undefined);
  });
});
