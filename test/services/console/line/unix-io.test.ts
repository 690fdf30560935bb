import assert from "node:assert/strict";
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { autoDetect, type BindingPortInterface } from "@serialport/bindings-cpp";
import { readSome, writeAll } from "../../../../services/console/line/unix-io.js";
import { startPtyPair, type PtyPair } from "../../../fixtures/serial/pty-pair.js";

/** Settles with "done" or "pending" after `ms`: whether a promise got anywhere in that time. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<"done" | "pending"> {
  return Promise.race([promise.then(() => "done" as const), sleep(ms, "pending" as const)]);
}

// Reading and writing at once on one port: the case where bindings-cpp's poller, left to itself,
// forgets one of the two waits (see unix-io.ts) and a console stalls until the board speaks.
// The other way round (a blocked write hiding the board's bytes from a read) cannot be tested
// reliably through socat: with the board not reading, socat itself sometimes blocks writing to
// it and carries nothing the other way either.
describe("console line I/O on a real pty", function () {
  this.timeout(30_000);
  let dir: string;
  let pair: PtyPair;
  let port: BindingPortInterface;
  let board: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-unix-io-"));
    pair = await startPtyPair({ dir });
    port = await autoDetect().open({ path: pair.hostPath, baudRate: 115200 });
    board = openSync(pair.boardPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  });

  afterEach(async () => {
    if (port.isOpen) await port.close();
    closeSync(board);
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the board end until `bytes` have come or `ms` pass; returns how many came. */
  async function drainBoard(bytes: number, ms: number): Promise<number> {
    const buffer = Buffer.alloc(65536);
    let got = 0;
    const deadline = Date.now() + ms;
    while (got < bytes && Date.now() < deadline) {
      try {
        got += readSync(board, buffer, 0, buffer.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
        await sleep(2);
      }
    }
    return got;
  }

  it("finishes a blocked write once the board reads, though a read started after it", async () => {
    const size = 4 * 1024 * 1024; // far more than the ptys and socat buffer
    const writing = writeAll(port, Buffer.alloc(size, 0x61));
    assert.equal(await settlesWithin(writing, 300), "pending", "the write should block first");
    const reading = readSome(port, Buffer.alloc(1024), 0, 1024);
    await sleep(50);
    assert.equal(await drainBoard(size, 10_000), size, "the board should get every byte");
    await writing;
    // The read is still waiting (the board said nothing); it gets what the board says next.
    writeSync(board, "ok");
    assert.ok((await reading) > 0);
  });
});
