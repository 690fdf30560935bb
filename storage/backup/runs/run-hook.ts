import { spawn } from "node:child_process";
import { BackupFailure } from "../backup-failure.js";

/** A hook that has not finished in this time is killed (a stuck database dump must not block backups forever). */
const HOOK_TIMEOUT_MS = 60 * 60_000;

/**
 * Runs a job's pre or post command through /bin/sh with the job's facts in its environment
 * (HEARTH_BACKUP_JOB, HEARTH_BACKUP_STATUS for post). Throws BackupFailure "hook" when it fails,
 * with the last line it printed.
 */
export function runHook(
  which: "pre" | "post",
  command: string,
  env: Record<string, string>,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal } : {}),
      timeout: options.timeoutMs ?? HOOK_TIMEOUT_MS,
      killSignal: "SIGTERM",
    });
    let tail = "";
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", (err) => {
      if ((err as NodeJS.ErrnoException).code !== "ABORT_ERR")
        reject(hookFailure(which, command, err.message));
    });
    child.once("close", (code, signal) => {
      if (code === 0) return resolve();
      const lastLine = tail.trim().split("\n").at(-1) ?? "";
      const how = signal ? `was stopped by ${signal}` : `exited with ${code}`;
      reject(hookFailure(which, command, `${how}${lastLine ? `: ${lastLine}` : ""}`));
    });
  });
}

function hookFailure(which: "pre" | "post", command: string, what: string): BackupFailure {
  return new BackupFailure(
    "hook",
    `the ${which} hook \`${command}\` ${what}`,
    which === "pre"
      ? "The backup was skipped because its pre hook failed: run the command by hand to see why."
      : "The backup itself is done; run the post hook command by hand to see why it failed.",
  );
}
