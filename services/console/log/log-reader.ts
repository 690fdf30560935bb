import { type FSWatcher, statSync, watch } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { join } from "node:path";
import { HearthError, describeError } from "../../errors.js";

const LF = 0x0a;
const READ_BYTES = 64 * 1024;

/**
 * The last `maxBytes` of a port's current log (`<dir>/<name>.log`), cut to begin at a line start
 * (unless the window holds no line start at all). Reads the file directly, so it works while the
 * daemon is down. Rejects with a HearthError when the log does not exist or cannot be read.
 */
export async function readLogTail(dir: string, name: string, maxBytes: number): Promise<Buffer> {
  const file = logPath(dir, name);
  const handle = await openLog(file, name);
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - Math.max(0, maxBytes));
    // One byte before the window says whether the window already begins a line.
    const from = start === 0 ? 0 : start - 1;
    const bytes = await readRange(handle, from, size - from);
    if (start === 0) return bytes;
    const newline = bytes.indexOf(LF);
    return newline === -1 ? bytes.subarray(1) : bytes.subarray(newline + 1);
  } finally {
    await handle.close();
  }
}

/**
 * Like `tail -F`: hands every byte appended to the port's log to `onChunk`, from the end of the
 * file at call time (or from the start of a log that appears later), and keeps following across
 * rotation (the file renamed away and a new one created) and truncation. Driven by `fs.watch` on
 * the folder, no polling. Resolves when `signal` aborts; rejects if the folder is missing, the file
 * cannot be read, or `onChunk` throws.
 */
export function followLog(
  dir: string,
  name: string,
  onChunk: (bytes: Buffer) => void,
  signal: AbortSignal,
): Promise<void> {
  return new LogFollower(dir, name, onChunk).run(signal);
}

class LogFollower {
  readonly #dir: string;
  readonly #fileName: string;
  readonly #onChunk: (bytes: Buffer) => void;
  readonly #buffer = Buffer.allocUnsafe(READ_BYTES);
  #handle: FileHandle | undefined;
  #inode = -1;
  #position = 0;
  #pumping: Promise<void> | undefined;
  #isPumpAgain = false;
  #error: unknown;
  #isStopped = false;
  /** The start position is settled; until then a pump would race the opening. */
  #isOpen = false;
  #resolveStopped: () => void = () => undefined;

  constructor(dir: string, name: string, onChunk: (bytes: Buffer) => void) {
    this.#dir = dir;
    this.#fileName = `${name}.log`;
    this.#onChunk = onChunk;
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    // Where the file ends, noted before any await: every byte appended after this call is
    // delivered, and nothing before it. What changes before the watch starts, the first pump sees.
    const start = statSyncIfExists(join(this.#dir, this.#fileName));
    const watcher = this.#watch();
    // Always resolves; a failure is kept in #error, so nothing rejects before it is awaited.
    const stopped = new Promise<void>((resolve) => (this.#resolveStopped = resolve));
    const onAbort = (): void => this.#stop();
    signal.addEventListener("abort", onAbort, { once: true });
    watcher.on("error", (err) => this.#fail(err));
    watcher.on("change", (_event, file) => {
      if (file === null || file === this.#fileName) this.#kick();
    });
    try {
      await this.#openAt(start);
      // Events that came while opening were held back: this pass covers them.
      this.#isOpen = true;
      this.#kick();
      await stopped;
    } finally {
      signal.removeEventListener("abort", onAbort);
      watcher.close();
      await this.#pumping;
      await this.#handle?.close();
    }
    if (this.#error !== undefined) throw this.#error;
  }

  #watch(): FSWatcher {
    try {
      return watch(this.#dir);
    } catch (err) {
      throw new HearthError("E_USAGE", `cannot watch the console log folder ${this.#dir}`, {
        cause: err,
        fix: "Check the data folder (--data); the folder appears when the first port logs.",
      });
    }
  }

  #stop(): void {
    this.#isStopped = true;
    this.#resolveStopped();
  }

  #fail(err: unknown): void {
    this.#error ??= err;
    this.#stop();
  }

  /** Opens the file found at call time at its end then; a file that replaced it is read whole. */
  async #openAt(start: FileSpot | undefined): Promise<void> {
    if (start === undefined) return;
    const path = join(this.#dir, this.#fileName);
    if ((await statIfExists(path)) === undefined || !(await this.#switchTo(path))) return;
    if (this.#inode === start.ino) this.#position = start.size;
  }

  /** Runs a pump, or asks the running one for another pass: events arrive in bursts. */
  #kick(): void {
    if (this.#isStopped || !this.#isOpen) return;
    if (this.#pumping !== undefined) {
      this.#isPumpAgain = true;
      return;
    }
    this.#pumping = (async () => {
      try {
        do {
          this.#isPumpAgain = false;
          await this.#pump();
        } while (this.#isPumpAgain && !this.#isStopped);
      } catch (err) {
        this.#fail(err);
      } finally {
        this.#pumping = undefined;
      }
    })();
  }

  async #pump(): Promise<void> {
    // Drain the file we hold first: after a rotation its last bytes are still to be shown.
    await this.#drain();
    const path = join(this.#dir, this.#fileName);
    const current = await statIfExists(path);
    if (current === undefined) return; // rotated away; the next file is not there yet
    if (current.ino !== this.#inode) {
      if (!(await this.#switchTo(path))) return;
    } else if (current.size < this.#position) this.#position = 0; // truncated: start over
    await this.#drain();
  }

  /** Follows the file now at `path`; false when it vanished meanwhile (the next event retries). */
  async #switchTo(path: string): Promise<boolean> {
    await this.#handle?.close();
    this.#handle = undefined;
    this.#inode = -1;
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (err) {
      // Rotated again between stat and open: the creation of the next file wakes us up.
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw err;
    }
    this.#handle = handle;
    this.#inode = (await handle.stat()).ino;
    this.#position = 0;
    return true;
  }

  async #drain(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    while (!this.#isStopped) {
      const { bytesRead } = await handle.read(this.#buffer, 0, READ_BYTES, this.#position);
      if (bytesRead === 0) return;
      this.#position += bytesRead;
      this.#onChunk(Buffer.from(this.#buffer.subarray(0, bytesRead)));
    }
  }
}

function logPath(dir: string, name: string): string {
  return join(dir, `${name}.log`);
}

async function openLog(file: string, name: string): Promise<FileHandle> {
  try {
    return await open(file, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new HearthError("E_USAGE", `there is no console log ${file}`, {
        cause: err,
        fix: `The port "${name}" may never have logged: check its name under console.ports, and that its board has printed something since hearth started.`,
      });
    }
    throw new HearthError("E_USAGE", `cannot read the console log ${file}: ${describeError(err)}`, {
      cause: err,
      fix: "Run the command as the user hearth runs as, or as a member of its group.",
    });
  }
}

async function readRange(handle: FileHandle, from: number, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, from + filled);
    if (bytesRead === 0) break; // truncated meanwhile: return what there was
    filled += bytesRead;
  }
  return bytes.subarray(0, filled);
}

interface FileSpot {
  ino: number;
  size: number;
}

function statSyncIfExists(path: string): FileSpot | undefined {
  // A single stat at the start of `hearth console log -f`, in a CLI process: sync is fine here.
  const found = statSync(path, { throwIfNoEntry: false });
  return found === undefined ? undefined : { ino: found.ino, size: found.size };
}

async function statIfExists(path: string): Promise<FileSpot | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    // Between a rotation's rename and the next write there is no current file: not an error.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
