/** Why a backup, check or restore did not work, in words a household can act on. */
export type FailureKind =
  | "auth"
  | "disk-full"
  | "no-repository"
  | "repository-missing"
  | "unreachable"
  | "locked"
  | "not-mounted"
  | "wrong-disk"
  | "sources-missing"
  | "hook"
  | "busy"
  | "interrupted"
  | "restic-missing"
  | "secret"
  | "not-found"
  | "target-not-empty"
  | "bad-request"
  | "failed";

/**
 * A failure with its kind, a one-line reason and the fix. Thrown by destination guards and the
 * restic driver; stored in run records, shown on the dashboard and in the CLI, logged once.
 */
export class BackupFailure extends Error {
  readonly kind: FailureKind;
  readonly fix: string;

  constructor(kind: FailureKind, message: string, fix: string) {
    super(message);
    this.name = "BackupFailure";
    this.kind = kind;
    this.fix = fix;
  }

  toJSON(): { kind: FailureKind; message: string; fix: string } {
    return { kind: this.kind, message: this.message, fix: this.fix };
  }
}
