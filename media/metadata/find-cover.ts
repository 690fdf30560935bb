/**
 * Folder cover images: the picture a household's rip software or media manager left next to the
 * tracks ("cover.jpg", "folder.jpg", Windows Media Player's "AlbumArt_{GUID}_Large.jpg").
 * MiniDLNA treats these as album art rather than photos, and so do we: they are never media
 * items of their own (see classifyName), they are the coverRelPath of the audio and video next
 * to them.
 */

/** Name stems in preference order: the first is the best cover when a folder has several. */
const STEMS: ReadonlyArray<RegExp> = [
  /^cover$/,
  /^folder$/,
  /^front$/,
  // Windows Media Player writes AlbumArt_{GUID}_Large.jpg and _Small.jpg; prefer Large.
  /^albumart_\{[^}]*\}_large$/,
  /^albumart$/,
  /^album$/,
  /^albumartsmall$/,
  /^albumart_\{[^}]*\}_small$/,
];

/** Extensions in preference order: JPEG first, because every renderer decodes it. */
const EXTENSIONS: readonly string[] = ["jpg", "jpeg", "png"];

interface Rank {
  stem: number;
  ext: number;
}

function rankOf(name: string): Rank | undefined {
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const ext = EXTENSIONS.indexOf(name.slice(dot + 1).toLowerCase());
  if (ext < 0) return undefined;
  const stemText = name.slice(0, dot).toLowerCase();
  const stem = STEMS.findIndex((re) => re.test(stemText));
  return stem < 0 ? undefined : { stem, ext };
}

/** True for names that are folder covers ("Cover.JPG", "folder.png"), whatever the folder holds. */
export function isCoverName(name: string): boolean {
  return rankOf(name) !== undefined;
}

// Covers are looked up once per file and the indexer passes the same sibling array for every
// file of a folder, so remember the answer per array instead of rescanning a 5 000-name folder
// 5 000 times.
const cache = new WeakMap<readonly string[], string | null>();

/**
 * The best cover image among a folder's names, or undefined when there is none. Matching is
 * case-insensitive; ties between equally good names go to the lowest code-point order so the
 * choice is stable across scans. The answer is remembered per array, so do not mutate `siblings`
 * after passing it.
 */
export function findCover(siblings: readonly string[]): string | undefined {
  const cached = cache.get(siblings);
  if (cached !== undefined) return cached ?? undefined;
  let best: { name: string; rank: Rank } | undefined;
  for (const name of siblings) {
    const rank = rankOf(name);
    if (rank === undefined) continue;
    if (best === undefined || isBetter(rank, name, best.rank, best.name)) best = { name, rank };
  }
  cache.set(siblings, best?.name ?? null);
  return best?.name;
}

function isBetter(rank: Rank, name: string, than: Rank, thanName: string): boolean {
  if (rank.stem !== than.stem) return rank.stem < than.stem;
  if (rank.ext !== than.ext) return rank.ext < than.ext;
  return name < thanName;
}
