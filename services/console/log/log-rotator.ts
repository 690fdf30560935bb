import { createReadStream, createWriteStream } from "node:fs";
import { readdir, rename, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { describeError } from "../../errors.js";

export interface LogRotatorOptions {
  /** Folder of the logs. */
  dir: string;
  /** Port name: the current file is `<name>.log`, rotated ones `<name>.log.1.gz` (newest) on. */
  name: string;
  /** Rotated files kept. */
  generations: number;
  now: () => Date;
  /** A compression that failed; its uncompressed file stays and is retried at the next start. */
  onError: (err: Error) => void;
}

/**
 * Rotates one port's log: `rotate()` only renames the current file aside (fast, so the writer can
 * start the next file at once); gzip, shifting the generations and deleting the oldest happen
 * afterwards on a queue of their own, one file at a time and in rotation order.
 */
export class LogRotator {
  readonly #options: LogRotatorOptions;
  readonly #asidePattern: RegExp;
  #queue: Promise<void> = Promise.resolve();
  #sequence = 0;

  constructor(options: LogRotatorOptions) {
    this.#options = options;
    const name = options.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    this.#asidePattern = new RegExp(`^${name}\\.log\\.rotating-(\\d+)-(\\d+)$`);
  }

  /** The file being written: `<dir>/<name>.log`. */
  get currentPath(): string {
    return join(this.#options.dir, `${this.#options.name}.log`);
  }

  /** Path of generation `n` (1 = newest). */
  generationPath(n: number): string {
    return `${this.currentPath}.${n}.gz`;
  }

  /** Moves the current file aside and queues its compression. Rejects when the rename fails. */
  async rotate(): Promise<void> {
    const stamp = `${this.#options.now().getTime()}-${this.#sequence++}`;
    const aside = `${this.currentPath}.rotating-${stamp}`;
    await rename(this.currentPath, aside);
    this.#enqueue(aside);
  }

  /**
   * Queues the files a crash left renamed but not compressed, oldest first, and removes their
   * half-written archives. Call once before the first rotation.
   */
  async recover(): Promise<void> {
    const entries = await readdir(this.#options.dir);
    const asides: Array<{ file: string; order: [number, number] }> = [];
    for (const file of entries) {
      if (file.endsWith(".gz") && this.#asidePattern.test(file.slice(0, -3))) {
        await rm(join(this.#options.dir, file), { force: true });
        continue;
      }
      const match = this.#asidePattern.exec(file);
      if (match) asides.push({ file, order: [Number(match[1]), Number(match[2])] });
    }
    asides.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
    for (const aside of asides) this.#enqueue(join(this.#options.dir, aside.file));
  }

  /** Resolves when every queued compression has finished (or failed and been reported). */
  idle(): Promise<void> {
    return this.#queue;
  }

  #enqueue(aside: string): void {
    this.#queue = this.#queue.then(() =>
      this.#compress(aside).catch((err: unknown) => {
        this.#options.onError(
          new Error(
            `cannot compress the rotated console log ${aside}: ${describeError(err)}; it stays uncompressed and is retried at the next start`,
            { cause: err },
          ),
        );
      }),
    );
  }

  async #compress(aside: string): Promise<void> {
    if (this.#options.generations < 1) {
      await unlink(aside);
      return;
    }
    // Compress first, under a name of its own: the slow part must not leave a gap in the
    // generations if it fails (disk full), and recover() knows to delete such a leftover.
    const archive = `${aside}.gz`;
    try {
      await pipeline(createReadStream(aside), createGzip(), createWriteStream(archive));
    } catch (err) {
      await rm(archive, { force: true });
      throw err;
    }
    await this.#shiftGenerations();
    await rename(archive, this.generationPath(1));
    await unlink(aside);
  }

  /** `.1.gz` → `.2.gz` …; deletes what would land past `generations` (even after it shrank). */
  async #shiftGenerations(): Promise<void> {
    const prefix = `${this.#options.name}.log.`;
    const numbers: number[] = [];
    for (const file of await readdir(this.#options.dir)) {
      const match = file.startsWith(prefix) ? /^(\d+)\.gz$/.exec(file.slice(prefix.length)) : null;
      if (match) numbers.push(Number(match[1]));
    }
    numbers.sort((a, b) => b - a);
    for (const n of numbers) {
      if (n >= this.#options.generations) await unlink(this.generationPath(n));
      else await rename(this.generationPath(n), this.generationPath(n + 1));
    }
  }
}
