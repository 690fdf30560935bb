import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PortLog, type PortLogOptions } from "../../../../services/console/log/port-log.js";
import { STAMP, linesOf, manualClock, readGenerations, tempDir, waitFor } from "./log-test-kit.js";

describe("PortLog", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let clock: ReturnType<typeof manualClock>;
  const logs: PortLog[] = [];
  /** onError of logs made without one: a throwing onError would only become a process warning. */
  const unexpectedErrors: Error[] = [];

  function portLog(options: Partial<PortLogOptions> = {}): PortLog {
    const log = new PortLog({
      dir: join(dir.path, "logs"),
      name: "board1",
      maxBytes: 1024 * 1024,
      generations: 3,
      flushMs: 2000,
      now: clock.now,
      onError: (err) => unexpectedErrors.push(err),
      ...options,
    });
    logs.push(log);
    return log;
  }

  async function logText(log: PortLog): Promise<string> {
    return (await readFile(log.path)).toString("latin1");
  }

  beforeEach(async () => {
    dir = await tempDir();
    clock = manualClock();
  });

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await dir.remove();
    assert.deepEqual(unexpectedErrors.splice(0), []);
  });

  it("stamps every line with the arrival time of its first byte, also when it spans writes", async () => {
    const log = portLog();
    const t1 = clock.iso();
    log.write(Buffer.from("boot"));
    clock.advance(250);
    const t2 = clock.iso();
    log.write(Buffer.from("ing\nsecond line\nthi"));
    clock.advance(250);
    log.write(Buffer.from("rd\r\n"));
    await log.flush();
    assert.equal(await logText(log), `${t1} booting\n${t2} second line\n${t2} third\r\n`);
  });

  it("keeps NUL, 0xFF, broken UTF-8, CR and escape sequences byte for byte", async () => {
    const log = portLog();
    const garbage = Buffer.from([
      0x00, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0x1b, 0x5b, 0x36, 0x6e, 0x0d, 0x1b, 0x5b, 0x3f, 0x31,
      0x30, 0x34, 0x39, 0x68, 0xf0, 0x9f, 0x98, 0x80, 0x80, 0x0d, 0x0a,
    ]);
    const stamp = Buffer.from(`${clock.iso()} `);
    log.write(garbage.subarray(0, 5)); // splits the broken multi-byte sequence across reads
    log.write(garbage.subarray(5));
    await log.flush();
    assert.deepEqual(await readFile(log.path), Buffer.concat([stamp, garbage]));
  });

  it("ends a half-written line before an event and stamps the port's next bytes anew", async () => {
    const log = portLog();
    const t1 = clock.iso();
    log.write(Buffer.from("vm login: "));
    clock.advance(1000);
    const t2 = clock.iso();
    log.event("alice attached rw");
    clock.advance(1000);
    const t3 = clock.iso();
    log.write(Buffer.from("root\n"));
    log.event("alice detached");
    await log.flush();
    assert.equal(
      await logText(log),
      `${t1} vm login: \n${t2} [-- hearth: alice attached rw --]\n${t3} root\n` +
        `${t3} [-- hearth: alice detached --]\n`,
    );
  });

  it("keeps an event on one line whatever its text holds", async () => {
    const log = portLog();
    log.event("bob\r\nforced \x1b[31mattach");
    await log.flush();
    assert.equal(await logText(log), `${clock.iso()} [-- hearth: bob  forced  [31mattach --]\n`);
  });

  it("does no I/O until the batch window ends, then writes the batch", async () => {
    const log = portLog({ flushMs: 2000 });
    for (let i = 0; i < 200; i++) log.write(Buffer.from(`line ${i}\n`));
    assert.equal(existsSync(join(dir.path, "logs")), false, "the folder exists before a flush");
    await log.flush();
    const lines = linesOf(await readFile(log.path));
    assert.equal(lines.length, 200);
    assert.equal(lines[199], `${clock.iso()} line 199\n`);
  });

  it("writes a batch by itself when its window ends", async () => {
    const log = portLog({ flushMs: 20 });
    log.write(Buffer.from("hello\n"));
    await waitFor("the batch on disk", () => existsSync(log.path));
    await waitFor("the log to go idle", () => log.isIdle);
    assert.equal(await logText(log), `${clock.iso()} hello\n`);
  });

  it("has no timer and writes nothing while the port is quiet", async () => {
    const log = portLog({ flushMs: 20 });
    assert.equal(log.isIdle, true, "a new log is not idle");
    log.write(Buffer.from("one line\n"));
    assert.equal(log.isIdle, false, "pending bytes do not arm a flush");
    await log.flush();
    assert.equal(log.isIdle, true, "a timer or write is left after the flush");
    const before = await stat(log.path);
    // Several batch windows pass with the port quiet.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const after = await stat(log.path);
    assert.equal(log.isIdle, true);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
  });

  it("ignores writes and events after close", async () => {
    const log = portLog();
    log.write(Buffer.from("last words\n"));
    await log.close();
    log.write(Buffer.from("too late\n"));
    log.event("too late");
    await log.flush();
    assert.equal(await logText(log), `${clock.iso()} last words\n`);
    assert.equal(log.isIdle, true);
  });

  it("appends to the existing log after a restart, ending a line the last run left open", async () => {
    const first = portLog();
    const t1 = clock.iso();
    first.write(Buffer.from("line one\nhalf a li"));
    await first.close();
    clock.advance(60_000);
    const second = portLog();
    const t2 = clock.iso();
    second.write(Buffer.from("after restart\n"));
    await second.close();
    assert.equal(await logText(second), `${t1} line one\n${t1} half a li\n${t2} after restart\n`);
  });

  it("makes its folder again when someone removed it", async () => {
    const log = portLog();
    log.write(Buffer.from("before\n"));
    await log.flush();
    await rm(join(dir.path, "logs"), { recursive: true });
    log.write(Buffer.from("after\n"));
    await log.flush();
    assert.equal(await logText(log), `${clock.iso()} after\n`);
  });

  describe("rotation", () => {
    function line(i: number): Buffer {
      return Buffer.from(`line ${String(i).padStart(3, "0")} of the boot log\n`);
    }

    async function assertGenerations(generations: Buffer[], maxBytes: number): Promise<void> {
      for (const [index, file] of generations.entries()) {
        const isCurrent = index === generations.length - 1;
        if (file.length === 0 && isCurrent) continue;
        assert.ok(file.length <= maxBytes, `generation ${index} holds ${file.length} bytes`);
        for (const text of linesOf(file)) assert.match(text, STAMP, `unstamped line ${text}`);
        if (!isCurrent) assert.equal(file.at(-1), 0x0a, `generation ${index} ends mid-line`);
      }
    }

    it("rotates into gzipped generations, drops the oldest and starts every file on a stamp", async () => {
      const log = portLog({ maxBytes: 200, generations: 2 });
      for (let i = 1; i <= 30; i++) {
        log.write(line(i));
        await log.flush();
        clock.advance(10);
      }
      await log.close();
      const files = (await readdir(join(dir.path, "logs"))).sort();
      assert.deepEqual(files, ["board1.log", "board1.log.1.gz", "board1.log.2.gz"]);
      const generations = await readGenerations(join(dir.path, "logs"), "board1");
      await assertGenerations(generations, 200);
      const kept = linesOf(Buffer.concat(generations)).map((l) => l.replace(STAMP, ""));
      const last = kept.length;
      assert.ok(last < 30, "nothing was dropped");
      const expected = Array.from({ length: last }, (_, k) => line(30 - last + 1 + k).toString());
      assert.deepEqual(kept, expected);
    });

    it("rotates as often as one big batch needs", async () => {
      const log = portLog({ maxBytes: 200, generations: 20 });
      for (let i = 1; i <= 40; i++) log.write(line(i));
      await log.close();
      const generations = await readGenerations(join(dir.path, "logs"), "board1");
      assert.ok(generations.length > 5, `only ${generations.length} files`);
      await assertGenerations(generations, 200);
      const kept = linesOf(Buffer.concat(generations)).map((l) => l.replace(STAMP, ""));
      assert.deepEqual(
        kept,
        Array.from({ length: 40 }, (_, k) => line(k + 1).toString()),
      );
    });

    it("cuts a line longer than a whole file and stamps its continuation", async () => {
      const log = portLog({ maxBytes: 200, generations: 10 });
      const long = Buffer.alloc(500, "x");
      log.write(long);
      log.write(Buffer.from("\nshort\n"));
      await log.close();
      const generations = await readGenerations(join(dir.path, "logs"), "board1");
      for (const file of generations) {
        assert.ok(file.length <= 200 + 50, `a file holds ${file.length} bytes`);
        assert.match(file.toString("latin1"), STAMP);
      }
      // Stamps stripped file by file: the long line's pieces join up again.
      const payload = generations.flatMap((file) =>
        linesOf(file).map((text) => text.replace(STAMP, "")),
      );
      assert.equal(payload.join(""), `${"x".repeat(500)}\nshort\n`);
    });

    it("rotates a file a previous run filled, at its first batch", async () => {
      const first = portLog({ maxBytes: 200 });
      for (let i = 1; i <= 4; i++) first.write(line(i));
      await first.close();
      const second = portLog({ maxBytes: 200 });
      second.write(line(5));
      await second.close();
      const [old, current] = await readGenerations(join(dir.path, "logs"), "board1");
      assert.equal(linesOf(old ?? Buffer.alloc(0)).length, 4);
      assert.equal((current ?? Buffer.alloc(0)).toString(), `${clock.iso()} ${line(5).toString()}`);
    });

    it("compresses a rotation a crash left behind, at the next start", async () => {
      const logsDir = join(dir.path, "logs");
      await mkdir(logsDir);
      await writeFile(join(logsDir, "board1.log.rotating-1700000000000-0"), "left behind\n");
      await writeFile(join(logsDir, "board1.log.rotating-1700000000000-0.gz"), "half an archive");
      const log = portLog();
      log.write(Buffer.from("new run\n"));
      await log.close();
      const files = (await readdir(logsDir)).sort();
      assert.deepEqual(files, ["board1.log", "board1.log.1.gz"]);
      const [rotated] = await readGenerations(logsDir, "board1");
      assert.equal(rotated?.toString(), "left behind\n");
    });
  });

  describe("when the disk fails", () => {
    it("reports an unwritable folder once, throws nothing, and writes once it works", async () => {
      const errors: Error[] = [];
      const blocker = join(dir.path, "logs");
      await writeFile(blocker, "a file where the folder should be");
      const log = portLog({ onError: (err) => errors.push(err) });
      log.write(Buffer.from("first\n"));
      await log.flush();
      log.write(Buffer.from("second\n"));
      await log.flush();
      await log.flush();
      assert.equal(errors.length, 1, errors.map((e) => e.message).join("\n"));
      assert.match(errors[0]?.message ?? "", /cannot write the console log .*board1\.log/);
      await rm(blocker);
      await log.flush();
      const t = clock.iso();
      assert.equal(await logText(log), `${t} first\n${t} second\n`);
      // A new streak is reported again.
      await rm(join(dir.path, "logs"), { recursive: true });
      await writeFile(blocker, "blocked again");
      log.write(Buffer.from("third\n"));
      await log.flush();
      assert.equal(errors.length, 2);
      await rm(blocker);
    });

    it("keeps at most about 1 MiB and marks what it dropped once writing works again", async () => {
      const errors: Error[] = [];
      const blocker = join(dir.path, "logs");
      await writeFile(blocker, "a file where the folder should be");
      const log = portLog({ maxBytes: 8 * 1024 * 1024, onError: (err) => errors.push(err) });
      const lineBytes = Buffer.from(`${"y".repeat(99)}\n`);
      const totalLines = 15_000; // 1.5 MB of port output, 1.9 MB stamped
      for (let i = 0; i < totalLines; i++) {
        log.write(lineBytes);
        if (i % 1000 === 999) await log.flush();
      }
      await log.flush();
      assert.equal(errors.length, 1);
      await rm(blocker);
      await log.flush();
      const lines = linesOf(await readFile(log.path));
      const marker = /^\S+ \[-- hearth: (\d+) bytes lost: .+ --\]\n$/.exec(lines[0] ?? "");
      assert.ok(marker, `first line is ${lines[0]}`);
      for (const text of lines) assert.match(text, STAMP);
      const kept = lines.slice(1);
      assert.ok(kept.length < totalLines, "nothing was dropped");
      const keptBytes = kept.reduce((sum, text) => sum + text.length, 0);
      assert.ok(keptBytes <= 1024 * 1024, `kept ${keptBytes} bytes`);
      assert.ok(keptBytes > 900 * 1024, `kept only ${keptBytes} bytes`);
      const stampedLine = lines[1]?.length ?? 0;
      assert.equal(Number(marker[1]), (totalLines - kept.length) * stampedLine);
    });
  });
});
