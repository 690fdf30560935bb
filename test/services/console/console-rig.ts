import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeBoard, type FakeBoard } from "../../fixtures/serial/fake-board.js";
import { startPtyPair, type PtyPair } from "../../fixtures/serial/pty-pair.js";
import { MAIN, freePort, startHearth, type HearthProcess } from "../../support/hearth-process.js";

/** The real compiled hearth holding a socat pty pair with the fake board on the far end. */
export interface ConsoleRig {
  hearth: HearthProcess;
  pair: PtyPair;
  board: FakeBoard;
  /** The board's power file: "on" or "off", written by the command power driver. */
  powerFile: string;
  tcpPort: number;
  /** <data>/console/logs/board.log */
  logPath: string;
  /** Runs `hearth <args>` (the CLI) against this daemon. */
  cli(
    args: string[],
    input?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/**
 * Starts the rig: pty pair, fake board (booted and waiting at its prompt), hearth with one
 * console `board` on the pair, a raw TCP listener on loopback and a command power driver.
 */
export async function startConsoleRig(options: { logMaxBytes?: number } = {}): Promise<ConsoleRig> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-console-"));
  const pair = await startPtyPair({ dir });
  const powerFile = join(dir, "power");
  writeFileSync(powerFile, "on\n");
  const tcpPort = await freePort();
  const config = join(dir, "hearth.yaml");
  writeFileSync(
    config,
    [
      "media: { roots: [] }",
      "console:",
      "  autoDiscover: false",
      "  ports:",
      "    board:",
      `      path: ${pair.hostPath}`,
      `      tcp: { port: ${tcpPort}, listen: 127.0.0.1 }`,
      `      log: { maxBytes: ${options.logMaxBytes ?? 4194304}, generations: 2 }`,
      "      power:",
      "        driver: command",
      `        on: echo on > ${powerFile}`,
      `        off: echo off > ${powerFile}`,
      "        cycleSeconds: 1",
      "",
    ].join("\n"),
  );
  const hearth = await startHearth({ args: ["--config", config] });
  await hearth.waitForLog((l) => l.svc === "console" && /port open/.test(String(l.msg)));
  // The board boots once hearth holds the port: opening a tty flushes what was sent before.
  const board = await startFakeBoard({ boardPath: pair.boardPath, powerFile });
  const env = { ...process.env, HOME: hearth.home, HEARTH_DATA: hearth.dataDir };
  return {
    hearth,
    pair,
    board,
    powerFile,
    tcpPort,
    logPath: join(hearth.dataDir, "console", "logs", "board.log"),
    cli: (args, input) => runCli([...args, "--config", config], env, input),
    async close() {
      await hearth.stop();
      hearth.cleanup();
      await board.stop();
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("latin1")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  if (input !== undefined) child.stdin.end(input);
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

/** A raw TCP client of a console port, as nc would be. */
export class TcpConsoleClient {
  readonly socket: Socket;
  /** Received chunks, never joined in place: a 16 MB flood comes in ~250 of them. */
  #chunks: Buffer[] = [];
  /** Where each chunk starts in the whole stream. */
  #starts: number[] = [];
  #length = 0;
  #waiters = new Set<() => void>();
  #isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (bytes: Buffer) => {
      this.#chunks.push(bytes);
      this.#starts.push(this.#length);
      this.#length += bytes.length;
      this.#wake();
    });
    socket.on("close", () => {
      this.#isClosed = true;
      this.#wake();
    });
    socket.on("error", () => {
      // The server dropping a client is what some tests expect; 'close' follows.
    });
  }

  static async connect(port: number): Promise<TcpConsoleClient> {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new TcpConsoleClient(socket);
  }

  /** Everything received, as latin1 text (bytes kept one to one). */
  text(): string {
    return this.bytes().toString("latin1");
  }

  /** All bytes so far. */
  bytes(): Buffer {
    return this.#from(0);
  }

  /**
   * The bytes from offset `start` on, joining only the chunks that hold them: waiters look at
   * what came since their last look, and joining everything on every chunk (quadratic in a
   * flood) made this client read slower than hearth sent, until hearth dropped it as stuck.
   */
  #from(start: number): Buffer {
    start = Math.max(0, start);
    if (start >= this.#length) return Buffer.alloc(0);
    let first = this.#chunks.length - 1;
    while (first > 0 && this.#starts[first]! > start) first--;
    const tail = Buffer.concat(this.#chunks.slice(first));
    return tail.subarray(start - this.#starts[first]!);
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  write(text: string): void {
    this.socket.write(Buffer.from(text, "latin1"));
  }

  /**
   * Resolves once the received text (from `from` on) contains `text`. Each check looks only at
   * what arrived since the last one, plus an overlap for a match split across chunks.
   */
  waitFor(text: string | RegExp, from = 0, timeoutMs = 10_000): Promise<void> {
    const OVERLAP = 512;
    let searchedTo = from;
    return this.#until(
      () => {
        const start = Math.max(from, searchedTo - OVERLAP);
        searchedTo = this.#length;
        if (start >= this.#length) return false;
        const seen = this.#from(start).toString("latin1");
        return typeof text === "string" ? seen.includes(text) : text.test(seen);
      },
      () =>
        `${String(text)}; last received ${JSON.stringify(this.#from(this.#length - 300).toString("latin1"))}`,
      timeoutMs,
    );
  }

  waitClosed(timeoutMs = 10_000): Promise<void> {
    return this.#until(
      () => this.#isClosed,
      () => "the connection to close",
      timeoutMs,
    );
  }

  close(): void {
    this.socket.destroy();
  }

  #until(test: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!test()) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what()}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
