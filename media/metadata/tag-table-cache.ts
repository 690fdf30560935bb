/**
 * music-metadata builds a new CombinedTagMapper for every file it parses, and five of its mappers
 * (ID3v2.2, ID3v2.3/2.4, MP4, APEv2, Matroska, the subclasses of CaseInsensitiveTagMap)
 * upper-case their whole tag table in their constructor: ~60 µs per file on the bench machine,
 * a third of the metadata worker's CPU on a tagged library. The tables are module constants, so
 * one upper-cased copy per table serves every file. 20 000 files: the worker thread's CPU
 * 4.7–5.2 → 3.2–3.5 s, the index 9.0–9.7 → 8.4–8.9 s. (Editing the package's file to cache the
 * same way measured 7.4–8.1 s: re-parented constructors keep V8 from some of its fast paths.)
 *
 * music-metadata exports none of these classes and has no option for it (12.1 is the same), so
 * this reaches into its files: it finds the mappers through a CombinedTagMapper and points each
 * CaseInsensitiveTagMap subclass's `super()` at a constructor that caches the copy. Lookups are
 * untouched (CaseInsensitiveTagMap.prototype.getCommonName upper-cases the tag as before). If a
 * release moves or reshapes these classes, nothing is changed, parsing goes on at the old cost,
 * and the function says false: test/media/metadata/tag-table-cache.test.ts fails on such an upgrade.
 */

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

type TagTable = Readonly<Record<string, unknown>>;
type MapperBase = new (tagTypes: string[], tagMap: TagTable) => object;

interface MapperFields {
  tagTypes: string[];
  tagMap: TagTable;
}

interface CombinedTagMapperShape {
  tagMappers: Record<string, object>;
}

let installed: Promise<boolean> | undefined;
/** Marks the replacement constructor, so a second copy of this module sees the work done. */
const INSTALLED = Symbol.for("hearth.media.tagTableCache");

/** Makes music-metadata upper-case each tag table once per thread. Idempotent; never throws. */
export function cacheTagTables(): Promise<boolean> {
  installed ??= install().catch(() => false);
  return installed;
}

/**
 * The URL of a file in music-metadata's lib/, found the way Node finds the package (its exports
 * map hides these files from `import "music-metadata/..."`, not from a file URL). Exported for the
 * test, which must load the very module instances the parser uses.
 */
export function musicMetadataFile(file: string): string | undefined {
  const searched = createRequire(import.meta.url).resolve.paths("music-metadata") ?? [];
  for (const dir of searched) {
    const path = join(dir, "music-metadata", "lib", file);
    if (existsSync(path)) return pathToFileURL(path).href;
  }
  return undefined;
}

async function install(): Promise<boolean> {
  const load = (file: string) => {
    const url = musicMetadataFile(file);
    return url === undefined ? Promise.resolve({}) : (import(url) as Promise<unknown>);
  };
  const combinedModule = (await load("common/CombinedTagMapper.js")) as {
    CombinedTagMapper?: new () => CombinedTagMapperShape;
  };
  const caseModule = (await load("common/CaseInsensitiveTagMap.js")) as {
    CaseInsensitiveTagMap?: MapperBase;
  };
  const { CombinedTagMapper } = combinedModule;
  const { CaseInsensitiveTagMap } = caseModule;
  if (typeof CombinedTagMapper !== "function" || typeof CaseInsensitiveTagMap !== "function") {
    return false;
  }
  const CommonTagMapper = Object.getPrototypeOf(CaseInsensitiveTagMap) as MapperBase;
  if (typeof CommonTagMapper !== "function") return false;
  // The replacement below does CommonTagMapper's whole job; make sure that job is still this.
  const plain = new CommonTagMapper(["probe"], {});
  if (Object.keys(plain).join() !== "tagTypes,tagMap") return false;

  const subclasses = new Set<object>();
  for (const mapper of Object.values(new CombinedTagMapper().tagMappers)) {
    const parent = Object.getPrototypeOf(mapper.constructor) as Record<symbol, unknown>;
    // Done already by another copy of this module (the test runner may load it twice).
    if (parent[INSTALLED] === true) return true;
    if (parent === (CaseInsensitiveTagMap as unknown)) subclasses.add(mapper.constructor);
  }
  if (subclasses.size === 0) return false;

  const upperCased = new WeakMap<TagTable, TagTable>();
  // A plain function that does CommonTagMapper's job itself (checked above): as a class deriving
  // CommonTagMapper it measured slower, another `super()` hop V8 cannot inline after the
  // re-parenting. Re-parented constructors cost ~60 ns more each; the copy they skip, ~60 µs.
  function CachedCaseInsensitiveTagMap(this: MapperFields, tagTypes: string[], tagMap: TagTable) {
    let table = upperCased.get(tagMap);
    if (table === undefined) {
      const copy: Record<string, unknown> = {};
      for (const tag of Object.keys(tagMap)) copy[tag.toUpperCase()] = tagMap[tag];
      // Shared by every mapper from now on: frozen, so a release that starts writing to its
      // table fails loudly in tests instead of leaking one file's tags into the next.
      table = Object.freeze(copy);
      upperCased.set(tagMap, table);
    }
    this.tagTypes = tagTypes;
    this.tagMap = table;
  }
  CachedCaseInsensitiveTagMap.prototype = CommonTagMapper.prototype;
  Object.defineProperty(CachedCaseInsensitiveTagMap, INSTALLED, { value: true });
  for (const subclass of subclasses) Object.setPrototypeOf(subclass, CachedCaseInsensitiveTagMap);
  return true;
}
