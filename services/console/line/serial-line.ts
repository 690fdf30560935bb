import type { BindingInterface, BindingPortInterface } from "@serialport/bindings-cpp";
import { autoDetect } from "@serialport/bindings-cpp";
import { existsSync } from "node:fs";
import { describeError } from "../../errors.js";
import type { ConsolePortConfig } from "../config-schema.js";
import { findPortHolders, type PortHolder } from "./port-holders.js";
import { TtyReader } from "./tty-reader.js";
import { isUnixPort, readSome, writeAll } from "./unix-io.js";
import { PathWatch } from "./path-watch.js";

/** Where a serial line is in its life. `unplugged` was open and vanished; `absent` never appeared. */
export type LineState = "absent" | "opening" | "open" | "unplugged" | "busy" | "failed" | "closed";

export interface LineStateChange {
  state: LineState;
  /** A sentence for people: why it is busy, what failed. */
  detail?: string;
  /** Who holds the port when it is busy (picocom, minicom, another hearth). */
  holders?: PortHolder[];
}

export type LineSettings = Pick<
  ConsolePortConfig,
  "baud" | "dataBits" | "parity" | "stopBits" | "flowControl" | "dtr"
>;

export interface SerialLineOptions {
  path: string;
  settings: LineSettings;
  onData: (bytes: Buffer) => void;
  onState: (change: LineStateChange) => void;
  /** The OS binding; tests pass @serialport/binding-mock. */
  binding?: BindingInterface;
}

