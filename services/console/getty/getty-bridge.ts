import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readlink } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { HearthError, describeError } from "../../errors.js";
import type { Logger } from "../../log/logger.js";
import { ifExists, preparePtyLink, removePtyLink } from "./prepare-pty-link.js";

export { gettyLinkPath, gettyUnitName } from "./getty-unit-name.js";

/** `starting`: socat is being (re)spawned; `ready`: the pty link exists; `stopped`: no pty. */
export type GettyBridgeState = "starting" | "ready" | "stopped";

/** What a port in getty mode gives its bridge. Nothing is spawned until start(). */
export interface GettyBridgeOptions {
  /** The port's name, for logs and errors. */
  name: string;
  /** The pty link to create, e.g. gettyLinkPath("board1") = /run/hearth/getty-board1. */
  linkPath: string;
  /** Default "socat" from PATH. */
  socatPath?: string;
  /** agetty's output (prompt, echo, shell output); the caller writes it to the serial port and its log. */
  onData: (bytes: Buffer) => void;
  /**
   * Every state change; `detail` is the pty path when ready, and the reason when stopped by a
   * failure (none after stop()).
   */
  onState?: (state: GettyBridgeState, detail?: string) => void;
  log?: Pick<Logger, "debug" | "info" | "warn">;
  /** Delays between socat respawns: doubling from initialMs up to maxMs. Default 0.5 s … 30 s. */
  respawn?: { initialMs: number; maxMs: number };
  /** How long socat may take to create the link; default 5 s. */
  startTimeoutMs?: number;
}

/** Keystrokes queued for a pty nobody reads (agetty restarting) beyond this are dropped. */
const MAX_PENDING_BYTES = 64 * 1024;
/** A socat that ran this long is healthy: its next respawn starts again at the shortest delay. */
const STABLE_MS = 60_000;
const KILL_GRACE_MS = 2_000;
const LINK_POLL_MS = 20;

/**
 * The pty side of a port in `mode: getty`: spawns `socat pty,link=<linkPath>,raw,echo=0 STDIO`,
 * so that hearth.service (no root, no native pty module) owns a pty whose master is socat's
 * stdin/stdout. A root unit, hearth-getty@<name>.service, runs agetty on the pty; bytes from the
 * serial port go in with write(), agetty's output comes out through onData. socat survives agetty
 * exiting and restarting; if socat itself dies, it is respawned with capped backoff (a new pty:
 * the unit's agetty sees a hangup, exits and resolves the link again when systemd restarts it).
 */
export class GettyBridge {
  readonly #o: GettyBridgeOptions;
  #child: ChildProcessWithoutNullStreams | undefined;
  #readyChild: ChildProcessWithoutNullStreams | undefined;
  #ptyPath: string | undefined;
  #isStopped = true;
  #respawnTimer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #readyAt = 0;
  #isDropping = false;

  constructor(options: GettyBridgeOptions) {
    this.#o = options;
  }

  /** The pty the link points to while ready, e.g. /dev/pts/5. */
  get ptyPath(): string | undefined {
    return this.#ptyPath;
  }

