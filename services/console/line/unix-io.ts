import { readSync, writeSync } from "node:fs";
import type { BindingPortInterface } from "@serialport/bindings-cpp";

/** What bindings-cpp's Unix ports have besides the interface: the descriptor and its poller. */
interface UnixPort {
  fd: number | null;
  poller: {
    once(event: PollEvent, callback: (err: Error | null) => void): void;
    poll(flags: number): void;
    listenerCount(event: PollEvent): number;
  };
}

type PollEvent = "readable" | "writable";

/** bindings-cpp's flags for Poller.poll (its EVENTS: UV_READABLE, UV_WRITABLE). */
const POLL_FLAGS: Record<PollEvent, number> = { readable: 0b01, writable: 0b10 };

/**
 * Reads and writes on the port's non-blocking descriptor directly, waiting on bindings-cpp's
 * poller only when the descriptor has nothing (EAGAIN), the way ser2net does with poll(2):
 * - bindings-cpp's own read goes through the libuv thread pool for every read, and at 115200
 *   baud a USB adapter delivers a dozen bytes a millisecond, so the hops dominated hearth's CPU
 *   per MB and added to every keystroke's echo;
 * - its read retries a 0-byte read forever (serialport/bindings-cpp#162), and a tty whose
 *   adapter hung up while output was flowing reads 0 for good: hearth spun at 100 % CPU.
 *   Here 0 bytes means "hung up".
 * Ports of other bindings (the mock in tests) use their own read and write.
 */
export async function readSome(
  port: BindingPortInterface,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<number> {
  const unix = asUnix(port);
  if (!unix) return (await port.read(buffer, offset, length)).bytesRead;
  for (;;) {
    // Wait first, even when more is probably there: a read loop of synchronous reads would keep
    // the event loop in microtasks during a flood, and sockets and timers would starve.
    await wait(port, unix, "readable");
    const fd = openFd(port, unix);
    try {
      const bytesRead = readSync(fd, buffer, offset, length, null);
      if (bytesRead === 0) throw new Error("the device hung up");
      return bytesRead;
    } catch (err) {
      if (!isWouldBlock(err)) throw err;
    }
  }
}

/** Writes all of `bytes`, waiting for room when the tty's output buffer is full. */
export async function writeAll(port: BindingPortInterface, bytes: Buffer): Promise<void> {
  const unix = asUnix(port);
  if (!unix) return port.write(bytes);
  let offset = 0;
  while (offset < bytes.length) {
    const fd = openFd(port, unix);
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (err) {
      if (!isWouldBlock(err)) throw err;
      await wait(port, unix, "writable");
    }
  }
}

/** A bindings-cpp port on Linux (a descriptor and a poller), not the mock of the tests. */
export function isUnixPort(port: BindingPortInterface): boolean {
  return asUnix(port) !== undefined;
}

function asUnix(port: BindingPortInterface): UnixPort | undefined {
  const unix = port as unknown as Partial<UnixPort>;
  return typeof unix.fd === "number" && typeof unix.poller?.poll === "function"
    ? (unix as UnixPort)
    : undefined;
}

function openFd(port: BindingPortInterface, unix: UnixPort): number {
  if (typeof unix.fd !== "number" || !port.isOpen)
    throw Object.assign(new Error("the port was closed"), { canceled: true });
  return unix.fd;
}

function wait(port: BindingPortInterface, unix: UnixPort, event: "readable" | "writable") {
  // Closed meanwhile: the poller is destroyed, and polling it would crash the process.
  openFd(port, unix);
  return new Promise<void>((resolve, reject) => {
    unix.poller.once(event, (err) => (err ? reject(err) : resolve()));
    // bindings-cpp 13's poller restarts its uv_poll with only the event just asked for
    // (poller.cpp: uv_poll_start(handle, events) where it means this->events), so a read
    // starting while a write waits for room dropped the write's wait, and the write stalled
    // until the board next spoke; a write blocking stopped reading the same way (a deadlock
    // when the board itself waits for us to read). Only when reads come through here too
    // (SerialLine's fallback when the tty cannot be opened twice), but then for real. Ask
    // again for everything awaited.
    unix.poller.poll(awaitedFlags(unix));
  });
}

function awaitedFlags(unix: UnixPort): number {
  let flags = 0;
  for (const event of ["readable", "writable"] as const)
    if (unix.poller.listenerCount(event) > 0) flags |= POLL_FLAGS[event];
  return flags;
}

function isWouldBlock(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EAGAIN" || code === "EWOULDBLOCK" || code === "EINTR";
}
