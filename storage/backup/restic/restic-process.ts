import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { RepositoryTarget } from "../destinations/repository-target.js";
import {
  fileWarning,
  statusMessage,
  summaryMessage,
  type FileWarning,
  type ResticStatus,
  type ResticSummary,
} from "./restic-messages.js";

/** How a restic run is niced: the box keeps serving media and phones while it backs up. */
export interface Niceness {
  cpu: number;
  ioClass?: "idle" | "best-effort";
}

export interface ResticCall {
  /** The command and its arguments: ["backup", "/home/me/Documents"]. `--json` is added. */
  args: readonly string[];
  target: RepositoryTarget;
  /** The repository password; reaches restic through its stdin pipe, never argv, env or a file. */
  password: string;
  /** restic's cache for this repository (speeds up unchanged re-runs). */
  cacheDir: string;
  nice?: Niceness;
  signal?: AbortSignal;
  /** Each `status` line of a backup (throttled to RESTIC_PROGRESS_FPS). */
  onStatus?: (status: ResticStatus) => void;
  /** Keep stdout (for commands answering one JSON document, like `snapshots`). */
  keepStdout?: boolean;
  /** Each stdout line (for JSON-lines answers like `ls` and `find`). */
  onLine?: (line: string) => void;
  /** restic binary; tests point it elsewhere. */
  resticPath?: string;
  /** Base environment (PATH, HOME, locale); the target's variables are added to it. */
  env?: NodeJS.ProcessEnv;
}

export interface ResticOutcome {
  /** restic's exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the call was aborted through `signal`. */
  aborted: boolean;
  /** The first `Fatal: …` line, without the prefix. */
  fatal: string | undefined;
  /** The last stderr lines that were not per-file errors (rclone's reason sits here). */
  stderrTail: string[];
  /** Files restic could not read (exit code 3). */
  warnings: FileWarning[];
  /** How many per-file errors there were in all (`warnings` keeps the first 200). */
  warningCount: number;
  summary: ResticSummary | undefined;
  stdout: string;
}

/** restic's notice on stdout, even in --json mode, when the password comes from stdin. */
const PASSWORD_NOTE = "reading repository password from stdin";
const STDERR_TAIL = 20;
const MAX_WARNINGS = 200;
const MAX_STDOUT = 64 * 1024 * 1024;
/** A SIGINTed restic removes its lock and exits within a second or two; then it is killed. */
const KILL_AFTER_MS = 10_000;

/** Environment restic gets from hearth's own: nothing secret, nothing that changes restic. */
const PASSED_ENV = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME"];

/**
 * Runs one restic command the way hearth always calls restic: `--json`, the password on stdin,
 * backend credentials in the child's environment only, a per-repository cache, niced, no shell.
 * Never throws for restic's own failures: the outcome says what happened (see classifyFailure).
 * @throws Error only when restic cannot be started at all (ENOENT: not installed).
 */
export function runRestic(call: ResticCall): Promise<ResticOutcome> {
  const base = call.env ?? process.env;
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_ENV) if (base[name] !== undefined) env[name] = base[name];
  // One progress line a second is plenty for a dashboard and costs restic and us nothing.
  env.RESTIC_PROGRESS_FPS = "1";
  Object.assign(env, call.target.env);

  const restic = call.resticPath ?? "restic";
  const resticArgs = [
    "--json",
    "--cache-dir",
    call.cacheDir,
    "-r",
    call.target.repo,
    ...call.target.args,
    ...call.args,
  ];
  const [command, args] = niced(restic, resticArgs, call.nice);

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    const outcome: ResticOutcome = {
      code: null,
      signal: null,
      aborted: false,
      fatal: undefined,
      stderrTail: [],
      warnings: [],
      warningCount: 0,
      summary: undefined,
      stdout: "",
    };
    let started = false;
    child.once("spawn", () => (started = true));
    child.once("error", (err) => {
      if (!started) reject(err);
    });

    // Not `--password-file /dev/fd/3`: Node's stdio pipes are socketpairs, and opening
    // /dev/fd/N on a socket fails (ENXIO). restic reads the password from a stdin that is not a
    // terminal; it lives only in the pipe's buffer.
    // restic may exit (bad arguments) before reading it: that EPIPE is not our error.
    child.stdin.on("error", () => undefined);
    child.stdin.end(call.password);

    const stdoutDone = readLines(child.stdout, (line) => {
      if (line === PASSWORD_NOTE) return;
      call.onLine?.(line);
      if (call.keepStdout && outcome.stdout.length < MAX_STDOUT) outcome.stdout += `${line}\n`;
      if (!line.startsWith('{"message_type"')) return;
      const parsed = parseJson(line);
      const status = statusMessage.safeParse(parsed);
      if (status.success) return call.onStatus?.(status.data);
      const summary = summaryMessage.safeParse(parsed);
      if (summary.success) outcome.summary = summary.data;
    });
    const stderrDone = readLines(child.stderr, (line) => {
      const warning = fileWarning(line);
      if (warning) {
        outcome.warningCount += 1;
        if (outcome.warnings.length < MAX_WARNINGS) outcome.warnings.push(warning);
        return;
      }
      if (line.trim() === "" || line === PASSWORD_NOTE) return;
      if (outcome.fatal === undefined && line.startsWith("Fatal: ")) outcome.fatal = line.slice(7);
      outcome.stderrTail.push(line);
      if (outcome.stderrTail.length > STDERR_TAIL) outcome.stderrTail.shift();
    });

    let killTimer: NodeJS.Timeout | undefined;
    const abort = () => {
      outcome.aborted = true;
      // SIGINT lets restic remove its lock before it exits.
      child.kill("SIGINT");
      killTimer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
      killTimer.unref();
    };
    if (call.signal?.aborted) abort();
    else call.signal?.addEventListener("abort", abort, { once: true });

    child.once("close", (code, signal) => {
      clearTimeout(killTimer);
      call.signal?.removeEventListener("abort", abort);
      void Promise.all([stdoutDone, stderrDone]).then(() => {
        outcome.code = code;
        outcome.signal = signal;
        resolve(outcome);
      });
    });
  });
}

/** `ionice -c3 nice -n 10 restic …`: applied from exec on, inherited by restic's rclone child. */
function niced(restic: string, args: string[], nice: Niceness | undefined): [string, string[]] {
  let argv = [restic, ...args];
  if (nice && nice.cpu > 0) argv = ["nice", "-n", String(nice.cpu), ...argv];
  if (nice?.ioClass) argv = ["ionice", "-c", nice.ioClass === "idle" ? "3" : "2", ...argv];
  return [argv[0] as string, argv.slice(1)];
}

function readLines(
  stream: NodeJS.ReadableStream | null,
  onLine: (line: string) => void,
): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on("line", onLine);
  return new Promise((resolve) => lines.once("close", resolve));
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined; // a torn or non-JSON line: ignored like any other noise
  }
}
