import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { createVoicemailSource, type VoicemailSource } from "../../../pbx/voicemail/index.js";

const log = pino({ level: "silent" });

async function waitFor(
  what: string,
  check: () => boolean,
  describe: () => unknown,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}; last seen: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("command voicemail source (real /bin/sh)", function () {
  this.timeout(60_000);
  let dir: string;
  const sources: VoicemailSource[] = [];

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "hearth-vm-cmd-"))));
  afterEach(async () => {
    for (const s of sources.splice(0)) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function source(command: string, limits: { timeoutMs?: number; maxOutputBytes?: number } = {}) {
    const s = createVoicemailSource(
      "script",
      { source: "command", command, intervalMinutes: 5 },
      { log, intervalMs: 100, retryInitialMs: 50, command: limits },
    );
    sources.push(s);
    return s;
  }

  const healthOf = (s: VoicemailSource) => () => ({ state: s.state(), health: s.health() });

  it("reads a bare count and follows it as the script's answer changes", async () => {
    const file = join(dir, "count");
    writeFileSync(file, "3\n");
    const s = source(`cat '${file}'`);
    const changes: unknown[] = [];
    s.onChange((state, previous) => changes.push({ state, previous }));
    await s.start();
    await waitFor("3 new", () => s.state()?.new === 3, healthOf(s));
    assert.deepEqual(s.state(), { new: 3, old: 0 });
    assert.equal(s.health().state, "ok");
    writeFileSync(file, '{"new":1,"old":4}');
    await waitFor("1 new 4 old", () => s.state()?.old === 4, healthOf(s));
    assert.deepEqual(s.state(), { new: 1, old: 4 });
    assert.deepEqual(changes, [
      { state: { new: 3, old: 0 }, previous: undefined },
      { state: { new: 1, old: 4 }, previous: { new: 3, old: 0 } },
    ]);
  });

  it("is degraded with the tail of stderr when the command fails", async () => {
    const failing = source(
      `echo 'line one of noise' >&2; echo 'login to provider failed: HTTP 403' >&2; exit 3`,
    );
    await failing.start();
    await waitFor(
      "degraded",
      () => failing.health().state === "degraded" && /exited/.test(failing.health().reason ?? ""),
      healthOf(failing),
    );
    assert.match(
      failing.health().reason ?? "",
      /exited with 3: .*login to provider failed: HTTP 403/,
    );
    assert.ok(failing.health().fix);
    assert.equal(failing.state(), undefined);
  });

  it("keeps the last count while the command fails, and counts again once it works", async () => {
    const file = join(dir, "count");
    writeFileSync(file, "2");
    const s = source(`test -s '${file}' || { echo 'no data yet' >&2; exit 1; }; cat '${file}'`);
    await s.start();
    await waitFor("2 new", () => s.state()?.new === 2, healthOf(s));
    writeFileSync(file, "");
    await waitFor("degraded", () => s.health().state === "degraded", healthOf(s));
    assert.match(s.health().reason ?? "", /no data yet/);
    assert.deepEqual(s.state(), { new: 2, old: 0 });
    writeFileSync(file, "5");
    await waitFor(
      "back with 5",
      () => s.state()?.new === 5 && s.health().state === "ok",
      healthOf(s),
    );
  });

  for (const [what, command, reason] of [
    ["prints words instead of a count", "echo 'you have three messages'", /expected a count/],
    ["prints a negative count", "echo -1", /expected a count/],
    ["prints JSON of the wrong shape", `echo '{"count":3}'`, /expected a count/],
    ["prints nothing", "true", /printed nothing/],
    ["cannot be found", "/no/such/script-hearth", /exited with 127/],
  ] as const) {
    it(`is degraded, not crashed, when the command ${what}`, async () => {
      const s = source(command);
      await s.start();
      await waitFor("degraded", () => reason.test(s.health().reason ?? ""), healthOf(s));
      assert.equal(s.health().state, "degraded");
    });
  }

  it("kills a command that prints without end", async () => {
    const s = source("yes 1", { maxOutputBytes: 4096 });
    await s.start();
    await waitFor(
      "degraded",
      () => /more than 4096 bytes/.test(s.health().reason ?? ""),
      healthOf(s),
    );
  });

  it("kills a command that hangs, with everything it started", async () => {
    const pidFile = join(dir, "pid");
    const s = source(`sh -c 'echo $$ > ${pidFile}; exec sleep 60'; echo 1`, { timeoutMs: 500 });
    await s.start();
    await waitFor(
      "timed out",
      () => /did not finish within/.test(s.health().reason ?? ""),
      healthOf(s),
    );
    const pid = Number(readFileSync(pidFile, "utf8"));
    await waitFor(
      "the grandchild is gone",
      () => !isAlive(pid),
      () => pid,
    );
  });

  it("stops a running command on stop()", async () => {
    const pidFile = join(dir, "pid");
    const s = source(`echo $$ > ${pidFile}; sleep 60; echo 1`);
    await s.start();
    await waitFor(
      "started",
      () => readPid(pidFile) !== undefined,
      () => "no pid yet",
    );
    await s.stop();
    const pid = readPid(pidFile)!;
    await waitFor(
      "the command is gone",
      () => !isAlive(pid),
      () => pid,
    );
    assert.equal(s.state(), undefined);
  });
});

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8"));
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined; // not written yet
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

/** This sandbox's PID 1 does not reap orphans: a killed grandchild may linger as a zombie. */
function isZombie(pid: number): boolean {
  try {
    return /\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
