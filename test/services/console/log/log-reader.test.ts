import assert from "node:assert/strict";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HearthError } from "../../../../services/errors.js";
import { followLog, readLogTail } from "../../../../services/console/log/log-reader.js";
import { PortLog } from "../../../../services/console/log/port-log.js";
import { manualClock, readGenerations, tempDir, waitFor } from "./log-test-kit.js";

describe("log reader", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeEach(async () => {
    dir = await tempDir();
  });

  afterEach(async () => {
    await dir.remove();
  });

  describe("readLogTail", () => {
    const text = "first line\nsecond line\nthird line\n"; // 11 + 12 + 11 bytes

    beforeEach(async () => {
      await writeFile(join(dir.path, "board1.log"), text);
    });

    it("cuts the tail to begin at a line start", async () => {
      const tail = await readLogTail(dir.path, "board1", 15);
      assert.equal(tail.toString(), "third line\n");
    });

    it("keeps a tail that begins exactly on a line start", async () => {
      const tail = await readLogTail(dir.path, "board1", 23);
      assert.equal(tail.toString(), "second line\nthird line\n");
    });

    it("returns the whole log when it is shorter than asked", async () => {
      const tail = await readLogTail(dir.path, "board1", 1 << 20);
      assert.equal(tail.toString(), text);
    });

    it("returns the window as it is when it holds no line start", async () => {
      await writeFile(join(dir.path, "board2.log"), `start\n${"z".repeat(100)}`);
      const tail = await readLogTail(dir.path, "board2", 10);
      assert.equal(tail.toString(), "z".repeat(10));
    });

    it("says which file is missing and that the port may never have logged", async () => {
      await assert.rejects(readLogTail(dir.path, "nosuch", 100), (err: unknown) => {
        assert.ok(err instanceof HearthError);
        assert.equal(err.code, "E_USAGE");
        assert.match(err.message, /nosuch\.log/);
        assert.match(err.fix ?? "", /may never have logged/);
        return true;
      });
    });
  });

  describe("followLog", () => {
    it("delivers what is appended after the call, and nothing from before", async () => {
      const file = join(dir.path, "board1.log");
      await writeFile(file, "old line\n");
      const chunks: Buffer[] = [];
      const abort = new AbortController();
      const following = followLog(dir.path, "board1", (bytes) => chunks.push(bytes), abort.signal);
      await appendFile(file, "new line\n");
      await appendFile(file, "another\n");
      await waitFor("both new lines", () => Buffer.concat(chunks).includes("another\n"));
      abort.abort();
      await following;
      assert.equal(Buffer.concat(chunks).toString(), "new line\nanother\n");
    });

    it("waits for a log that does not exist yet and reads it from its start", async () => {
      const chunks: Buffer[] = [];
      const abort = new AbortController();
      const following = followLog(dir.path, "board1", (bytes) => chunks.push(bytes), abort.signal);
      await writeFile(join(dir.path, "board1.log"), "hello\n");
      await waitFor("the new file", () => Buffer.concat(chunks).toString() === "hello\n");
      abort.abort();
      await following;
    });

    it("keeps following across rotations and delivers every byte once", async () => {
      const logsDir = join(dir.path, "logs");
      await mkdir(logsDir);
      const clock = manualClock();
      const errors: Error[] = [];
      const log = new PortLog({
        dir: logsDir,
        name: "board1",
        maxBytes: 200,
        generations: 20,
        flushMs: 2000,
        now: clock.now,
        onError: (err) => errors.push(err),
      });
      const chunks: Buffer[] = [];
      const abort = new AbortController();
      const following = followLog(logsDir, "board1", (bytes) => chunks.push(bytes), abort.signal);
      for (let i = 1; i <= 25; i++) {
        log.write(Buffer.from(`line ${i} of a chatty boot\n`));
        await log.flush();
        clock.advance(5);
        // Like `tail -F`, a reader must see a file before it is rotated away; give it that.
        await waitFor(`line ${i}`, () => Buffer.concat(chunks).includes(`line ${i} of`));
      }
      await log.close();
      abort.abort();
      await following;
      const history = Buffer.concat(await readGenerations(logsDir, "board1"));
      assert.ok((await readGenerations(logsDir, "board1")).length > 3, "too few rotations");
      assert.equal(Buffer.concat(chunks).toString(), history.toString());
      assert.deepEqual(errors, []);
    });

    it("resolves at once when the signal is already aborted", async () => {
      await followLog(
        dir.path,
        "board1",
        () => assert.fail("no bytes expected"),
        AbortSignal.abort(),
      );
    });

    it("rejects with a HearthError when the folder does not exist", async () => {
      const abort = new AbortController();
      await assert.rejects(
        followLog(join(dir.path, "missing"), "board1", () => undefined, abort.signal),
        (err: unknown) => err instanceof HearthError && /missing/.test(err.message),
      );
    });
  });
});
