import { spawn } from "node:child_process";

/** How a process run by runProcess ended. */
export interface ProcessOutcome {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It ran past `timeoutMs` and was killed. */
  isTimedOut: boolean;
  /** The last 2000 characters it printed, stdout and stderr interleaved. */
  outputTail: string;
}

/** How runProcess runs a program: abortable, with a deadline. */
export interface RunProcessOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /**
   * Start it as its own process group and kill the whole group: `sh -c "a; b"` forks, and
   * killing only the shell would leave the running command behind.
   */
  isProcessGroup?: boolean;
}

/** A process that ignores SIGTERM this long gets SIGKILL. */
const KILL_GRACE_MS = 2_000;
const TAIL_CHARS = 2_000;

/**
 * Runs a program to its end. Resolves with how it ended (a non-zero exit is not an error here:
 * the caller words that); rejects when it cannot be started (e.g. ENOENT), or with
 * `signal.reason` when aborted, in both cases only after the process is gone.
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessOutcome> {
  const { signal, timeoutMs, isProcessGroup = false } = options;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      detached: isProcessGroup,
    });
    let outputTail = "";
    const keep = (chunk: Buffer) =>
      (outputTail = (outputTail + chunk.toString()).slice(-TAIL_CHARS));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let isTimedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      terminate(child.pid, isProcessGroup, "SIGTERM");
      killTimer ??= setTimeout(
        () => terminate(child.pid, isProcessGroup, "SIGKILL"),
        KILL_GRACE_MS,
      );
    };
    const onAbort = () => kill();
    const timeout = setTimeout(() => {
      isTimedOut = true;
      kill();
    }, timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
    const settle = () => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      signal.removeEventListener("abort", onAbort);
    };
    child.once("error", (err) => {
      settle();
      reject(err);
    });
    child.once("close", (code, exitSignal) => {
      settle();
      if (signal.aborted && !isTimedOut) return reject(signal.reason);
      resolve({ code, signal: exitSignal, isTimedOut, outputTail });
    });
  });
}

function terminate(pid: number | undefined, isGroup: boolean, how: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(isGroup ? -pid : pid, how);
  } catch (err) {
    // ESRCH: it exited between our decision and the kill; its "close" event settles the run.
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

/** "exited with 1: <last line>" / "was stopped by SIGTERM" / "did not finish within 60 s". */
export function describeOutcome(outcome: ProcessOutcome, timeoutMs: number): string {
  const lastLines = outcome.outputTail.trim().split("\n").slice(-3).join(" | ").trim();
  const how = outcome.isTimedOut
    ? `did not finish within ${formatDuration(timeoutMs)}`
    : outcome.signal !== null
      ? `was stopped by ${outcome.signal}`
      : `exited with ${outcome.code}`;
  return lastLines === "" ? how : `${how}: ${lastLines}`;
}

/** "60 s", or "300 ms" below a second. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
