import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { DestinationStream } from "pino";
import { journaldDestination, syslogPriority } from "../../../services/log/journald-destination.js";
import { createLogger, serviceLogger } from "../../../services/log/logger.js";

function capture(): DestinationStream & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe("logger", () => {
  it("redacts secrets wherever they sit in a logged object", () => {
    const out = capture();
    const log = createLogger({ destination: out });
    log.info(
      {
        password: "hunter2hunter2",
        extension: { number: "1001", password: "s3cret-1001" },
        headers: { authorization: "Digest abc", cookie: "hearth_session=xyz" },
        ami: { user: "hearth", secret: "amisecret" },
        job: { destination: { s3: { secretAccessKey: "AKIAXXX" } } },
      },
      "registered",
    );
    const line = out.lines.join("");
    for (const secret of [
      "hunter2hunter2",
      "s3cret-1001",
      "Digest abc",
      "hearth_session=xyz",
      "amisecret",
      "AKIAXXX",
    ]) {
      assert.ok(!line.includes(secret), `"${secret}" leaked into ${line}`);
    }
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(entry.password, "[redacted]");
    assert.deepEqual(entry.extension, { number: "1001", password: "[redacted]" });
  });

  it("writes one JSON object per line with a level label and an ISO time", () => {
    const out = capture();
    createLogger({ destination: out }).warn({ port: "board1" }, "serial adapter unplugged");
    const entry = JSON.parse(out.lines[0] ?? "") as Record<string, unknown>;
    assert.equal(entry.level, "warn");
    assert.equal(entry.msg, "serial adapter unplugged");
    assert.equal(entry.port, "board1");
    assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("gives each service a child logger with its own level", () => {
    const out = capture();
    const root = createLogger({ destination: out, level: "info", serviceLevels: { pbx: "debug" } });
    serviceLogger(root, "pbx").debug("pbx detail");
    serviceLogger(root, "media").debug("media detail");
    serviceLogger(root, "media").info("media news");
    const entries = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      entries.map((e) => [e.svc, e.msg]),
      [
        ["pbx", "pbx detail"],
        ["media", "media news"],
      ],
    );
  });

  it("prefixes lines with the journald priority under systemd", () => {
    const written: string[] = [];
    const log = createLogger({
      destination: journaldDestination({ write: (s: string) => written.push(s) }),
      level: "debug",
    });
    log.error("boom");
    log.warn("careful");
    log.info("fyi");
    log.debug("detail");
    assert.deepEqual(
      written.map((l) => l.slice(0, 3)),
      ["<3>", "<4>", "<6>", "<7>"],
    );
    assert.equal(syslogPriority(60), 2);
  });

  it("picks the journald format when JOURNAL_STREAM is set and stdout is not a terminal", () => {
    // The default destination is chosen from the environment; with JOURNAL_STREAM the process's
    // stdout gets prefixed lines. Exercised through a child so the test's stdout stays clean.
    const script = `
      import { createLogger } from "./services/log/logger.ts";
      createLogger({ env: { JOURNAL_STREAM: "8:1234" }, isTty: false }).warn("to the journal");`;
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: new URL("../../../", import.meta.url).pathname,
        encoding: "utf8",
      },
    );
    assert.match(out, /^<4>\{"level":"warn".*"msg":"to the journal"\}\n$/);
  });
});
