import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { controlRequest } from "../../../services/control/control-client.js";
import type { HostStatus } from "../../../services/host/host-status.js";
import type { JobView, RunRecord } from "../../../storage/backup/index.js";
import { Catalog } from "../../../storage/catalog/index.js";
import { MAIN, startHearth, type HearthProcess } from "../../support/hearth-process.js";

const PW = { HEARTH_TEST_PW: "service-test-password" };

// The backup service inside the real compiled hearth: the CLI through the daemon, `hearth status`
// going red, notifications reaching a real HTTP server, and catch-up after downtime.
describe("backup service in a running hearth", function () {
  this.timeout(180_000);
  let dir: string;
  let config: string;
  let data: string;
  let hearth: HearthProcess | undefined;
  let hook: Server;
  const received: Array<{ path: string; body: string }> = [];

  // Not spawnSync: the webhook server lives in this process and must answer while the CLI waits.
  const cli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [MAIN, ...args, "-c", config, "-d", data],
        { env: { ...process.env, ...PW }, encoding: "utf8" },
        (err, stdout, stderr) =>
          resolve({
            status: err ? (typeof err.code === "number" ? err.code : 1) : 0,
            stdout,
            stderr,
          }),
      );
    });
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const answer = await controlRequest([join(data, "hearth.sock")], method, path, body);
    return { status: answer.statusCode, json: JSON.parse(answer.body || "null") as T };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-backup-svc-"));
    data = join(dir, "data");
    const source = join(dir, "documents");
    mkdirSync(source);
    writeFileSync(join(source, "budget.ods"), "2026 budget");
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const port = (hook.address() as { port: number }).port;
    config = join(dir, "hearth.yaml");
    const backup = {
      catchUpDelaySeconds: 0,
      hearthState: "documents",
      notify: { url: `http://127.0.0.1:${port}/ping/{job}`, style: "healthchecks" },
      jobs: {
        documents: {
          sources: [source],
          destinations: [{ type: "local", path: join(dir, "repo") }],
          password: { env: "HEARTH_TEST_PW" },
          schedule: "0 3 * * *",
        },
        usb: {
          sources: [source],
          destinations: [
            { type: "local", path: join(dir, "usb", "restic"), requireMount: join(dir, "usb") },
          ],
          password: { env: "HEARTH_TEST_PW" },
          schedule: "0 4 * * *",
        },
      },
    };
    mkdirSync(join(dir, "usb"));
    writeFileSync(config, `media: { roots: [] }\nbackup: ${JSON.stringify(backup)}\n`);
    hearth = await startHearth({
      args: ["--config", config, "--data", data, "--listen", "127.0.0.1"],
      env: PW,
    });
  });
  after(async () => {
    await hearth?.stop();
    hearth?.cleanup();
    hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("`hearth backup run` goes through the daemon and prints the run", async () => {
    const run = await cli("backup", "run", "documents", "--json");
    assert.equal(run.status, 0, run.stderr);
    const record = JSON.parse(run.stdout) as RunRecord;
    assert.equal(record.outcome, "ok");
    assert.equal(record.trigger, "manual");
    const { json } = await api<{ jobs: JobView[] }>("GET", "/api/backup/jobs");
    assert.equal(
      json.jobs.find((j) => j.name === "documents")?.lastRun?.startedAt,
      record.startedAt,
      "the daemon ran it",
    );
    await until(() => received.length >= 2);
    assert.deepEqual(
      received.map((r) => r.path),
      ["/ping/documents/start", "/ping/documents"],
      "healthchecks pings: start, success",
    );
  });

  it("a failed job turns the service red in `hearth status`, with the reason and the fix", async () => {
    const run = await cli("backup", "run", "usb");
    assert.equal(run.status, 1);
    assert.match(run.stdout, /not mounted/);
    assert.match(run.stdout, /fix: Plug in the backup disk/);
    const status = spawnSync(process.execPath, [MAIN, "status", "--json", "-d", data], {
      encoding: "utf8",
    });
    assert.equal(status.status, 1, "exit 1: something failed");
    const backup = (JSON.parse(status.stdout) as HostStatus).services.find(
      (s) => s.name === "backup",
    );
    assert.equal(backup?.state, "failed");
    assert.match(backup?.reason ?? "", /backup usb failed: the backup disk is not mounted/);
    assert.match(backup?.fix ?? "", /mount it at/);
    await until(
      () => received.length >= 4,
      () => JSON.stringify(received),
    );
    assert.deepEqual(
      received.slice(2).map((r) => r.path),
      ["/ping/usb/start", "/ping/usb/fail"],
    );
    assert.match(received.at(-1)?.body ?? "", /not mounted/);
  });

  it("lists snapshots and restores through the daemon into a new folder only", async () => {
    const list = await cli("backup", "snapshots", "documents", "--json");
    assert.equal(list.status, 0, list.stderr);
    const { snapshots } = JSON.parse(list.stdout) as { snapshots: Array<{ id: string }> };
    assert.equal(snapshots.length, 1);
    const to = join(dir, "restored");
    const restore = await cli("backup", "restore", "documents", snapshots[0]!.id, "--to", to);
    assert.equal(restore.status, 0, restore.stderr);
    assert.equal(readFileSync(join(to, dir, "documents", "budget.ods"), "utf8"), "2026 budget");
    const again = await cli("backup", "restore", "documents", "latest", "--to", to);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /not empty/);
  });

  it("restores on a fresh box: the same config and password, an empty data dir, no daemon", async () => {
    const fresh = join(dir, "fresh-box");
    const to = join(dir, "fresh-restore");
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [MAIN, "backup", "restore", "documents", "latest", "--to", to, "-c", config, "-d", fresh],
        { env: { ...process.env, ...PW }, encoding: "utf8" },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(to, dir, "documents", "budget.ods"), "utf8"), "2026 budget");
  });

  it("backs up hearth's own config and a consistent catalog copy that opens as hearth's catalog", async () => {
    const run = await cli("backup", "run", "hearth-state", "--json");
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as RunRecord).outcome, "ok");
    const to = join(dir, "state-restored");
    assert.equal((await cli("backup", "restore", "hearth-state", "latest", "--to", to)).status, 0);
    const staged = join(to, data, "backup", "hearth-state");
    assert.equal(readFileSync(join(staged, "hearth.yaml"), "utf8"), readFileSync(config, "utf8"));
    const copy = await Catalog.open({ dir: join(staged, "catalog") });
    try {
      const runs: string[] = [];
      for await (const key of copy.namespace("backup").keys({ prefix: "run/documents/backup/" }))
        runs.push(key);
      assert.ok(runs.length >= 1, "the documents runs are in the copied catalog");
    } finally {
      await copy.close();
    }
  });

  it("answers bad API requests with the right status and never runs restic on them", async () => {
    assert.equal((await api("POST", "/api/backup/jobs/nope/run")).status, 404);
    assert.equal(
      (await api("POST", "/api/backup/jobs/documents/run", { kind: "rm -rf" })).status,
      422,
    );
    assert.equal(
      (await api("GET", "/api/backup/jobs/documents/snapshots/--help/tree")).status,
      422,
    );
    assert.equal(
      (
        await api("POST", "/api/backup/jobs/documents/restore", {
          snapshot: "latest",
          to: "relative",
        })
      ).status,
      422,
    );
    const unwritable = await api<{ error: string; fix: string }>(
      "POST",
      "/api/backup/jobs/documents/restore",
      {
        snapshot: "latest",
        to: "/proc/self/hearth-restore",
      },
    );
    assert.equal(
      unwritable.status,
      422,
      "a folder hearth cannot write is refused before restic starts",
    );
    assert.match(
      unwritable.json.error,
      /hearth cannot write to \/proc\/self\/hearth-restore|parent folder does not exist/,
    );
    assert.match(unwritable.json.fix, /\/var\/lib\/hearth/);
    const started = await api("POST", "/api/backup/jobs/documents/run", {});
    assert.equal(started.status, 202);
    assert.equal(
      (await api("POST", "/api/backup/jobs/documents/run", {})).status,
      409,
      "busy while it runs",
    );
    while ((await api<{ job: JobView }>("GET", "/api/backup/jobs/documents")).json.job.progress) {
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it("runs a backup missed while hearth was down shortly after it starts again", async () => {
    assert.equal(await hearth!.stop(), 0);
    // The box was off at 03:00 yesterday: the last slot hearth took is from the day before.
    const catalog = await Catalog.open({ dir: join(data, "catalog") });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await catalog.namespace("backup").put("slot/documents/backup", twoDaysAgo);
    await catalog.close();
    hearth = await startHearth({
      args: ["--config", config, "--data", data, "--listen", "127.0.0.1"],
      env: PW,
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { status, json } = await api<{ runs: { backup: RunRecord[] } }>(
        "GET",
        "/api/backup/jobs/documents",
      );
      const latest = status === 200 ? json.runs.backup[0] : undefined;
      if (latest?.trigger === "catch-up") {
        assert.equal(latest.outcome, "ok");
        break;
      }
      assert.ok(Date.now() < deadline, `no catch-up run: ${JSON.stringify(json)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});

/** Notifications are sent after the run is recorded: wait for them (up to 10 s). */
async function until(condition: () => boolean, what = () => ""): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
