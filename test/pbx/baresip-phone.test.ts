import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PhonesStatus } from "../../pbx/index.js";
import { controlRequest } from "../../services/control/control-client.js";
import { freeSipPort } from "../fixtures/sip/sipp.js";
import { writePbxConfig } from "./pbx-daemon.js";
import { sleep, startHearth, type HearthProcess } from "../support/hearth-process.js";

const ENV = { HEARTH_SIP_1001: "kitchen-secret" };

// A real softphone, baresip 1.0 (Debian baresip-core), against the compiled hearth: it registers
// with digest auth, subscribes to message-summary (its mwi module) and receives the lamp's state
// (3 new messages from a command voicemail source) in a NOTIFY it accepts with 200.
describe("baresip as a phone of hearth", function () {
  this.timeout(120_000);
  let dir: string;
  let hearth: HearthProcess;
  let sipPort: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-baresip-"));
    sipPort = await freeSipPort();
    const config = writePbxConfig(
      dir,
      sipPort,
      { "1001": "{ name: Kitchen, password: { env: HEARTH_SIP_1001 }, mailbox: family }" },
      { family: '{ source: command, command: "echo 3" }' },
    );
    hearth = await startHearth({ args: ["--config", config, "--listen", "127.0.0.1"], env: ENV });
    await hearth.waitForLog((l) => String(l.msg).startsWith("SIP registrar listening"));
  });
  after(() => {
    hearth?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers, subscribes to its mailbox and takes the NOTIFY that lights its lamp", async () => {
    const phone = join(dir, "baresip");
    mkdirSync(phone);
    const phonePort = await freeSipPort();
    writeFileSync(
      join(phone, "config"),
      [
        `sip_listen 127.0.0.1:${phonePort}`,
        "module_path /usr/lib/baresip/modules",
        "module g711.so",
        "module ausine.so",
        "module_app account.so",
        "module_app mwi.so",
        "audio_player ausine,nil",
        "audio_source ausine,nil",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(phone, "accounts"),
      `<sip:1001@127.0.0.1:${sipPort};transport=udp>;auth_pass=${ENV.HEARTH_SIP_1001};regint=600\n`,
    );
    // -s: baresip traces every SIP message it sends and receives; -t: it quits by itself.
    const child = spawn("baresip", ["-f", phone, "-s", "-t", "30"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let trace = "";
    child.stdout.on("data", (c: Buffer) => (trace += c.toString()));
    child.stderr.on("data", (c: Buffer) => (trace += c.toString()));
    try {
      let status: PhonesStatus | undefined;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const answer = await controlRequest(
          [join(hearth.dataDir, "hearth.sock")],
          "GET",
          "/api/pbx/status",
        );
        status = JSON.parse(answer.body) as PhonesStatus;
        const kitchen = status.extensions.find((e) => e.number === "1001");
        if (kitchen?.subscribers === 1 && kitchen.lastNotify?.status === 200) break;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`baresip never subscribed: ${JSON.stringify(status)}\n${trace}`);
        await sleep(200);
      }
      const kitchen = status.extensions.find((e) => e.number === "1001")!;
      assert.equal(kitchen.contacts.length, 1);
      assert.match(kitchen.contacts[0]!.userAgent ?? "", /^baresip/);
      assert.equal(kitchen.lamp, true);
      assert.equal(kitchen.lastNotify?.via, "subscription");
      // What baresip received, from its own trace.
      assert.match(trace, /NOTIFY sip:1001[^\n]*\n/);
      assert.match(trace, /Messages-Waiting: yes/);
      assert.match(trace, /Voice-Message: 3\/0 \(0\/0\)/);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode === null ? child.once("exit", r) : r(null)));
    }
  });
});
