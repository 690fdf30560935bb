import { spawn } from "node:child_process";
import { parseMailboxCount } from "./parse-mailbox-count.js";
import { SourceReadError } from "./periodic-source.js";
import type { MailboxState } from "./voicemail-source.js";

export interface CommandLimits {
  /** Killed after this long (a hung script must not hold the lamp forever). Default 60 s. */
  timeoutMs?: number;
  /** More stdout than this is not a count: the command is killed. Default 64 KiB. */
  maxOutputBytes?: number;
}

/** How much of stderr is kept for the reason shown on the dashboard. */
const STDERR_TAIL_CHARS = 300;

/**
 * Runs the user's command through /bin/sh (so the old cron one-liners work unchanged) and reads a
 * count or JSON from its stdout. Rejects with a SourceReadError carrying the tail of stderr when
 * it exits non-zero, is killed, prints too much or prints something that is not a count.
 */
export function runCountCommand(
  command: string,
  signal: AbortSignal,
  limits: CommandLimits = {},
): Promise<MailboxState> {
  const { timeoutMs = 60_000, maxOutputBytes = 64 * 1024 } = limits;
  return new Promise((resolve, reject) => {
    // A process group of its own, so a timeout or stop also kills what the script started: a
    // grandchild holding stdout open would otherwise keep the read pending forever.
    const child = spawn("/bin/sh", ["-c", command], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // ESRCH: the group is already gone, which is what we wanted.
      }
    };
    let isTimedOut = false;
    const timer = setTimeout(() => {
      isTimedOut = true;
      killGroup();
    }, timeoutMs);
    signal.addEventListener("abort", killGroup, { once: true });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = "";
    let isTooLong = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutputBytes) {
        isTooLong = true;
        killGroup();
      } else stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString("utf8")).slice(-4 * STDERR_TAIL_CHARS);
    });
    // 'error' comes for a spawn failure; 'close' may follow, the first settle wins.
    child.once("error", (err) =>
      reject(
        new SourceReadError(`the command could not run: ${err.message}`, FIX_RUN, { cause: err }),
      ),
    );
    child.once("close", (code, killedBy) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", killGroup);
      if (signal.aborted) return reject(new SourceReadError("the source was stopped", FIX_RUN));
      const stderr = lastLines(stderrTail);
      const said = stderr ? `: ${stderr}` : "";
      if (isTooLong)
        return reject(
          new SourceReadError(`the command printed more than ${maxOutputBytes} bytes`, FIX_OUTPUT),
        );
      if (isTimedOut)
        return reject(
          new SourceReadError(
            `the command did not finish within ${Math.round(timeoutMs / 1000)} s and was killed${said}`,
            FIX_RUN,
          ),
        );
      if (killedBy !== null)
        return reject(new SourceReadError(`the command was killed by ${killedBy}${said}`, FIX_RUN));
      if (code !== 0)
        return reject(new SourceReadError(`the command exited with ${code}${said}`, FIX_RUN));
      const parsed = parseMailboxCount(Buffer.concat(stdout).toString("utf8"));
      if (typeof parsed === "string")
        return reject(new SourceReadError(`the command's output: ${parsed}`, FIX_OUTPUT));
      resolve(parsed);
    });
  });
}

const FIX_RUN = "Run the command by hand as the hearth user to see why it fails.";
const FIX_OUTPUT = 'Make the command print only the count (3) or JSON like {"new":3,"old":1}.';

/** The end of what the command said on stderr, on one line, for the dashboard. */
function lastLines(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > STDERR_TAIL_CHARS ? `…${oneLine.slice(-STDERR_TAIL_CHARS)}` : oneLine;
}
