import type { RequestContext } from "../soap/index.js";

// The Xbox 360 asks for containers by short ids of Windows Media Connect's own tree; MiniDLNA's
// maintainers found which, and hearth's fixed ids follow MiniDLNA's, so the same mapping works.
const BROWSE_ALIASES: Readonly<Record<string, string>> = { "15": "2$15", "16": "3$16" };
const SEARCH_ALIASES: Readonly<Record<string, string>> = {
  "4": "1$4",
  "5": "1$5",
  "6": "1$6",
  "7": "1$7",
};

/** The hearth id an Xbox means by `id` (unchanged for every other client and id). */
export function xboxAlias(
  id: string,
  request: RequestContext,
  action: "browse" | "search",
): string {
  if (request.quirks?.xboxIds !== true) return id;
  const aliases = action === "browse" ? BROWSE_ALIASES : SEARCH_ALIASES;
  return Object.hasOwn(aliases, id) ? (aliases[id] as string) : id;
}