const READ_POOL_BYTES = 65536;
const MIN_READ_BYTES = 4096;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * One serial port held open for as long as hearth runs (conserver's model, not ser2net's): opens
 * it when its path exists, reads without batching (each read is handed on at once: keystroke echo
 * must not wait), and when the adapter is pulled out waits for its link to come back (inotify on
 * the link's folder, no polling loop) and reopens it. Never throws into the caller.
 */
export class SerialLine {
  readonly #options: SerialLineOptions;
  readonly #binding: BindingInterface;
  #port: BindingPortInterface | undefined;
  #reader: TtyReader | undefined;
  #state: LineStateChange = { state: "closed" };
  #isStopped = true;
  #retryMs = RETRY_MIN_MS;
  #retryTimer: NodeJS.Timeout | undefined;
  #watch: PathWatch | undefined;
  #pool = Buffer.allocUnsafe(READ_POOL_BYTES);
  #poolOffset = 0;
  #writeQueue: Buffer[] = [];
  #isWriting = false;
  #dtr = true;
  #rts = true;

  constructor(options: SerialLineOptions) {
    this.#options = options;
    this.#binding = options.binding ?? autoDetect();
  }

  get state(): LineStateChange {
    return this.#state;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen === true;
  }

  /** Starts trying to open the port; the outcome arrives through `onState`. */
  start(): void {
    if (!this.#isStopped) return;
    this.#isStopped = false;
    this.#watch = new PathWatch(this.#options.path, () => this.#onPathChange());
    void this.#open();
  }

  /**
   * Queues bytes for the board. Returns false when the port is not open (the bytes are dropped:
   * a keystroke typed into an unplugged port must not arrive minutes later).
   */
  write(bytes: Buffer): boolean {
    if (!this.isOpen) return false;
    this.#writeQueue.push(bytes);
    if (!this.#isWriting) void this.#drainWrites();
    return true;
  }

  /**
   * A timed serial break. bindings-cpp's set() always writes the modem lines too, so the current
   * DTR/RTS go along: a reset-wired board (DTR to EN) must not reset because someone sent a break.
   */
  async sendBreak(durationMs: number): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) throw new Error("the port is not open");
    await port.set({ brk: true, dtr: this.#dtr, rts: this.#rts });
    await new Promise((resolve) => setTimeout(resolve, durationMs));
    if (port.isOpen) await port.set({ brk: false, dtr: this.#dtr, rts: this.#rts });
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#retryTimer);
    this.#watch?.close();
    this.#watch = undefined;
    const port = this.#port;
    this.#port = undefined;
    this.#reader?.close();
    this.#reader = undefined;
    this.#writeQueue = [];
    if (port?.isOpen) {
      await port.close().catch(() => {
        // Closing a port whose adapter is already gone fails with EBADF; it is closed either way.
      });
    }
    this.#setState({ state: "closed" });
  }

  async #open(): Promise<void> {
    clearTimeout(this.#retryTimer);
    if (this.#isStopped || this.#port) return;
    this.#setState({ state: "opening" });
    const { settings, path } = this.#options;
    let port: BindingPortInterface;
    try {
      port = await this.#binding.open({
        path,
        baudRate: settings.baud,
        dataBits: settings.dataBits,
        stopBits: settings.stopBits,
        parity: settings.parity,
        rtscts: settings.flowControl === "rtscts",
        xon: settings.flowControl === "xonxoff",
        xoff: settings.flowControl === "xonxoff",
        // flock(LOCK_EX|LOCK_NB): picocom and minicom use the same lock and refuse a held port.
        lock: true,
        // HUPCL drops DTR on close: a board wired for auto-reset would reboot when hearth stops.
        hupcl: settings.dtr === "off",
      });
    } catch (err) {
      await this.#openFailed(err);
      return;
    }
    if (this.#isStopped) {
      await port.close().catch(() => {
        // Stopped while opening: the port was never handed out, nothing else uses it.
      });
      return;
    }
    this.#port = port;
    this.#retryMs = RETRY_MIN_MS;
    const modemDetail = await this.#applyDtr(port);
    this.#setState({ state: "open", ...(modemDetail ? { detail: modemDetail } : {}) });
    this.#startReading(port);
  }

  async #applyDtr(port: BindingPortInterface): Promise<string | undefined> {
    const dtr = this.#options.settings.dtr;
    if (dtr === "keep") return undefined;
    this.#dtr = dtr === "on";
    try {
      await port.set({ dtr: this.#dtr, rts: this.#rts });
      return undefined;
    } catch (err) {
      return `DTR cannot be set on this device (${describeError(err)})`;
    }
  }

  async #openFailed(err: unknown): Promise<void> {
    const code = (err as NodeJS.ErrnoException).code;
    const message = describeError(err);
    if (code === "ENOENT" || /ENOENT|No such file/.test(message)) {
      // Waiting for the link to appear is the watcher's job; no retry timer.
      this.#setState({
        state: this.#state.state === "open" ? "unplugged" : this.#absentState(),
        detail: `${this.#options.path} does not exist; waiting for the adapter`,
      });
      return;
    }
    if (/lock|EBUSY|EAGAIN|Resource temporarily unavailable/i.test(message)) {
      const holders = await findPortHolders(this.#options.path);
      const who = holders.map((h) => `${h.command} (pid ${h.pid})`).join(", ");
      this.#setState({
        state: "busy",
        detail: `another program holds the port${who ? `: ${who}` : ""}; hearth retries until it lets go`,
        holders,
      });
    } else {
      this.#setState({ state: "failed", detail: `cannot open ${this.#options.path}: ${message}` });
    }
    this.#scheduleRetry();
  }

  #absentState(): LineState {
    return this.#state.state === "unplugged" ? "unplugged" : "absent";
  }

  #scheduleRetry(): void {
    if (this.#isStopped) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.#open(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
  }

  /** Through a tty stream where the OS allows it (see TtyReader), else the binding's reads. */
  #startReading(port: BindingPortInterface): void {
    if (isUnixPort(port)) {
      try {
        this.#reader = new TtyReader(this.#options.path, {
          onData: (bytes) => {
            if (this.#port === port) this.#options.onData(bytes);
          },
          onEnd: (err) => {
            if (this.#port === port) void this.#lost(port, err);
          },
        });
        return;
      } catch {
        // Not openable twice (permissions changed under us): the binding's own reads still work.
      }
    }
    void this.#readLoop(port);
  }

  async #readLoop(port: BindingPortInterface): Promise<void> {
    for (;;) {
      if (this.#pool.length - this.#poolOffset < MIN_READ_BYTES) {
        this.#pool = Buffer.allocUnsafe(READ_POOL_BYTES);
        this.#poolOffset = 0;
      }
      const offset = this.#poolOffset;
      let bytesRead: number;
      try {
        bytesRead = await readSome(port, this.#pool, offset, this.#pool.length - offset);
      } catch (err) {
        if (this.#port === port) await this.#lost(port, err);
        return;
      }
      if (this.#port !== port) return;
      this.#poolOffset += bytesRead;
      // A view, not a copy: the pool is never written again below poolOffset.
      this.#options.onData(this.#pool.subarray(offset, offset + bytesRead));
    }
  }

  /** The adapter went away (USB pulled, socat gone): close our end and wait for it to return. */
  async #lost(port: BindingPortInterface, err: unknown): Promise<void> {
    this.#port = undefined;
    this.#reader?.close();
    this.#reader = undefined;
    this.#writeQueue = [];
    await port.close().catch(() => {
      // The device is gone; the descriptor is released either way.
    });
    if (this.#isStopped) return;
    this.#setState({
      state: "unplugged",
      detail: `the adapter went away (${describeError(err)}); waiting for it to come back`,
    });
    // The link may already be back (a quick replug) or the error may not have been an unplug.
    this.#scheduleRetry();
  }

  #onPathChange(): void {
    const port = this.#port;
    if (port && !existsSync(this.#options.path)) {
      // The adapter's link went away: it was pulled, whatever the pending read says.
      void this.#lost(port, new Error("its link disappeared"));
      return;
    }
    if (this.#isStopped || this.#port) return;
    this.#retryMs = RETRY_MIN_MS;
    void this.#open();
  }

  async #drainWrites(): Promise<void> {
    this.#isWriting = true;
    try {
      while (this.#writeQueue.length > 0) {
        const port = this.#port;
        if (!port?.isOpen) break;
        const queued = this.#writeQueue;
        this.#writeQueue = [];
        const chunk = queued.length === 1 ? queued[0]! : Buffer.concat(queued);
        try {
          await writeAll(port, chunk);
        } catch {
          // A failed write means the device went away; the read loop sees the same and reopens.
          break;
        }
      }
    } finally {
      this.#isWriting = false;
    }
  }

  #setState(change: LineStateChange): void {
    const same = change.state === this.#state.state && change.detail === this.#state.detail;
    this.#state = change;
    if (!same) this.#options.onState(change);
  }
}
