import { BackupFailure } from "../backup-failure.js";
import type { RepositoryTarget } from "../destinations/repository-target.js";
import type { ResticOutcome } from "./restic-process.js";

interface Rule {
  test: RegExp;
  kind: BackupFailure["kind"];
  fix: (target: RepositoryTarget) => string;
}

/**
 * restic 0.14's failures, recognised by their text (it has no error codes beyond 1). The order
 * matters: an rclone connection error is followed by a generic "unable to open repository".
 */
const RULES: readonly Rule[] = [
  {
    test: /wrong password or no key found/,
    kind: "auth",
    fix: () =>
      "The repository password is not the one this repository was made with: check the file or variable the job's password points to.",
  },
  {
    test: /logon is invalid|logon failure|NT_STATUS_LOGON_FAILURE|access denied|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Permission denied \(publickey/i,
    kind: "auth",
    fix: (t) =>
      `The server refused the login for ${t.label}: check the user and the password (or key) the destination points to.`,
  },
  {
    test: /no space left on device|disk quota exceeded/i,
    kind: "disk-full",
    fix: (t) =>
      `Free space on ${t.label} (or lower the retention so prune can remove old data); the repository itself is intact.`,
  },
  {
    test: /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/,
    kind: "unreachable",
    fix: (t) =>
      `The SSH server's host key for ${t.label} is not the pinned one: check knownHostsFile (ssh-keyscan the server once and review it).`,
  },
  {
    test: /connection refused|no route to host|i\/o timeout|network is unreachable|no such host|couldn't connect|dial tcp|connection reset|EOF$|unable to start the sftp session/i,
    kind: "unreachable",
    fix: (t) => `Check that ${t.label} is switched on and reachable from this box.`,
  },
  {
    test: /repository is already locked|unable to create lock|lock was created at/,
    kind: "locked",
    fix: () =>
      "Another program holds the repository lock; hearth clears stale locks itself. If no other backup is running, `restic unlock` frees it.",
  },
  {
    test: /all target directories\/files do not exist|all source directories\/files do not exist/,
    kind: "sources-missing",
    fix: () => "None of the job's source folders exist: check `sources` in the config file.",
  },
  {
    test: /unable to open config file|Is there a repository at the following location|NoSuchBucket|The specified bucket does not exist/,
    kind: "no-repository",
    fix: (t) => `There is no restic repository at ${t.label} yet.`,
  },
];

/**
 * What went wrong in a finished restic call, or undefined when it worked (exit 0, or exit 3:
 * a snapshot was written and some files were unreadable, which is a warning).
 */
export function classifyFailure(
  outcome: ResticOutcome,
  target: RepositoryTarget,
): BackupFailure | undefined {
  if (outcome.code === 0 || outcome.code === 3) return undefined;
  if (outcome.aborted) {
    return new BackupFailure(
      "interrupted",
      "stopped before it finished (hearth was stopped or the run was cancelled)",
      "It runs again at its next scheduled time, or start it now from the dashboard.",
    );
  }
  if (outcome.code === 127) {
    return new BackupFailure(
      "restic-missing",
      "restic is not installed",
      "Install it: sudo apt-get install restic (scripts/setup does this).",
    );
  }
  // rclone's own line names the real cause; restic's Fatal line after it only says "EOF".
  const rcloneLine = outcome.stderrTail.find((l) => /^rclone: .*(error|fail|couldn't)/i.test(l));
  const lines = [rcloneLine, outcome.fatal, ...outcome.stderrTail].filter(
    (l): l is string => l !== undefined,
  );
  const rule = RULES.find((r) => lines.some((l) => r.test.test(l)));
  // The line that gave the failure away is the best reason (ssh's "Host key verification failed",
  // rclone's logon error), not restic's generic Fatal line after it.
  const telling = rule && lines.find((l) => rule.test.test(l));
  const reason =
    telling?.replace(/^(rclone|Fatal|subprocess ssh):\s*/, "") ??
    outcome.fatal ??
    outcome.stderrTail.at(-1) ??
    (outcome.signal
      ? `restic was killed by ${outcome.signal}`
      : `restic exited with ${outcome.code}`);
  return new BackupFailure(
    rule?.kind ?? "failed",
    oneLine(reason),
    rule?.fix(target) ??
      "See hearth's log for restic's full message (journalctl -u hearth); run `hearth backup check <job>` to verify the repository.",
  );
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
