import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import { BOOT_DONE, GARBAGE, PROMPT } from "../../fixtures/serial/fake-board.js";
import { sleep } from "../../support/hearth-process.js";
import { TcpConsoleClient, startConsoleRig, type ConsoleRig } from "./console-rig.js";

const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/** Waits until the port's log file contains `text` (it is written in batches of about a second). */
async function waitForLog(
  rig: ConsoleRig,
  text: string | Buffer,
  timeoutMs = 10_000,
): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let log = Buffer.alloc(0);
    try {
      log = readFileSync(rig.logPath);
    } catch {
      // Not written yet.
    }
    if (log.includes(text)) return log;
    if (Date.now() > deadline)
      throw new Error(
        `log never had ${JSON.stringify(String(text))}:\n${log.toString("latin1").slice(-2000)}`,
      );
    await sleep(100);
  }
}

describe("console service (real hearth, socat pty, fake board)", function () {
  this.timeout(60_000);
  let rig: ConsoleRig;
  const clients: TcpConsoleClient[] = [];
  const connect = async () => {
    const client = await TcpConsoleClient.connect(rig.tcpPort);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    rig = await startConsoleRig();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await rig.close();
  });

  it("logs the boot with a timestamp on every line while nobody is attached", async () => {
    const log = await waitForLog(rig, BOOT_DONE);
    const lines = log
      .toString("latin1")
      .split("\n")
      .filter((l) => l.length > 0);
    assert.ok(lines.length >= 10, log.toString("latin1"));
    for (const line of lines) assert.match(line, STAMP);
    assert.match(log.toString("latin1"), /hearth: port open/);
  });

  it("replays what the board said to a new client, then echoes its typing", async () => {
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor(BOOT_DONE);
    await alice.waitFor("you are writing");
    const at = alice.text().length;
    alice.write("echo hello-from-tcp\r");
    await alice.waitFor(`hello-from-tcp\r\n${PROMPT}`, at);
    await rig.board.waitFor("run: echo hello-from-tcp");
  });

  it("keeps a spectator's keystrokes from the board, hands over on leave and obeys force", async () => {
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor("you are writing");
    const bob = await connect();
    await bob.waitFor("you are watching");
    bob.write("echo from-bob\r");
    alice.write("echo from-alice\r");
    await rig.board.waitFor("run: echo from-alice");
    await bob.waitFor("from-alice\r\n", 0);
    assert.ok(
      !rig.board.events().some((e) => e.includes("from-bob")),
      rig.board.events().join("\n"),
    );

    // Force-attach with conserver's escape: bob takes the lock, alice is told.
    bob.write("\x05cf");
    await bob.waitFor("you are writing");
    await alice.waitFor("took over writing");
    bob.write("echo bob-now\r");
    await rig.board.waitFor("run: echo bob-now");

    // The writer leaves: alice asked to write, so she takes over.
    const at = alice.text().length;
    bob.write("\x05c.");
    await bob.waitClosed();
    await alice.waitFor("you are writing", at);
    const log = await waitForLog(rig, "forced write access");
    assert.match(log.toString("latin1"), /attached read-only/);
  });

  it("passes garbage through to clients and the log byte for byte", async () => {
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor("you are writing");
    alice.write("garbage\r");
    await rig.board.waitFor("run: garbage");
    await alice.waitFor(Buffer.concat([GARBAGE, Buffer.from(`\r\n${PROMPT}`)]).toString("latin1"));
    // In the log, the line end is followed by the next line's timestamp.
    await waitForLog(rig, Buffer.concat([GARBAGE, Buffer.from("\r\n")]));
  });

  it("drops a client that stops reading, while the others and the log keep up", async function () {
    this.timeout(40_000);
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor("you are writing");
    const stuck = await connect();
    await stuck.waitFor("you are watching");
    stuck.socket.pause();
    const at = alice.text().length;
    alice.write("flood 16000000\r");
    await alice.waitFor(`\r\n${PROMPT}`, at + 16_000_000, 30_000);
    // The stuck client is hung up on once it has read nothing for 5 s while behind; the others
    // are told (the event is in the log too, by now in a rotated generation).
    await alice.waitFor(/dropped: stopped reading with \d+ bytes queued/, at, 15_000);
    stuck.socket.resume();
    await stuck.waitClosed(20_000);
    // What it got is hearth's 1 MiB queue plus what the kernel's socket buffers held (a few MB).
    assert.ok(stuck.bytes().length < 10_000_000, `stuck got ${stuck.bytes().length} bytes`);
  });

  it("rotates the log into gzipped generations, each starting on a stamped line", async () => {
    await rig.close();
    rig = await startConsoleRig({ logMaxBytes: 8192 });
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor("you are writing");
    alice.write("flood 30000\r");
    await alice.waitFor(`\r\n${PROMPT}`, 30_000, 30_000);
    const deadline = Date.now() + 15_000;
    let rotated: string[] = [];
    while (Date.now() < deadline) {
      // Only finished generations: a compression under way is board.log.rotating-<stamp>.gz.
      rotated = readdirSync(dirname(rig.logPath)).filter((f) => /^board\.log\.\d+\.gz$/.test(f));
      if (rotated.length === 2) break;
      await sleep(200);
    }
    assert.deepEqual(rotated.sort(), ["board.log.1.gz", "board.log.2.gz"]);
    for (const name of rotated) {
      const text = gunzipSync(readFileSync(`${dirname(rig.logPath)}/${name}`)).toString("latin1");
      assert.match(text, STAMP);
      assert.ok(text.length <= 8192 + 200, `${name} is ${text.length} bytes`);
    }
  });

  it("tells attached clients about an unplugged adapter and carries on when it is back", async () => {
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor("you are writing");
    await rig.pair.unplug();
    await alice.waitFor("serial adapter unplugged");
    await rig.pair.replug();
    await alice.waitFor("port open");
    await rig.board.waitFor("open");
    const at = alice.text().length;
    alice.write("echo after-replug\r");
    await alice.waitFor("after-replug\r\n", at);
  });

  it("power-cycles the board from the CLI, logged, and the board boots again", async () => {
    await waitForLog(rig, BOOT_DONE);
    const alice = await connect();
    await alice.waitFor(BOOT_DONE);
    const at = alice.text().length;
    const run = await rig.cli(["console", "power-cycle", "board"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /board power-cycled/);
    await rig.board.waitFor("power off");
    await rig.board.waitFor("power on");
    await alice.waitFor(BOOT_DONE, at);
    const log = await waitForLog(rig, "power cycle done");
    assert.match(log.toString("latin1"), /power cycle by \S+/);
    const again = await rig.cli(["console", "power-cycle", "board"]);
    assert.equal(again.code, 1, "a second cycle right away is refused");
    assert.match(again.stderr, /try again|retry|wait/i);
  });

  it("lists ports, prints the log and refuses a break a pty cannot send, from the CLI", async () => {
    await waitForLog(rig, BOOT_DONE);
    const list = await rig.cli(["console", "list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    const status = JSON.parse(list.stdout) as { ports: Array<Record<string, unknown>> };
    assert.equal(status.ports.length, 1);
    assert.equal(status.ports[0]!.name, "board");
    assert.equal(status.ports[0]!.state, "open");
    assert.equal(status.ports[0]!.settings, "115200 8N1");
    const human = await rig.cli(["console", "list"]);
    assert.match(human.stdout, /^board\s+open\s+115200 8N1/m);

    const log = await rig.cli(["console", "log", "board"]);
    assert.equal(log.code, 0, log.stderr);
    assert.ok(log.stdout.includes(`Z ${BOOT_DONE}\r\n`), log.stdout);

    const brk = await rig.cli(["console", "break", "board"]);
    assert.equal(brk.code, 1);
    assert.match(brk.stderr, /cannot send a break on board/);
    await waitForLog(rig, "break by");
  });

  it("attaches from the CLI over the control socket, read-write and read-only", async () => {
    await waitForLog(rig, BOOT_DONE);
    const watcher = rig.cli(["console", "attach", "board", "--ro"]);
    const writer = rig.cli(["console", "attach", "board"], "echo via-cli\r");
    await rig.board.waitFor("run: echo via-cli");
    // The attach commands end on SIGTERM (stdin closing does not detach a non-terminal).
    await sleep(200);
    await rig.hearth.stop();
    const [w, r] = await Promise.all([writer, watcher]);
    assert.match(w.stderr, /attached to board \(open\) as writer/);
    assert.match(w.stdout, /via-cli\r\n/);
    assert.match(r.stderr, /as spectator/);
    assert.match(r.stdout, /via-cli\r\n/);
  });
});
