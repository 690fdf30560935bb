import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { consoleConfigSchema } from "../../../services/console/config-schema.js";
import type { ConsolePortView } from "../../../services/console/console-port.js";
import { Consoles } from "../../../services/console/consoles.js";
import { Catalog } from "../../../storage/catalog/catalog.js";
import type { CatalogNamespace } from "../../../storage/catalog/catalog-namespace.js";
import {
  BOOT_DONE,
  PROMPT,
  startFakeBoard,
  type FakeBoard,
} from "../../fixtures/serial/fake-board.js";
import { startPtyPair, type PtyPair } from "../../fixtures/serial/pty-pair.js";
import { waitFor } from "../host/test-services.js";
import { RecordingClient } from "./recording-client.js";

const FIRST = "hearth-fakeboard-0001";
const SECOND = "hearth-fakeboard-0002";
/** A by-path link as udev makes it for the second port of a hub on the first xHCI controller. */
const BY_PATH_LINK = "pci-0000:00:14.0-usb-0:2:1.0-port0";
const BY_PATH_NAME = "usb-pci-0000-00-14-0-usb-0-2-1-0-port0";

/**
 * The console namespace of a real catalog, with the registry's reads and writes counted per key.
 * `holdRead(key)` makes the next read of that key run at once but answer only when released, so a
 * test can line up a second read behind it.
 */
class CatalogSpy {
  readonly namespace: CatalogNamespace;
  readonly #puts = new Map<string, number>();
  readonly #reads = new Map<string, number>();
  #held: { key: string; release: Promise<void> } | undefined;

