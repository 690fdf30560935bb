import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import type * as MockBindingModule from "@serialport/binding-mock" with {
  "resolution-mode": "require",
};
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BindingInterface, SetOptions } from "@serialport/bindings-cpp";
import { consolePortSchema } from "../../../../services/console/config-schema.js";
import { findPortHolders } from "../../../../services/console/line/port-holders.js";
import { SerialLine, type LineStateChange } from "../../../../services/console/line/serial-line.js";
import { startPtyPair, type PtyPair } from "../../../fixtures/serial/pty-pair.js";

// binding-mock's package "exports" hide its types from ESM resolution; its CommonJS build has them.
const { MockBinding } = createRequire(import.meta.url)(
  "@serialport/binding-mock",
) as typeof MockBindingModule;

const settings = (extra: object = {}) => consolePortSchema.parse({ path: "/x", ...extra });

/** A SerialLine with its received bytes and states collected, and waits on both. */
function recordingLine(path: string, options: { binding?: BindingInterface; dtr?: string } = {}) {
  let received = Buffer.alloc(0);
  const states: LineStateChange[] = [];
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const line = new SerialLine({
    path,
    settings: settings(options.dtr ? { dtr: options.dtr } : {}),
    ...(options.binding ? { binding: options.binding } : {}),
    onData: (bytes) => {
      received = Buffer.concat([received, bytes]);
      wake();
    },
    onState: (change) => {
      states.push(change);
      wake();
    },
  });
  const until = (test: () => boolean, what: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!test()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; states: ${JSON.stringify(states)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    line,
    states,
    received: () => received.toString("latin1"),
    waitFor: (text: string) =>
      until(() => received.includes(Buffer.from(text, "latin1")), `"${text}"`),
    waitState: (state: string) => until(() => line.state.state === state, `state ${state}`),
  };
}

describe("SerialLine on a pty pair", function () {
  this.timeout(30_000);
  let dir: string;
  let pair: PtyPair | undefined;
  const lines: SerialLine[] = [];
  let picocom: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-line-"));
  });
  afterEach(async () => {
    picocom?.kill("SIGKILL");
    picocom = undefined;
    await Promise.all(lines.splice(0).map((l) => l.stop()));
    await pair?.close();
    pair = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads and writes bytes both ways, NULs and all", async () => {
    pair = await startPtyPair({ dir });
    const host = recordingLine(pair.hostPath);
    const board = recordingLine(pair.boardPath);
    lines.push(host.line, board.line);
    host.line.start();
    board.line.start();
    await Promise.all([host.waitState("open"), board.waitState("open")]);
    assert.equal(board.line.write(Buffer.from("U-Boot\x00\xff\r\n", "latin1")), true);
    await host.waitFor("U-Boot\x00\xff\r\n");
    host.line.write(Buffer.from("printenv\r"));
    await board.waitFor("printenv\r");
  });

  it("waits for an adapter that is not there yet and opens it when its link appears", async () => {
    const hostPath = join(dir, "by-id", "usb-hearth_FakeBoard_0001-if00-port0");
    const host = recordingLine(hostPath);
    lines.push(host.line);
    host.line.start();
    await host.waitState("absent");
    pair = await startPtyPair({ dir });
    await host.waitState("open");
  });

  it("marks the port unplugged when the adapter goes and reopens it when it is back", async () => {
    pair = await startPtyPair({ dir });
    const host = recordingLine(pair.hostPath);
    lines.push(host.line);
    host.line.start();
    await host.waitState("open");
    await pair.unplug();
    await host.waitState("unplugged");
    assert.equal(host.line.write(Buffer.from("lost")), false, "nothing is queued for later");
    await pair.replug();
    await host.waitState("open");
    const board = recordingLine(pair.boardPath);
    lines.push(board.line);
    board.line.start();
    await board.waitState("open");
    board.line.write(Buffer.from("back again\n"));
    await host.waitFor("back again\n");
    const seen = host.states.map((s) => s.state);
    assert.deepEqual(seen.slice(seen.indexOf("unplugged")), ["unplugged", "opening", "open"]);
  });

  it("notices an adapter pulled while the board is printing (a hung-up tty reads 0 bytes forever)", async () => {
    pair = await startPtyPair({ dir });
    const host = recordingLine(pair.hostPath);
    const board = recordingLine(pair.boardPath);
    lines.push(host.line, board.line);
    host.line.start();
    board.line.start();
    await Promise.all([host.waitState("open"), board.waitState("open")]);
    const chunk = Buffer.alloc(4096, "x");
    const pump = setInterval(() => board.line.write(chunk), 1);
    try {
      await host.waitFor("xxxx");
      await pair.unplug();
      await host.waitState("unplugged");
    } finally {
      clearInterval(pump);
    }
  });

  it("keeps the port locked against picocom while it reads it", async () => {
    pair = await startPtyPair({ dir });
    const host = recordingLine(pair.hostPath);
    lines.push(host.line);
    host.line.start();
    await host.waitState("open");
    const run = spawnSync("picocom", ["-q", "-b", "115200", "-x", "500", pair.hostPath], {
      input: "",
      encoding: "utf8",
      timeout: 10_000,
    });
    assert.notEqual(run.status, 0, `picocom opened a port hearth holds: ${run.stdout}`);
    assert.match(`${run.stdout}${run.stderr}`, /lock/i);
  });

  it("says who holds a port picocom has locked, and opens it once picocom lets go", async () => {
    pair = await startPtyPair({ dir });
    picocom = spawn("picocom", ["-q", "-b", "115200", pair.hostPath], {
      stdio: ["pipe", "ignore", "ignore"],
      // picocom passes a deadly signal on to its whole process group: keep mocha out of it.
      detached: true,
    });
    const host = recordingLine(pair.hostPath);
    lines.push(host.line);
    // picocom takes the port a moment after it starts: wait until it has it open.
    for (let tries = 0; ; tries++) {
      const holders = await findPortHolders(pair.hostPath);
      if (holders.some((h) => h.command === "picocom")) break;
      assert.ok(tries < 100, "picocom never opened the port");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    host.line.start();
    await host.waitState("busy");
    // socat shows up too: it keeps the pty's slave end open, as a real adapter's driver does not.
    assert.ok(
      host.line.state.holders?.some((h) => h.command === "picocom"),
      host.line.state.detail,
    );
    assert.match(host.line.state.detail ?? "", /picocom \(pid \d+\)/);
    picocom.kill("SIGTERM");
    await host.waitState("open");
  });
});

