import { constants, openSync } from "node:fs";
import { ReadStream } from "node:tty";

/**
 * Reads a serial port through a second descriptor of the same tty, wrapped in Node's tty stream:
 * libuv keeps that descriptor in epoll for good and reads straight into buffers, where
 * bindings-cpp's one-shot poller re-arms epoll (three epoll_ctl calls) for every read. At 115200
 * baud a USB adapter delivers a dozen bytes a millisecond, so that churn was most of hearth's
 * CPU per MB. The port stays open through bindings-cpp, whose descriptor keeps the flock (picocom
 * and minicom see the port busy), the termios settings and the modem lines; this one only reads.
 * libuv reopens a tty it is given and dup2()s the new description onto the descriptor (see
 * uv_tty_init), which would drop a flock held there: hence a descriptor of our own for it.
 */
export class TtyReader {
  readonly #stream: ReadStream;
  #isClosed = false;

  /** Throws when the device cannot be opened a second time; the caller then reads another way. */
  constructor(
    devicePath: string,
    handlers: { onData: (bytes: Buffer) => void; onEnd: (err: Error) => void },
  ) {
    const fd = openSync(devicePath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    this.#stream = new ReadStream(fd);
    this.#stream.on("data", (bytes: Buffer) => handlers.onData(bytes));
    const ended = (err: Error) => {
      if (this.#isClosed) return;
      this.#isClosed = true;
      handlers.onEnd(err);
    };
    // A tty whose adapter hung up reads EIO or end of file.
    this.#stream.on("error", (err) => ended(err));
    this.#stream.on("end", () => ended(new Error("the device hung up")));
  }

  close(): void {
    this.#isClosed = true;
    this.#stream.destroy();
  }
}
