import { readFile } from "node:fs/promises";

/** One line of /proc/self/mountinfo, reduced to what the indexer needs. */
export interface MountEntry {
  mountPoint: string;
  /** "ext4", "nfs4", "cifs", "fuse.rclone", ... */
  fsType: string;
  /** "/dev/sda1", "server:/export", "remote:", ... */
  source: string;
}

/**
 * Filesystems whose changes made elsewhere (on the server, by another client) produce no inotify
 * events here: watching them would look healthy and miss everything. Local FUSE filesystems
 * (ntfs-3g as "fuseblk", mergerfs pools of local disks) do deliver events for changes made through
 * this machine, which is how a home server's disks are written, so they stay live.
 */
const networkTypes = new Set([
  "nfs",
  "nfs4",
  "cifs",
  "smb3",
  "smbfs",
  "9p",
  "ceph",
  "glusterfs",
  "afs",
  "ncpfs",
  "davfs",
  "coda",
  "lustre",
  "beegfs",
  "virtiofs",
]);
const localFuseTypes = new Set(["fuse.mergerfs", "fuse.unionfs", "fuse.bindfs"]);

/**
 * The kernel's mount table, from /proc/self/mountinfo (proc(5)). The format is simple enough to
 * parse here: "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw", where the
 * optional fields end at " - " and spaces in paths are written as octal escapes (\040).
 */
export class MountTable {
  readonly #entries: readonly MountEntry[];

  constructor(entries: readonly MountEntry[]) {
    this.#entries = entries;
  }

  /** Parses mountinfo text; malformed lines are skipped (the table is advisory). */
  static parse(text: string): MountTable {
    const entries: MountEntry[] = [];
    for (const line of text.split("\n")) {
      const fields = line.split(" ");
      const dash = fields.indexOf("-", 6);
      const mountPoint = fields[4];
      const fsType = fields[dash + 1];
      if (dash < 0 || mountPoint === undefined || fsType === undefined) continue;
      entries.push({
        mountPoint: unescapeOctal(mountPoint),
        fsType: unescapeOctal(fsType),
        source: unescapeOctal(fields[dash + 2] ?? ""),
      });
    }
    return new MountTable(entries);
  }

  /**
   * Reads the table; an unreadable file (not Linux, no /proc) gives an empty table, and every root
   * is then treated as local: watching is still tried, so nothing is lost but the network check.
   */
  static async read(path = "/proc/self/mountinfo"): Promise<MountTable> {
    try {
      return MountTable.parse(await readFile(path, "utf8"));
    } catch {
      // Safe: without a mount table we only lose the network-filesystem detection.
      return new MountTable([]);
    }
  }

  /** The mount that holds `absPath` (a resolved real path): the longest matching mount point, last one wins. */
  mountOf(absPath: string): MountEntry | undefined {
    let best: MountEntry | undefined;
    for (const entry of this.#entries) {
      if (!contains(entry.mountPoint, absPath)) continue;
      // Later lines are later mounts; one mounted over another at the same point hides it.
      if (best === undefined || entry.mountPoint.length >= best.mountPoint.length) best = entry;
    }
    return best;
  }

  /** True for filesystems that deliver no inotify events for remote changes. */
  static isNetworkFs(fsType: string): boolean {
    if (networkTypes.has(fsType)) return true;
    return fsType.startsWith("fuse.") && !localFuseTypes.has(fsType);
  }
}

function contains(mountPoint: string, path: string): boolean {
  if (mountPoint === "/") return path.startsWith("/");
  return path === mountPoint || path.startsWith(`${mountPoint}/`);
}

function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  );
}
