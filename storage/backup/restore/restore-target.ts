import { readdir } from "node:fs/promises";
import { BackupFailure } from "../backup-failure.js";

/** A restore goes into a new or empty folder: it never silently replaces files. */
export async function assertEmptyTarget(to: string): Promise<void> {
  const entries = await readdir(to).catch(() => []);
  if (entries.length === 0) return;
  throw new BackupFailure(
    "target-not-empty",
    `${to} is not empty; a restore never overwrites files silently`,
    "Pick a new or empty folder to restore into (or pass --overwrite to replace files in it).",
  );
}
