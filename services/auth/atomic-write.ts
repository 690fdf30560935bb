import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes `data` to `path` so that a reader (or a power cut) sees either the old file or the new
 * one, never half of it: write a temp file in the same folder, fsync, rename over, fsync the folder.
 * The temp file is created with `mode` (default 0600) so a secret is never world-readable, even briefly.
 */
export async function atomicWrite(
  path: string,
  data: string,
  options: { mode?: number } = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const file = await open(temp, "wx", mode);
    try {
      await file.writeFile(data, "utf8");
      // The umask may have narrowed the mode further; widen back only to what was asked for.
      await file.chmod(mode);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncFolder(dirname(path));
}

async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
