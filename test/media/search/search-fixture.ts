import assert from "node:assert/strict";
import type { Library } from "../../../media/library/library.js";
import type { LibraryObject } from "../../../media/library/library-object.js";
import type { IndexedFile } from "../../../media/library/media-types.js";
import type { ChildSort } from "../../../media/library/index.js";
import { parseSearchCriteria, searchLibrary } from "../../../media/search/index.js";
import { allChildren, track } from "../library/library-fixture.js";
import { smallLibrary } from "../library/small-library.js";

/**
 * smallLibrary() plus a compilation whose album artist is nobody's track artist, with an
 * accented artist. Item ids follow the upsert order: i1 Come Together, i2 Something, i3 Dancing
 * Queen, i4 Knowing Me, Knowing You, i5 loose, i6 Holiday (video), i7 beach, i8 old (photos),
 * i9 Crazy in Love, ia Love Me Do.
 */
export function searchLibraryFiles(): IndexedFile[] {
  const hits = { albumArtist: "Various Artists", album: "Hits" };
  return [
    ...smallLibrary(),
    track(
      "Compilations/Hits/01 Crazy in Love.mp3",
      {
        ...hits,
        title: "Crazy in Love",
        artist: "Beyoncé",
        trackNumber: 1,
        year: 2003,
        genre: "R&B",
        durationSeconds: 236.2,
      },
      { sizeBytes: 9_000_000 },
    ),
    track(
      "Compilations/Hits/12 Love Me Do.mp3",
      {
        ...hits,
        title: "Love Me Do",
        artist: "The Beatles",
        trackNumber: 12,
        year: 1962,
        genre: "Rock",
        durationSeconds: 142.9,
      },
      { sizeBytes: 2_500_000 },
    ),
  ];
}

/** Parses and runs a Search; fails the test when the container does not exist. */
export async function search(
  library: Library,
  containerId: string,
  criteria: string,
  page: { start?: number; count?: number; sort?: readonly ChildSort[] } = {},
): Promise<{ objects: LibraryObject[]; total: number }> {
  const result = await searchLibrary(library, containerId, parseSearchCriteria(criteria), {
    start: page.start ?? 0,
    count: page.count ?? 0,
    sort: page.sort,
  });
  assert.ok(result !== undefined, `${containerId} is a container`);
  return result;
}

/** The id of the child of `parentId` titled `title` (the first, when titles repeat). */
export async function childId(library: Library, parentId: string, title: string): Promise<string> {
  const child = (await allChildren(library, parentId)).find((o) => o.title === title);
  assert.ok(child !== undefined, `${title} in ${parentId}`);
  return child.id;
}