  /**
   * Spawns socat and resolves once the link exists. Rejects with a HearthError (socat missing,
   * link directory not writable, a non-link file in the way) and then stays stopped; later deaths
   * of socat are handled by respawning, reported through onState and the log.
   */
  async start(): Promise<void> {
    if (!this.#isStopped) return;
    this.#isStopped = false;
    try {
      await this.#spawn();
    } catch (err) {
      this.#isStopped = true;
      this.#state("stopped", describeError(err));
      throw err;
    }
  }

  /**
   * Bytes from the serial port (the far terminal typing) into the pty, for agetty. Dropped while
   * there is no pty (socat respawning) or while agetty reads nothing and 64 KiB are queued: a
   * login prompt is answered by typing again, and memory must not grow without bound.
   */
  write(bytes: Buffer): void {
    const stdin = this.#readyChild?.stdin;
    if (stdin === undefined || !stdin.writable || stdin.writableLength > MAX_PENDING_BYTES) {
      if (!this.#isDropping)
        this.#o.log?.warn(
          { port: this.#o.name, bytes: bytes.length },
          "login console pty is not taking input; dropping keystrokes until it does",
        );
      this.#isDropping = true;
      return;
    }
    this.#isDropping = false;
    stdin.write(bytes);
  }

  /** Stops respawning, kills socat and removes the link. */
  async stop(): Promise<void> {
    if (this.#isStopped) return;
    this.#isStopped = true;
    clearTimeout(this.#respawnTimer);
    const child = this.#child;
    if (child !== undefined) await killAndWait(child);
    // socat removes its link when it exits on SIGTERM, not after SIGKILL.
    await removePtyLink(this.#o.linkPath);
    this.#ptyPath = undefined;
    this.#state("stopped");
  }

  async #spawn(): Promise<void> {
    const { linkPath, name } = this.#o;
    this.#state("starting");
    await preparePtyLink(name, linkPath);
    // stop() may have run while the link was prepared; it found no socat to kill, so spawn none.
    if (this.#isStopped)
      throw new HearthError("E_NOT_RUNNING", `getty bridge for ${name}: stopped`);
    const child = spawn(this.#o.socatPath ?? "socat", [
      "-d",
      `pty,link=${linkPath},raw,echo=0`,
      "STDIO",
    ]);
    this.#child = child;
    let stderr = "";
    let startError: Error | undefined;
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.stdout.on("data", (bytes: Buffer) => this.#deliver(bytes));
    child.stdin.on("error", (err) => {
      // EPIPE after socat died: its "close" below reports and respawns; the bytes are lost anyway.
      this.#o.log?.debug({ port: name, err }, "login console pty input failed");
    });
    child.on("error", (err) => (startError = err));
    child.once("close", (code, signal) => this.#exited(child, code, signal, stderr));
    const pty = await this.#waitForLink(
      child,
      () => startError,
      () => stderr,
    );
    this.#readyChild = child;
    this.#ptyPath = pty;
    this.#readyAt = Date.now();
    this.#isDropping = false;
    this.#o.log?.info(
      { port: name, pty, link: linkPath },
      `login console pty ready; hearth-getty@${name}.service runs agetty on it`,
    );
    this.#state("ready", pty);
  }

  async #waitForLink(
    child: ChildProcessWithoutNullStreams,
    startError: () => Error | undefined,
    stderr: () => string,
  ): Promise<string> {
    const { linkPath, name } = this.#o;
    const deadline = Date.now() + (this.#o.startTimeoutMs ?? 5_000);
    for (;;) {
      const error = startError();
      if (error !== undefined)
        throw new HearthError(
          "E_PEER_DOWN",
          `getty bridge for ${name}: cannot run socat: ${error.message}`,
          {
            fix: "Install socat (apt install socat).",
            cause: error,
          },
        );
      if (child.exitCode !== null || child.signalCode !== null || this.#isStopped) {
        const how = this.#isStopped
          ? "was stopped"
          : `exited with ${child.exitCode ?? child.signalCode}`;
        throw new HearthError(
          "E_PEER_DOWN",
          `getty bridge for ${name}: socat ${how} before creating ${linkPath}: ${stderr().trim()}`,
          {
            fix: `Check that ${dirname(linkPath)} exists and hearth may write there (hearth.service creates /run/hearth with RuntimeDirectory=hearth).`,
          },
        );
      }
      const target = await ifExists(readlink(linkPath));
      if (target !== undefined) return target;
      if (Date.now() > deadline) {
        await killAndWait(child);
        throw new HearthError(
          "E_PEER_DOWN",
          `getty bridge for ${name}: socat did not create ${linkPath}`,
          {
            fix: "Run the same socat by hand to see why: socat -d -d pty,link=/tmp/x,raw,echo=0 STDIO",
          },
        );
      }
      await delay(LINK_POLL_MS);
    }
  }

  #exited(
    child: ChildProcessWithoutNullStreams,
    code: number | null,
    signal: NodeJS.Signals | null,
    stderr: string,
  ): void {
    if (this.#child === child) this.#child = undefined;
    // Only a socat that got ready is respawned from here; one dying during #spawn fails #spawn.
    if (this.#readyChild !== child) return;
    this.#readyChild = undefined;
    this.#ptyPath = undefined;
    if (this.#isStopped) return;
    const tail = stderr.trim().split("\n").at(-1) ?? "";
    const how = `socat exited with ${code ?? signal}${tail ? `: ${tail}` : ""}`;
    if (Date.now() - this.#readyAt >= STABLE_MS) this.#attempt = 0;
    this.#scheduleRespawn(how);
  }

  #scheduleRespawn(reason: string): void {
    const { initialMs, maxMs } = this.#o.respawn ?? { initialMs: 500, maxMs: 30_000 };
    this.#attempt += 1;
    const delayMs = Math.min(maxMs, initialMs * 2 ** Math.min(this.#attempt - 1, 30));
    const text = `${reason}; starting it again in ${delayMs / 1000} s`;
    this.#o.log?.warn({ port: this.#o.name }, `login console pty lost: ${text}`);
    this.#state("stopped", text);
    this.#respawnTimer = setTimeout(() => {
      this.#spawn().catch((err: unknown) => {
        // stop() during a respawn kills the new socat and makes #spawn fail: nothing to retry.
        if (!this.#isStopped) this.#scheduleRespawn(describeError(err));
      });
    }, delayMs);
  }

  #deliver(bytes: Buffer): void {
    try {
      this.#o.onData(bytes);
    } catch (err) {
      // STYLE: a throwing listener is logged, not propagated into socat's stream handling.
      if (this.#o.log === undefined) throw err;
      this.#o.log.warn({ port: this.#o.name, err }, "login console output handler failed");
    }
  }

  #state(state: GettyBridgeState, detail?: string): void {
    this.#o.onState?.(state, detail);
  }
}

async function killAndWait(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
  await closed;
  clearTimeout(timer);
}
