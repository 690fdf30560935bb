import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN, freePort, startHearth, type HearthProcess } from "../../support/hearth-process.js";

const VERSION = (
  (await import("../../../package.json", { with: { type: "json" } })) as {
    default: { version: string };
  }
).default.version;

/** Runs the compiled CLI the way a user would, with a clean environment. */
function hearth(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH, HOME: tmp, ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "hearth-cli-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("hearth CLI", function () {
  this.timeout(60_000);

  it("prints its version and exits 0", () => {
    const { code, stdout } = hearth(["--version"]);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), VERSION);
  });

  it("exits 2 on a usage error", () => {
    const { code, stderr } = hearth(["frobnicate"]);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command 'frobnicate'/);
    assert.equal(hearth(["start", "--port", "eighty"]).code, 2);
  });

  it("has --help for every command", () => {
    for (const args of [
      ["--help"],
      ["start", "--help"],
      ["status", "--help"],
      ["config", "check", "--help"],
    ]) {
      const { code, stdout } = hearth(args);
      assert.equal(code, 0, args.join(" "));
      assert.match(stdout, /^Usage: hearth/m);
    }
  });

  describe("config check", () => {
    it("says ok for a valid file", () => {
      const file = join(tmp, "good.yaml");
      writeFileSync(file, "http:\n  port: 8300\nlog:\n  level: debug\n");
      const { code, stdout } = hearth(["config", "check", file]);
      assert.equal(code, 0);
      assert.equal(stdout, `${file}: ok\n`);
    });

    it("lists every problem with file, line and column and exits 1", () => {
      const file = join(tmp, "bad.yaml");
      writeFileSync(
        file,
        ["htpp:", "  port: 8200", "http:", "  port: eighty", "log:", "  level: loud", ""].join(
          "\n",
        ),
      );
      const { code, stderr } = hearth(["config", "check", file]);
      assert.equal(code, 1);
      const lines = stderr.trim().split("\n");
      assert.equal(lines.length, 3, stderr);
      assert.ok(
        lines.some((l) => l === `${file}:1:1: htpp: unknown option; did you mean \`http\`?`),
        stderr,
      );
      assert.ok(
        lines.some((l) => l.startsWith(`${file}:4:9: http.port:`)),
        stderr,
      );
      assert.ok(
        lines.some((l) => l.startsWith(`${file}:6:10: log.level:`)),
        stderr,
      );
    });

    it("reports a secret file that does not exist", () => {
      const file = join(tmp, "secret.yaml");
      writeFileSync(
        file,
        [
          "pbx:",
          "  extensions:",
          '    "1001":',
          "      name: Office",
          "      password: { file: /nonexistent/1001 }",
          "",
        ].join("\n"),
      );
      const { code, stderr } = hearth(["config", "check", file]);
      assert.equal(code, 1);
      assert.match(
        stderr,
        new RegExp(
          `^${file}:5:\\d+: pbx\\.extensions\\.1001\\.password: secret file /nonexistent/1001 does not exist`,
          "m",
        ),
      );
    });
  });

  describe("start", () => {
    it("exits 78 (EX_CONFIG) on an invalid file and prints every problem", () => {
      const file = join(tmp, "bad-start.yaml");
      writeFileSync(file, "http:\n  port: eighty\n  lisen: 0.0.0.0\n");
      const { code, stderr } = hearth(["start", "--config", file], {
        HEARTH_DATA: join(tmp, "d78"),
      });
      assert.equal(code, 78);
      assert.match(stderr, new RegExp(`${file}:2:9: http.port:`));
      assert.match(
        stderr,
        new RegExp(`${file}:3:3: http.lisen: unknown option; did you mean \`listen\``),
      );
    });

    it("exits 78 when the file named by --config does not exist", () => {
      const { code, stderr } = hearth(["start", "--config", join(tmp, "missing.yaml")]);
      assert.equal(code, 78);
      assert.match(stderr, /missing\.yaml/);
    });

    it("exits 1 with a clear message when the port is taken", async () => {
      const port = await freePort();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
      try {
        const { code, stdout } = hearth(
          ["start", "--listen", "127.0.0.1", "--port", String(port)],
          {
            HEARTH_DATA: join(tmp, "busy"),
          },
        );
        assert.equal(code, 1);
        assert.match(stdout, new RegExp(`cannot listen on 127.0.0.1:${port} \\(EADDRINUSE\\)`));
      } finally {
        blocker.close();
      }
    });
  });
});

describe("hearth start and status, end to end", function () {
  this.timeout(60_000);
  let proc: HearthProcess | undefined;
  afterEach(() => proc?.cleanup());

  it("starts with no config file, answers status over the control socket, and stops cleanly on SIGTERM", async () => {
    proc = await startHearth({ args: ["--listen", "127.0.0.1"] });
    const health = await fetch(`http://127.0.0.1:${proc.port}/healthz`);
    assert.equal(health.status, 200);
    const page = await fetch(`http://127.0.0.1:${proc.port}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.equal((await fetch(`http://127.0.0.1:${proc.port}/api/status`)).status, 401);

    const status = hearth(["status", "--json"], { HEARTH_DATA: proc.dataDir });
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as {
      configFile: null;
      services: Array<{ name: string; state: string }>;
    };
    assert.equal(parsed.configFile, null);
    assert.deepEqual(
      parsed.services.map((s) => s.name),
      ["media", "backup", "pbx", "console"],
    );
    const human = hearth(["status"], { HEARTH_DATA: proc.dataDir });
    // A fresh HOME has no ~/Music: media is up but degraded, and says what to do.
    assert.match(human.stdout, /^hearth \S+ on \S+: degraded, up /);
    assert.match(
      human.stdout,
      /^▲ media +degraded\n +no media folders to share\n +fix: Create ~\/Music/m,
    );

    const started = Date.now();
    assert.equal(await proc.stop("SIGTERM"), 0);
    assert.ok(Date.now() - started < 5_000, "stopped within 5 s");
    assert.ok(proc.logs().some((l) => l.msg === "stopped cleanly"));
    const after = hearth(["status"], { HEARTH_DATA: proc.dataDir });
    assert.equal(after.code, 1);
    assert.match(after.stderr, /hearth is not running/);
  });

  it("stops cleanly on SIGINT (Ctrl-C) and starts again on the same data dir", async () => {
    proc = await startHearth({ args: ["--listen", "127.0.0.1"] });
    assert.equal(await proc.stop("SIGINT"), 0);
    const again = await startHearth({
      args: ["--listen", "127.0.0.1", "--data", proc.dataDir],
    });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${again.port}/healthz`)).status, 200);
      assert.equal(
        again
          .logs()
          .filter((l) => String(l.msg).includes("first-run admin password for the dashboard"))
          .length,
        0,
        "the admin password from the first start was kept",
      );
    } finally {
      await again.stop();
      again.cleanup();
    }
  });

  it("refuses a second hearth on the same data dir with a clear message", async () => {
    proc = await startHearth({ args: ["--listen", "127.0.0.1"] });
    const port = await freePort();
    const second = hearth([
      "start",
      "--listen",
      "127.0.0.1",
      "--port",
      String(port),
      "--data",
      proc.dataDir,
    ]);
    assert.equal(second.code, 1);
    assert.match(second.stdout, /another hearth is already using/);
    assert.equal(
      (await fetch(`http://127.0.0.1:${proc.port}/healthz`)).status,
      200,
      "the first one is unharmed",
    );
  });
});
