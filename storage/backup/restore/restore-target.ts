import { constants } from "node:fs";
import { access, mkdir, readdir } from "node:fs/promises";
import { BackupFailure } from "../backup-failure.js";

/**
 * A restore goes into a new or empty folder that hearth can write: it never silently replaces
 * files, and a folder the daemon may not write (systemd's ProtectHome/ProtectSystem) is refused
 * before restic starts, with where it can write instead.
 */
export async function prepareTarget(
  to: string,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  const entries = await readdir(to).catch(() => []);
  if (entries.length > 0 && !options.overwrite) {
    throw new BackupFailure(
      "target-not-empty",
      `${to} is not empty; a restore never overwrites files silently`,
      "Pick a new or empty folder to restore into (or pass --overwrite to replace files in it).",
    );
  }
  try {
    // Not recursive: Node's recursive mkdir never returns on some paths (/proc/x, measured), and
    // a restore target is typed by a person; its parent must exist.
    await mkdir(to).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST") throw err;
    });
    await access(to, constants.W_OK);
  } catch (err) {
    throw new BackupFailure(
      "bad-request",
      (err as NodeJS.ErrnoException).code === "ENOENT"
        ? `cannot restore into ${to}: its parent folder does not exist`
        : `hearth cannot write to ${to} (${(err as NodeJS.ErrnoException).code ?? "error"})`,
      "Under systemd hearth may write only its data dir (/var/lib/hearth), /media and /mnt: restore there and move the files, or run `hearth backup restore` as root while hearth is stopped.",
    );
  }
}
