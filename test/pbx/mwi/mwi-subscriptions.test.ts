import assert from "node:assert/strict";
import { logged } from "../../fixtures/sip/sipp.js";
import { eventually } from "../registrar/registrar-harness.js";
import { credentials, MwiHarness } from "./mwi-harness.js";

/** True once hearth recorded a 2xx answer to a NOTIFY for `number` that showed `lampOn`. */
function answered(h: MwiHarness, number: string, lampOn: boolean): boolean {
  const last = h.status(number).lastNotify;
  return last !== undefined && last.status === 200 && last.lampOn === lampOn;
}

describe("MWI subscriptions (sipp as a subscribing phone)", function () {
  this.timeout(120_000);
  let h: MwiHarness;

  beforeEach(() => (h = new MwiHarness()));
  afterEach(() => h.stop());

  for (const transport of ["udp", "tcp"] as const) {
    it(`subscribes with digest over ${transport}, follows no → yes → no, refreshes and unsubscribes`, async () => {
      await h.start();
      const phone = h.sipp("mwi-subscribe.xml", {
        ...credentials("1001"),
        transport,
        keys: { expires: "120" },
      });
      await eventually(() => answered(h, "1001", false), "the first NOTIFY is answered");
      assert.equal(h.status("1001").subscribers, 1);
      h.notifier!.setState("gv", { new: 2, old: 0 });
      await eventually(() => answered(h, "1001", true), "the lamp-on NOTIFY is answered");
      h.notifier!.setState("gv", { new: 0, old: 2 });
      const run = await phone;
      assert.ok(run.ok, run.output);

      assert.equal(logged(run, "granted"), "120");
      assert.match(logged(run, "state1") ?? "", /^active;expires=(120|119)$/);
      assert.equal(logged(run, "waiting1"), "Messages-Waiting: no");
      assert.equal(logged(run, "account1"), "Message-Account: sip:1001@hearth.test");
      assert.equal(logged(run, "voice1"), "Voice-Message: 0/0 (0/0)");
      assert.match(logged(run, "state2") ?? "", /^active;expires=\d+$/);
      assert.equal(logged(run, "waiting2"), "Messages-Waiting: yes");
      assert.equal(logged(run, "voice2"), "Voice-Message: 2/0 (0/0)");
      assert.equal(logged(run, "waiting3"), "Messages-Waiting: no");
      assert.equal(logged(run, "voice3"), "Voice-Message: 0/2 (0/0)");
      assert.equal(logged(run, "refreshed"), "120");
      assert.match(logged(run, "state3r") ?? "", /^active;expires=(120|119)$/);
      assert.equal(logged(run, "voice3r"), "Voice-Message: 0/2 (0/0)");
      assert.equal(logged(run, "ended"), "0");
      assert.equal(logged(run, "state4"), "terminated;reason=timeout");
      await eventually(() => h.status("1001").subscribers === 0, "the subscription is gone");
    });
  }

  it("answers 489 with Allow-Events to a SUBSCRIBE for another event package", async () => {
    await h.start();
    const run = await h.sipp("mwi-bad-event.xml", {
      ...credentials("1001"),
      keys: { event: "presence" },
    });
    assert.ok(run.ok, run.output);
    assert.equal(logged(run, "allowed"), "message-summary");
  });

  it("refuses with 403 an extension subscribing to another extension's mailbox", async () => {
    await h.start();
    const run = await h.sipp("mwi-foreign-mailbox.xml", {
      ...credentials("1001"),
      keys: { mailbox_ext: "1003" },
    });
    assert.ok(run.ok, run.output);
    assert.equal(h.status("1003").subscribers, 0);
    assert.equal(h.status("1001").subscribers, 0);
  });

  it("answers 481 to a refresh of an unknown dialog and drops a subscription the phone forgot", async () => {
    await h.start();
    const phone = h.sipp("mwi-subscribe-forget.xml", {
      ...credentials("1001"),
      keys: { expires: "3600" },
    });
    const run = await phone;
    assert.ok(run.ok, run.output);
    await eventually(() => h.status("1001").subscribers === 0, "the subscription is dropped");
    assert.equal(h.status("1001").lastNotify?.status, 481);
  });

  it("ends a subscription that was not refreshed with terminated;reason=timeout", async () => {
    await h.start();
    const run = await h.sipp("mwi-subscribe-end.xml", {
      ...credentials("1001"),
      keys: { expires: "2" },
    });
    assert.ok(run.ok, run.output);
    assert.match(logged(run, "first") ?? "", /^active;expires=[0-2]$/);
    assert.equal(logged(run, "final"), "terminated;reason=timeout");
    assert.equal(h.status("1001").subscribers, 0);
  });

  it("ends every subscription with terminated;reason=deactivated when it stops", async () => {
    await h.start();
    const phone = h.sipp("mwi-subscribe-end.xml", {
      ...credentials("1003"),
      keys: { expires: "3600" },
    });
    await eventually(() => answered(h, "1003", false), "the first NOTIFY is answered");
    await h.notifier!.stop();
    const run = await phone;
    assert.ok(run.ok, run.output);
    assert.equal(logged(run, "final"), "terminated;reason=deactivated");
  });
});
