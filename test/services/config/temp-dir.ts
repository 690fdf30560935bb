import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A fresh folder under os.tmpdir() for one test; `remove()` deletes it. */
export function tempDir(): {
  path: string;
  write(name: string, text: string): string;
  remove(): void;
} {
  const path = mkdtempSync(join(tmpdir(), "hearth-config-"));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
