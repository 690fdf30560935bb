import assert from "node:assert/strict";
import { Catalog } from "../../../storage/catalog/catalog.js";
import type { CatalogNamespace } from "../../../storage/catalog/catalog-namespace.js";
import { Library } from "../../../media/library/library.js";
import type { LibraryOptions } from "../../../media/library/library-types.js";
import type { LibraryObject } from "../../../media/library/library-object.js";
import type { AudioMeta, IndexedFile } from "../../../media/library/media-types.js";
import { TempCatalogDir } from "../../storage/catalog/temp-catalog-dir.js";

/** A real Catalog in a temp folder with a Library on `media/lib`, reopenable like a restart. */
export class LibraryFixture {
  readonly #temp = new TempCatalogDir();
  readonly #options: LibraryOptions;
  catalog!: Catalog;
  ns!: CatalogNamespace;
  library!: Library;

  constructor(options: LibraryOptions = { rootTitles: ["Music", "Pictures"] }) {
    this.#options = options;
  }

  async open(): Promise<Library> {
    await this.#temp.create();
    return this.#openCatalog();
  }

  /** Closes and reopens the catalog and the library, as a restart does. */
  async reopen(): Promise<Library> {
    await this.catalog.close();
    return this.#openCatalog();
  }

  async close(): Promise<void> {
    await this.catalog.close();
    await this.#temp.remove();
  }

  async #openCatalog(): Promise<Library> {
    this.catalog = await Catalog.open({ dir: this.#temp.path() });
    this.ns = this.catalog.namespace("media").sub("lib");
    this.library = await Library.open(this.ns, this.#options);
    return this.library;
  }
}

const MTIME = Date.UTC(2024, 4, 15, 12, 0, 0);

/** A tagged audio file in root 0. */
export function track(
  relPath: string,
  audio: AudioMeta = {},
  extra: Partial<IndexedFile> = {},
): IndexedFile {
  return {
    rootId: 0,
    relPath,
    sizeBytes: 4_000_000,
    mtimeMs: MTIME,
    mediaClass: "audio",
    mime: "audio/mpeg",
    dlnaProfile: "MP3",
    audio: {
      durationSeconds: 200.5,
      bitrateBps: 320_000,
      sampleRateHz: 44_100,
      channels: 2,
      ...audio,
    },
    ...extra,
  };
}

/** A video in root 0. */
export function video(relPath: string, extra: Partial<IndexedFile> = {}): IndexedFile {
  return {
    rootId: 0,
    relPath,
    sizeBytes: 700_000_000,
    mtimeMs: MTIME,
    mediaClass: "video",
    mime: "video/mp4",
    dlnaProfile: "AVC_MP4_HP_HD_AAC",
    video: {
      durationSeconds: 5400,
      width: 1920,
      height: 1080,
      videoCodec: "h264",
      audioCodec: "aac",
    },
    ...extra,
  };
}

/** A JPEG in root 1, taken at `takenAt` (else dated by `mtimeMs`). */
export function photo(
  relPath: string,
  takenAt?: string,
  extra: Partial<IndexedFile> = {},
): IndexedFile {
  return {
    rootId: 1,
    relPath,
    sizeBytes: 3_000_000,
    mtimeMs: MTIME,
    mediaClass: "image",
    mime: "image/jpeg",
    dlnaProfile: "JPEG_LRG",
    image:
      takenAt === undefined
        ? { width: 4000, height: 3000 }
        : { width: 4000, height: 3000, takenAt },
    ...extra,
  };
}

/** Every child of a container, all pages. */
export async function allChildren(library: Library, id: string): Promise<LibraryObject[]> {
  const page = await library.children(id);
  assert.ok(page !== undefined, `${id} is a container`);
  return page.objects;
}

/**
 * The tree under `id` as indented lines "title [class] n" (n = childCount; "→" marks a
 * reference). Checks on the way what every client relies on: parentID, refID and childCount agree
 * with the listing, and getObject returns the same object as the listing.
 */
export async function outline(library: Library, id = "0", depth = 0): Promise<string[]> {
  const lines: string[] = [];
  for (const child of await allChildren(library, id)) {
    assert.equal(child.parentId, id, `${child.title}'s parentID`);
    assert.deepEqual(await library.getObject(child.id), child, `getObject(${child.id})`);
    const kind = child.upnpClass.split(".").at(-1);
    const pad = "  ".repeat(depth);
    if (child.isContainer) {
      lines.push(`${pad}${child.title} [${kind}] ${child.childCount}`);
      const below = await outline(library, child.id, depth + 1);
      assert.equal(
        (await allChildren(library, child.id)).length,
        child.childCount,
        `${child.title} childCount`,
      );
      lines.push(...below);
    } else {
      if (child.refId !== undefined) assert.equal(child.id, `${id}$${child.refId}`);
      lines.push(`${pad}${child.refId === undefined ? "" : "→ "}${child.title} [${kind}]`);
    }
  }
  return lines;
}

/** A container's path of titles from the root ("Music/Artists/ABBA"), for readable assertions. */
export async function titlePath(library: Library, id: string): Promise<string> {
  const titles: string[] = [];
  for (let at = id; at !== "0";) {
    const object = await library.getObject(at);
    if (object === undefined) return `(gone ${id})`;
    titles.unshift(object.title);
    at = object.parentId;
  }
  return titles.join("/");
}