describe("SerialLine modem lines and break (mock binding: ptys have neither)", () => {
  const PATH = "/dev/ttyMOCK0";
  let sets: SetOptions[];
  let binding: BindingInterface;

  beforeEach(() => {
    MockBinding.reset();
    MockBinding.createPort(PATH, { echo: false, record: true });
    sets = [];
    binding = {
      list: () => MockBinding.list(),
      async open(options) {
        const port = await MockBinding.open(options);
        const set = port.set.bind(port);
        port.set = async (opts: SetOptions) => {
          sets.push({ ...opts });
          return set(opts);
        };
        return port;
      },
    } as BindingInterface;
  });

  it("leaves DTR and RTS alone with dtr: keep", async () => {
    const host = recordingLine(PATH, { binding });
    host.line.start();
    await host.waitState("open");
    assert.deepEqual(sets, []);
    await host.line.stop();
  });

  it("drops DTR after opening with dtr: off", async () => {
    const host = recordingLine(PATH, { binding, dtr: "off" });
    host.line.start();
    await host.waitState("open");
    assert.deepEqual(sets, [{ dtr: false, rts: true }]);
    await host.line.stop();
  });

  it("sends a timed break that keeps the modem lines as they are", async () => {
    const host = recordingLine(PATH, { binding, dtr: "off" });
    host.line.start();
    await host.waitState("open");
    sets.length = 0;
    await host.line.sendBreak(20);
    assert.deepEqual(sets, [
      { brk: true, dtr: false, rts: true },
      { brk: false, dtr: false, rts: true },
    ]);
    await host.line.stop();
  });
});
