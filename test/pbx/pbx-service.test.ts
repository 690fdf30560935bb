import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PhonesStatus } from "../../pbx/index.js";
import { controlRequest } from "../../services/control/control-client.js";
import { freeSipPort, runSipp } from "../fixtures/sip/sipp.js";
import { registerPhone } from "./pbx-daemon.js";
import { MAIN, sleep, startHearth, type HearthProcess } from "../support/hearth-process.js";

const ENV = { HEARTH_SIP_1001: "kitchen-secret", HEARTH_SIP_1002: "office-secret" };

// The phone service inside the real compiled hearth: a sipp phone registers, `hearth pbx status`
// shows it with its lamp (a command voicemail source), and after kill -9 the binding is back
// without the phone registering again. Also: on the embedded default no SIP port is opened.
describe("pbx service in a running hearth", function () {
  this.timeout(120_000);
  let dir: string;
  let config: string;
  let sipPort: number;
  let hearth: HearthProcess | undefined;

  const cli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [MAIN, ...args, "-c", config, "-d", hearth?.dataDir ?? ""],
        { env: { ...process.env, ...ENV }, encoding: "utf8" },
        (err, stdout, stderr) =>
          resolve({
            status: err ? (typeof err.code === "number" ? err.code : 1) : 0,
            stdout,
            stderr,
          }),
      );
    });
  const status = async (): Promise<PhonesStatus> => {
    const answer = await controlRequest(
      [join(hearth!.dataDir, "hearth.sock")],
      "GET",
      "/api/pbx/status",
    );
    assert.equal(answer.statusCode, 200, answer.body);
    return JSON.parse(answer.body) as PhonesStatus;
  };
  const until = async (what: string, check: (s: PhonesStatus) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = await status();
      if (check(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out until ${what}: ${JSON.stringify(s)}`);
      await sleep(200);
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-pbx-svc-"));
    sipPort = await freeSipPort();
    const count = join(dir, "count");
    writeFileSync(count, '{"new": 2, "old": 5}\n');
    config = join(dir, "hearth.yaml");
    writeFileSync(
      config,
      [
        "media: { roots: [] }",
        "pbx:",
        `  sip: { port: ${sipPort}, listen: 127.0.0.1, domain: hearth.test }`,
        "  extensions:",
        '    "1001": { name: Kitchen, password: { env: HEARTH_SIP_1001 }, mailbox: family, mwi: both }',
        '    "1002": { name: Office, password: { env: HEARTH_SIP_1002 } }',
        "  voicemail:",
        `    family: { source: command, command: "cat ${count}" }`,
        "",
      ].join("\n"),
    );
  });
  after(() => {
    hearth?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers a phone, shows it and its lamp, and keeps it across kill -9", async () => {
    hearth = await startHearth({ args: ["--config", config], env: ENV });
    await hearth.waitForLog((l) => String(l.msg).startsWith("SIP registrar listening"));
    const run = await registerPhone(sipPort, "1001", ENV.HEARTH_SIP_1001, "kitchen");
    assert.ok(run.ok, run.output);
    const shown = await until("1001 is registered and counted", (s) =>
      s.extensions.some((e) => e.number === "1001" && e.contacts.length === 1 && e.voicemail),
    );
    const kitchen = shown.extensions.find((e) => e.number === "1001")!;
    assert.match(kitchen.contacts[0]!.contact, /^<?sip:kitchen@127\.0\.0\.1:\d+/);
    assert.match(kitchen.contacts[0]!.via, /^UDP 127\.0\.0\.1:\d+$/);
    assert.deepEqual(kitchen.voicemail, { new: 2, old: 5 });
    assert.equal(kitchen.lamp, true);
    assert.equal(shown.extensions.find((e) => e.number === "1002")?.contacts.length, 0);
    assert.equal(shown.health.state, "ok");

    const text = await cli("pbx", "status");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /1001\s+Kitchen\s+registered, lamp ON \(2 new, 5 old in family\)/);
    assert.match(text.stdout, /1002\s+Office\s+offline/);

    // kill -9: no clean shutdown; the binding was written when it was made.
    const dataDir = hearth.dataDir;
    await hearth.stop("SIGKILL");
    hearth = await startHearth({
      args: ["--config", config, "--data", dataDir],
      env: ENV,
    });
    await hearth.waitForLog((l) => String(l.msg).startsWith("SIP registrar listening"));
    const back = await until("the binding is restored", (s) =>
      s.extensions.some((e) => e.number === "1001" && e.contacts.length === 1),
    );
    assert.equal(
      back.extensions.find((e) => e.number === "1001")!.contacts[0]!.contact,
      kitchen.contacts[0]!.contact,
    );
  });

  it("answers a wrong password like an unknown user, and stays up", async () => {
    const wrong = await runSipp("register-rejected.xml", {
      port: sipPort,
      service: "1001",
      user: "1001",
      password: "not-the-password",
      keys: { contact_user: "intruder", expires: "600" },
    });
    const unknown = await runSipp("register-rejected.xml", {
      port: sipPort,
      service: "1999",
      user: "1999",
      password: "whatever",
      keys: { contact_user: "intruder", expires: "600" },
    });
    assert.ok(wrong.ok, wrong.output);
    assert.ok(unknown.ok, unknown.output);
    const s = await status();
    assert.equal(s.extensions.find((e) => e.number === "1001")!.contacts.length, 1);
  });

  it("forces a lamp from the CLI to test a phone, and gives it back to the mailbox", async () => {
    const on = await cli("pbx", "mwi", "1002", "on");
    assert.equal(on.status, 0, on.stderr);
    let office = (await status()).extensions.find((e) => e.number === "1002")!;
    assert.equal(office.lamp, true);
    assert.equal(office.lampOverride, "on");
    const text = await cli("pbx", "status");
    assert.match(text.stdout, /1002\s+Office\s+offline, lamp ON \(forced on\)/);
    const auto = await cli("pbx", "mwi", "1002", "auto");
    assert.equal(auto.status, 0, auto.stderr);
    office = (await status()).extensions.find((e) => e.number === "1002")!;
    assert.equal(office.lamp, false);
    assert.equal(office.lampOverride, undefined);
    const unknown = await cli("pbx", "mwi", "1999", "on");
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no extension 1999/);
    const bad = await cli("pbx", "mwi", "1001", "blink");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /on, off or auto/);
  });

  it("answers click-to-call from the CLI with what it needs when no Asterisk is configured", async () => {
    const call = await cli("pbx", "call", "1001", "15551234567");
    assert.equal(call.status, 1);
    assert.match(call.stderr, /click-to-call goes through Asterisk, and none is configured/);
  });

  it("opens no SIP port on the embedded default", async () => {
    await hearth?.stop();
    hearth?.cleanup();
    hearth = await startHearth();
    const answer = await controlRequest(
      [join(hearth.dataDir, "hearth.sock")],
      "GET",
      "/api/pbx/status",
    );
    assert.equal(answer.statusCode, 503, answer.body);
    const overview = await controlRequest([join(hearth.dataDir, "hearth.sock")], "GET", "/status");
    const pbx = (
      JSON.parse(overview.body) as {
        services: Array<{ name: string; state: string; reason?: string }>;
      }
    ).services.find((s) => s.name === "pbx");
    assert.equal(pbx?.state, "off");
    assert.match(pbx?.reason ?? "", /No phones are configured/);
  });
});