  constructor(inner: CatalogNamespace) {
    const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    this.namespace = {
      name: inner.name,
      get: async <T>(key: string) => {
        const held = this.#held?.key === key ? this.#held : undefined;
        if (held) this.#held = undefined;
        const value = await inner.get<T>(key);
        await held?.release;
        count(this.#reads, key);
        return value;
      },
      getMany: (keys) => inner.getMany(keys),
      put: (key, value) => (count(this.#puts, key), inner.put(key, value)),
      del: (key) => inner.del(key),
      batch: (ops) => inner.batch(ops),
      entries: (range) => inner.entries(range),
      entryPages: (range, pageSize) => inner.entryPages(range, pageSize),
      keys: (range) => inner.keys(range),
      clear: (range) => inner.clear(range),
      sub: (name) => inner.sub(name),
      migrate: (migrations) => inner.migrate(migrations),
    };
  }

  puts(key: string): number {
    return this.#puts.get(key) ?? 0;
  }

  /** Reads of `key` that have answered. */
  reads(key: string): number {
    return this.#reads.get(key) ?? 0;
  }

  holdRead(key: string): () => void {
    let release = () => {};
    this.#held = { key, release: new Promise<void>((resolve) => (release = resolve)) };
    return release;
  }
}

/** Log lines (pino JSON) kept in memory. */
function collectingLog(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), lines };
}

describe("Consoles: zero-config discovery and hotplug (socat ptys under a stand-in /dev/serial)", function () {
  this.timeout(30_000);
  let dir: string;
  let serialRoot: string;
  let catalog: Catalog;
  let spy: CatalogSpy;
  let logLines: Array<Record<string, unknown>>;
  let consoles: Consoles | undefined;
  const pairs: PtyPair[] = [];
  const boards: FakeBoard[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-discovery-"));
    // Like /dev/serial on a box with nothing plugged in: the folder is there, by-id is not.
    serialRoot = join(dir, "serial");
    mkdirSync(serialRoot);
    catalog = await Catalog.open({ dir: join(dir, "catalog") });
    spy = new CatalogSpy(catalog.namespace("console"));
  });

  afterEach(async () => {
    await consoles?.stop();
    consoles = undefined;
    for (const board of boards.splice(0)) await board.stop();
    for (const pair of pairs.splice(0)) await pair.close();
    await catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (config: unknown = {}): Promise<Consoles> => {
    const collected = collectingLog();
    logLines = collected.lines;
    consoles = new Consoles({
      config: consoleConfigSchema.parse(config),
      catalog: spy.namespace,
      log: collected.log,
      dataDir: join(dir, "data", "console"),
      runtimeDir: join(dir, "run"),
      serialRoot,
    });
    await consoles.start();
    return consoles;
  };

  const plug = async (id: string, under = serialRoot): Promise<PtyPair> => {
    const pair = await startPtyPair({ dir: under, id });
    pairs.push(pair);
    return pair;
  };

  const view = (name: string): ConsolePortView | undefined =>
    consoles?.status().ports.find((p) => p.name === name);

  /** Waits until the console `name` exists and is in `state`; found by inotify, not by polling. */
  const waitForState = async (name: string, state: string): Promise<ConsolePortView> => {
    await waitFor(() => view(name)?.state === state, 10_000).catch((err: unknown) => {
      throw new Error(
        `${name} never became ${state}; ports: ${JSON.stringify(consoles?.status().ports.map((p) => [p.name, p.state, p.detail]))}`,
        { cause: err },
      );
    });
    return view(name)!;
  };

  it("starts with no adapters: no ports, no warnings, healthy", async () => {
    const status = (await start()).status();
    assert.equal(status.autoDiscover, true);
    assert.deepEqual(status.ports, []);
    assert.deepEqual(status.warnings, []);
    assert.deepEqual(status.health, { state: "ok", details: { ports: 0, open: 0 } });
  });

  it("gives a plugged-in adapter a console named by its id and passes the board's output to a client", async () => {
    await start();
    const pair = await plug("0001");
    const port = await waitForState(FIRST, "open");
    assert.equal(port.path, pair.hostPath);
    assert.equal(port.isDiscovered, true);
    assert.equal(port.settings, "115200 8N1");
    assert.ok(
      logLines.some(
        (l) => l.msg === `serial adapter found: console "${FIRST}" on ${pair.hostPath}`,
      ),
      JSON.stringify(logLines),
    );

    const client = new RecordingClient();
    assert.equal(consoles!.port(FIRST)!.attach(client, "rw"), "writer");
    // The board boots once hearth holds the line: opening a tty flushes what was sent before.
    boards.push(await startFakeBoard({ boardPath: pair.boardPath }));
    await client.waitFor(BOOT_DONE);
    const at = client.text().length;
    assert.equal(
      consoles!.port(FIRST)!.input(client, Buffer.from("echo found-by-inotify\r")),
      true,
    );
    await client.waitFor(`found-by-inotify\r\n${PROMPT}`, at);
    assert.deepEqual(consoles!.health(), { state: "ok", details: { ports: 1, open: 1 } });
  });

  it("adds a second adapter as a second console and names a by-path-only one by its socket, with a warning", async () => {
    await start();
    await plug("0001");
    await waitForState(FIRST, "open");
    const second = await plug("0002");
    assert.equal((await waitForState(SECOND, "open")).path, second.hostPath);

    // An adapter udev gave no by-id link of its own (two CH340s without serial numbers share one).
    const elsewhere = await plug("0003", join(dir, "elsewhere"));
    const device = realpathSync(elsewhere.hostPath);
    mkdirSync(join(serialRoot, "by-path"));
    const link = join(serialRoot, "by-path", BY_PATH_LINK);
    symlinkSync(device, link);
    const byPath = await waitForState(BY_PATH_NAME, "open");
    assert.equal(byPath.path, link);
    assert.equal(byPath.isDiscovered, true);

    const status = consoles!.status();
    assert.deepEqual(
      status.ports.map((p) => p.name),
      [FIRST, SECOND, BY_PATH_NAME],
    );
    assert.equal(status.warnings.length, 1, JSON.stringify(status.warnings));
    assert.ok(status.warnings[0]!.startsWith(`${device} (${link}) has no /dev/serial/by-id link`));
    assert.ok(logLines.some((l) => l.level === 40 && l.msg === status.warnings[0]));
    assert.equal(status.health.state, "ok");
  });

  it("marks an unplugged discovered adapter unplugged without degrading health, and reopens it", async () => {
    await start();
    const pair = await plug("0001");
    await waitForState(FIRST, "open");
    const client = new RecordingClient();
    consoles!.port(FIRST)!.attach(client, "rw");

    await pair.unplug();
    const gone = await waitForState(FIRST, "unplugged");
    assert.match(gone.detail ?? "", /waiting for (it|the adapter)/);
    await waitFor(() => client.notices.some((n) => n.startsWith("serial adapter unplugged")));
    assert.deepEqual(consoles!.health(), { state: "ok", details: { ports: 1, open: 0 } });
    assert.equal(client.closedWith, undefined, "clients stay attached through an unplug");

    await pair.replug();
    await waitForState(FIRST, "open");
    assert.deepEqual(
      consoles!.status().ports.map((p) => p.name),
      [FIRST],
      "the returning adapter is the same console, not a new one",
    );
  });

  it("degrades health, naming the port, while a configured adapter is absent", async () => {
    const configured = join(serialRoot, "by-id", "usb-hearth_FakeBoard_0009-if00-port0");
    await start({ ports: { router: { path: configured } } });
    await waitForState("router", "absent");
    const health = consoles!.health();
    assert.equal(health.state, "degraded");
    assert.equal(
      health.reason,
      `router: absent (${configured} does not exist; waiting for the adapter)`,
    );
    assert.match(health.fix ?? "", /Plug the adapter in/);

    // A discovered adapter coming and going changes nothing about that.
    await plug("0001");
    await waitForState(FIRST, "open");
    assert.equal(consoles!.health().state, "degraded");

    // The configured adapter arrives: its own console opens, discovery does not take it too.
    await plug("0009");
    await waitForState("router", "open");
    assert.deepEqual(consoles!.health(), { state: "ok", details: { ports: 2, open: 2 } });
    assert.deepEqual(
      consoles!.status().ports.map((p) => [p.name, p.isDiscovered]),
      [
        ["router", false],
        [FIRST, true],
      ],
    );
  });

  it("writes the port registry entry once on open, not again when nothing changed", async () => {
    const key = `port/${FIRST}`;
    await start();
    const pair = await plug("0001");
    await waitForState(FIRST, "open");
    // Read past the spy, so the reads counted below are the registry's own.
    const stored = catalog.namespace("console");
    await waitFor(async () => (await stored.get(key)) !== undefined);
    assert.equal(spy.puts(key), 1);
    const entry = await stored.get<Record<string, unknown>>(key);
    assert.equal(entry?.path, pair.hostPath);
    assert.equal(entry?.device, realpathSync(pair.hostPath));
    assert.equal(typeof entry?.firstOpenedAt, "number");

    // Attach and detach tell the registry something changed; it reads, sees the same, writes nothing.
    const readsBefore = spy.reads(key);
    const client = new RecordingClient();
    const port = consoles!.port(FIRST)!;
    port.attach(client, "rw");
    port.detach(client);
    await waitFor(() => spy.reads(key) >= readsBefore + 2);
    // One more turn of the event loop: a write decided on after the read would have started.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(spy.puts(key), 1);
  });

  it("writes the registry entry once when a client attaches while the first write is under way", async () => {
    const key = `port/${FIRST}`;
    await start();
    const release = spy.holdRead(key);
    await plug("0001");
    await waitForState(FIRST, "open");
    // The open's registry read has no answer yet; a client attaches meanwhile.
    const client = new RecordingClient();
    consoles!.port(FIRST)!.attach(client, "rw");
    // Without ordering, the attach's read answers "nothing stored" before the open's write lands.
    // Give it the chance (a registry that orders its updates never starts that read early).
    await waitFor(() => spy.reads(key) >= 1, 500).catch(() => {
      // The attach's read is queued behind the held one: that is the behaviour wanted.
    });
    release();
    await waitFor(() => spy.reads(key) >= 2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(spy.puts(key), 1);
  });
});
