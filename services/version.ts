import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * hearth's version from its package.json, found by walking up from this module so the same code
 * works from the source tree (tsx) and from dist/.
 */
export const VERSION: string = findVersion(dirname(fileURLToPath(import.meta.url)));

function findVersion(dir: string): string {
  for (let d = dir, i = 0; i < 4; d = dirname(d), i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(d, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "hearth" && pkg.version) return pkg.version;
    } catch {
      // No package.json at this level; keep walking up.
    }
  }
  return "unknown";
}
