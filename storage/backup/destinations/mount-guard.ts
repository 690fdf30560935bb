import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BackupFailure } from "../backup-failure.js";

/** The marker hearth leaves on a backup disk, so a different disk at the same place is noticed. */
export const DISK_MARKER = ".hearth-disk-id";

/** Where hearth remembers which disk belongs at which mount point (the catalog). */
export interface DiskRegistry {
  get(mountPoint: string): Promise<string | undefined>;
  set(mountPoint: string, diskId: string): Promise<void>;
}

/**
 * Mount points from /proc/self/mountinfo (field 5, with the kernel's octal escapes undone).
 * restic has no mount safety of its own: on an unplugged USB disk the mount point is a bare folder
 * on the SD card, and `restic init` would happily fill it.
 */
export async function mountPoints(mountinfo = "/proc/self/mountinfo"): Promise<Set<string>> {
  const text = await readFile(mountinfo, "utf8");
  const points = new Set<string>();
  for (const line of text.split("\n")) {
    const field = line.split(" ")[4];
    if (field)
      points.add(
        field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))),
      );
  }
  return points;
}

/**
 * Refuses (BackupFailure) unless `mountPoint` is mounted and carries the disk marker hearth
 * recorded for it. A mounted disk without a marker, at a mount point hearth has never used, is
 * adopted: the marker is written and remembered.
 */
export async function guardMount(
  mountPoint: string,
  disks: DiskRegistry,
  options: { mountinfo?: string } = {},
): Promise<void> {
  const mounted = await mountPoints(options.mountinfo);
  if (!mounted.has(mountPoint)) {
    throw new BackupFailure(
      "not-mounted",
      `the backup disk is not mounted at ${mountPoint}; nothing was written (backing up to the bare folder would fill this box's own disk)`,
      `Plug in the backup disk and mount it at ${mountPoint} (check /etc/fstab or the desktop's automounter), then run the job again.`,
    );
  }
  const markerPath = join(mountPoint, DISK_MARKER);
  const onDisk = (await readFile(markerPath, "utf8").catch(() => undefined))?.trim();
  const known = await disks.get(mountPoint);
  if (known === undefined) {
    const id = onDisk || randomUUID();
    if (!onDisk) await writeFile(markerPath, `${id}\n`, { mode: 0o644 });
    await disks.set(mountPoint, id);
    return;
  }
  if (onDisk === known) return;
  throw new BackupFailure(
    "wrong-disk",
    onDisk
      ? `the disk mounted at ${mountPoint} is not the one hearth backs up to (its ${DISK_MARKER} is ${onDisk}, expected ${known})`
      : `the disk mounted at ${mountPoint} is not the one hearth backs up to (it has no ${DISK_MARKER})`,
    `Mount the right backup disk. If this is a new backup disk on purpose, mark it: echo ${known} > ${markerPath}`,
  );
}
