/**
 * One restic repository as restic is called for it: everything a destination type (local, smb,
 * sftp, s3) resolves to. Secrets sit in `env` only: never in `repo` or `args`, which may be logged
 * and show in `ps`.
 */
export interface RepositoryTarget {
  /** Stable short id (hash of the repository location): lock file, cache dir and catalog keys. */
  readonly id: string;
  /** For people: "USB disk /media/usb/backup", "smb://nas/backup/box". No secrets. */
  readonly label: string;
  /** Destination type, for the dashboard. */
  readonly type: "local" | "smb" | "sftp" | "s3";
  /** restic's `-r` value. */
  readonly repo: string;
  /** Extra global options placed before the command (`-o sftp.command=…`, `--cacert …`). */
  readonly args: readonly string[];
  /** Variables added to restic's environment (backend credentials). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Checks the destination can be written before every restic call; throws a BackupFailure
   * (e.g. the USB disk is not mounted). Absent when there is nothing to check.
   */
  readonly guard?: () => Promise<void>;
  /**
   * After a failure that looks like the network: the transport's own words on why (ssh's host
   * key or login complaint), which restic does not always pass on before it exits.
   */
  readonly diagnose?: () => Promise<string>;
}
