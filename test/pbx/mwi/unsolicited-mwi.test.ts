import assert from "node:assert/strict";
import { freeSipPort, isUdpBound, logged, runSipp, type SippRun } from "../../fixtures/sip/sipp.js";
import { eventually } from "../registrar/registrar-harness.js";
import { credentials, MwiHarness } from "./mwi-harness.js";

describe("Unsolicited MWI (sipp as a phone that never subscribes)", function () {
  this.timeout(120_000);
  let h: MwiHarness;
  let phonePort: number;

  beforeEach(async () => {
    h = new MwiHarness();
    phonePort = await freeSipPort();
  });
  afterEach(() => h.stop());

  /**
   * Starts a sipp UAS on the phone's port that takes one NOTIFY; resolves once it listens, with
   * the run (wrapped: an async function would otherwise wait for the run itself).
   */
  async function phoneTakesOneNotify(): Promise<{ done: Promise<SippRun> }> {
    // Port 0: no remote host, so sipp runs as a UAS and takes a NOTIFY with any Call-ID.
    const run = runSipp("mwi-uas-notify.xml", { port: 0, localPort: phonePort });
    await eventually(() => isUdpBound(phonePort), "the sipp UAS listens");
    return { done: run };
  }

  /** Registers `number` with its Contact on the phone's port (sent from another sipp port). */
  async function register(number: string): Promise<void> {
    const run = await h.sipp("mwi-register-contact.xml", {
      ...credentials(number),
      keys: { contact_port: String(phonePort) },
    });
    assert.ok(run.ok, run.output);
  }

  it("NOTIFYs a phone when it registers and again when the mailbox changes", async () => {
    await h.start();
    const onRegister = await phoneTakesOneNotify();
    await register("1002");
    const first = await onRegister.done;
    assert.ok(first.ok, first.output);
    assert.deepEqual(
      ["event", "state", "type", "waiting", "account", "voice"].map((k) => logged(first, k)),
      [
        "message-summary",
        "",
        "application/simple-message-summary",
        "Messages-Waiting: no",
        "Message-Account: sip:1002@hearth.test",
        "Voice-Message: 0/0 (0/0)",
      ],
    );
    await eventually(() => h.status("1002").lastNotify?.status === 200, "hearth saw the 200");

    const onChange = await phoneTakesOneNotify();
    h.notifier!.setState("gv", { new: 2, old: 0 });
    const second = await onChange.done;
    assert.ok(second.ok, second.output);
    assert.equal(logged(second, "waiting"), "Messages-Waiting: yes");
    assert.equal(logged(second, "voice"), "Voice-Message: 2/0 (0/0)");
    assert.deepEqual(
      { ...h.status("1002"), lastNotify: undefined },
      {
        number: "1002",
        mwi: "unsolicited",
        mailbox: "gv",
        lampOn: true,
        new: 2,
        old: 0,
        override: undefined,
        subscribers: 0,
        lastNotify: undefined,
      },
    );
  });

  it("lights and darkens a lamp on request (hearth pbx mwi <ext> on|off)", async () => {
    await h.start();
    const onRegister = await phoneTakesOneNotify();
    await register("1002");
    assert.ok((await onRegister.done).ok);
    await eventually(() => h.status("1002").lastNotify?.status === 200, "hearth saw the 200");

    const lit = await phoneTakesOneNotify();
    assert.equal(h.notifier!.lampOverride("1002", "on"), true);
    const on = await lit.done;
    assert.ok(on.ok, on.output);
    assert.equal(logged(on, "waiting"), "Messages-Waiting: yes");
    assert.equal(logged(on, "voice"), "Voice-Message: 1/0 (0/0)");
    await eventually(() => h.status("1002").lastNotify?.lampOn === true, "hearth saw the 200");

    const dark = await phoneTakesOneNotify();
    h.notifier!.lampOverride("1002", undefined);
    const off = await dark.done;
    assert.ok(off.ok, off.output);
    assert.equal(logged(off, "waiting"), "Messages-Waiting: no");
    assert.equal(h.notifier!.lampOverride("9999", "on"), false);
  });

  it("sends nothing unsolicited to an extension set to mwi: subscribe", async () => {
    await h.start();
    // 1003 (subscribe) registers first and takes the phone's port; nothing may reach it.
    const onRegister = await phoneTakesOneNotify();
    await register("1003");
    await register("1002");
    const first = await onRegister.done;
    assert.ok(first.ok, first.output);
    assert.equal(logged(first, "account"), "Message-Account: sip:1002@hearth.test");

    const onChange = await phoneTakesOneNotify();
    h.notifier!.setState("gv", { new: 1, old: 3 });
    const second = await onChange.done;
    assert.ok(second.ok, second.output);
    assert.equal(logged(second, "account"), "Message-Account: sip:1002@hearth.test");
    assert.equal(logged(second, "voice"), "Voice-Message: 1/3 (0/0)");
    assert.equal(h.status("1003").lastNotify, undefined);
    assert.equal(h.status("1001").lastNotify, undefined);
  });

  it("repeats the state periodically to registered phones", async () => {
    await h.start({ periodicSec: 1 });
    h.notifier!.setState("gv", { new: 3, old: 0 });
    const onRegister = await phoneTakesOneNotify();
    await register("1002");
    assert.ok((await onRegister.done).ok);
    await eventually(() => h.status("1002").lastNotify?.status === 200, "hearth saw the 200");
    // Nothing changes from here on: only the periodic repeat can reach this second phone run.
    const repeat = await phoneTakesOneNotify();
    const run = await repeat.done;
    assert.ok(run.ok, run.output);
    assert.equal(logged(run, "voice"), "Voice-Message: 3/0 (0/0)");
  });
});
