import assert from "node:assert/strict";
import { logged, type SippRun } from "../../fixtures/sip/sipp.js";
import { eventually } from "../registrar/registrar-harness.js";
import { AS_KITCHEN, ProxyHarness } from "./proxy-harness.js";

/** The branch parameter of a logged Via. */
function branchOf(via: string | undefined): string | undefined {
  return /;branch=([^;\s]+)/.exec(via ?? "")?.[1];
}

/** Every value a run logged under `name`, in order. */
function allLogged(run: SippRun, name: string): string[] {
  return run.logs
    .filter((l) => l.startsWith(`${name}=`))
    .map((l) => l.slice(name.length + 1).trim());
}

describe("CallProxy (sipp as the phones)", function () {
  this.timeout(120_000);
  let h: ProxyHarness;

  beforeEach(async () => {
    h = new ProxyHarness();
    await h.start();
  });
  afterEach(() => h.stop());

  it("relays 180, 200, ACK, re-INVITE, UPDATE, INFO and BYE between two extensions through hearth", async () => {
    const callee = await h.phone("1002", "call-uas-answer.xml");
    const caller = await h.uac("call-uac.xml", { ...AS_KITCHEN, service: "1002" });
    const uas = await callee.run;
    assert.ok(caller.ok, caller.output);
    assert.ok(uas.ok, uas.output);
    const hearth = `127.0.0.1:${h.port}`;
    const hearthRe = hearth.replaceAll(".", "\\.");

    // What the called phone got: hearth's Via over the caller's, hearth's Record-Route, one hop
    // less, the registered contact as Request-URI, the caller's SDP as sent, no credentials.
    assert.match(
      logged(uas, "invite_via")!,
      new RegExp(`^SIP/2\\.0/UDP ${hearthRe};rport;branch=z9hG4bK`),
    );
    assert.match(
      logged(uas, "invite_via2")!,
      /^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK-\d+-1-\d+;received=127\.0\.0\.1$/,
    );
    assert.equal(logged(uas, "invite_rr"), `<sip:${hearth};lr>`);
    assert.equal(logged(uas, "invite_mf"), "69");
    assert.equal(
      logged(uas, "invite_ruri"),
      `INVITE sip:1002@127.0.0.1:${callee.port};transport=UDP`,
    );
    assert.ok(
      uas.logs.some((l) => l.startsWith("m=audio ") && l.includes("RTP/AVP 0")),
      "SDP offer passed",
    );
    assert.equal(logged(uas, "invite_pa"), "");
    // ACK and BYE came through hearth (its Via on top), BYE to the phone's Contact with our
    // Route entry removed.
    assert.match(logged(uas, "ack_via")!, new RegExp(`^SIP/2\\.0/UDP ${hearthRe};branch=z9hG4bK`));
    assert.match(logged(uas, "bye_via")!, new RegExp(`^SIP/2\\.0/UDP ${hearthRe};`));
    assert.equal(logged(uas, "bye_ruri"), `BYE sip:1002@127.0.0.1:${callee.port};transport=UDP`);
    assert.equal(logged(uas, "bye_route"), "");

    // What the caller got: the 180, then a 200 with only its own Via, the Record-Route, the
    // callee's Contact and its SDP answer untouched.
    assert.equal(logged(caller, "ringing"), "yes");
    assert.equal(logged(caller, "answer_rr"), `<sip:${hearth};lr>`);
    assert.match(
      logged(caller, "answer_via")!,
      /^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK-\d+-1-\d+;received=127\.0\.0\.1$/,
    );
    assert.equal(
      logged(caller, "answer_contact"),
      `<sip:1002@127.0.0.1:${callee.port};transport=UDP>`,
    );
    assert.equal(logged(caller, "answer_media"), "m=audio 6000");
    assert.equal(logged(caller, "bye"), "answered");

    // Mid-call: the caller's re-INVITE (its SDP answer came back) and UPDATE reached the callee
    // through hearth, and the callee's INFO reached the caller at its Contact through hearth.
    assert.match(logged(uas, "reinvite_via")!, new RegExp(`^SIP/2\\.0/UDP ${hearthRe};`));
    assert.equal(logged(caller, "reinvite_answer"), "a=recvonly");
    assert.equal(logged(caller, "update"), "answered");
    assert.match(logged(caller, "info_via")!, new RegExp(`^SIP/2\\.0/UDP ${hearthRe};`));
    assert.match(logged(caller, "info_ruri")!, /^INFO sip:1001@127\.0\.0\.1:\d+;transport=UDP$/);
    assert.equal(logged(uas, "info"), "answered");
    await eventually(() => h.proxy.calls().length === 0, "the call leaves the table after BYE");
  });

  it("records two routes when the caller is on TCP and the callee on UDP (RFC 5658)", async () => {
    const callee = await h.phone("1002", "call-uas-answer.xml");
    const caller = await h.uac("call-uac.xml", {
      ...AS_KITCHEN,
      service: "1002",
      transport: "tcp",
    });
    const uas = await callee.run;
    assert.ok(caller.ok, caller.output);
    assert.ok(uas.ok, uas.output);
    const hearth = `127.0.0.1:${h.port}`;
    // The callee-facing entry first; each side reaches hearth over its own transport. (The
    // `sip` package writes a space before every name-addr, hence two after the comma.)
    assert.equal(logged(uas, "invite_rr"), `<sip:${hearth};lr>,  <sip:${hearth};transport=tcp;lr>`);
    assert.match(logged(caller, "info_via")!, /^SIP\/2\.0\/TCP /);
    assert.equal(logged(caller, "bye"), "answered");
  });

  it("passes the caller's CANCEL on while it rings, and the callee's 487 back", async () => {
    const callee = await h.phone("1002", "call-uas-ringing-cancelled.xml");
    const calling = h.uac("call-uac-cancel.xml", { ...AS_KITCHEN, service: "1002" });
    await eventually(
      () => h.proxy.calls().some((c) => c.state === "ringing"),
      "the dashboard shows the call ringing",
    );
    const [call] = h.proxy.calls();
    assert.equal(call!.from, "1001");
    assert.equal(call!.to, "1002");
    assert.ok(call!.startedAt <= Date.now());
    const caller = await calling;
    const uas = await callee.run;
    assert.ok(caller.ok, caller.output);
    assert.ok(uas.ok, uas.output);
    assert.equal(logged(caller, "cancel"), "answered");
    assert.equal(logged(caller, "status"), "487");
    // RFC 3261 §9.1: the CANCEL carries the branch of the INVITE it cancels.
    assert.ok(branchOf(logged(uas, "invite_via")));
    assert.equal(branchOf(logged(uas, "cancel_via")), branchOf(logged(uas, "invite_via")));
    assert.equal(logged(uas, "acked"), "yes");
    await eventually(() => h.proxy.calls().length === 0, "the cancelled call leaves the table");
  });

  for (const [answer, scenario] of [
    ["486 Busy Here", "call-uas-busy.xml"],
    ["603 Decline", "call-uas-decline.xml"],
  ] as const) {
    it(`passes a callee's ${answer} back to the caller`, async () => {
      const callee = await h.phone("1002", scenario);
      const caller = await h.uac("call-uac-rejected.xml", { ...AS_KITCHEN, service: "1002" });
      const uas = await callee.run;
      assert.ok(caller.ok, caller.output);
      assert.ok(uas.ok, uas.output);
      assert.equal(logged(caller, "status"), answer.slice(0, 3));
      assert.equal(logged(uas, "acked"), "yes", "hearth ACKs the failure hop by hop");
      assert.deepEqual(h.proxy.calls(), []);
    });
  }

  it("answers 404 for an extension that is not configured", async () => {
    const caller = await h.uac("call-uac-rejected.xml", { ...AS_KITCHEN, service: "1999" });
    assert.ok(caller.ok, caller.output);
    assert.equal(logged(caller, "status"), "404");
  });

  it("answers 480 for a configured extension with no registered phone", async () => {
    const caller = await h.uac("call-uac-rejected.xml", { ...AS_KITCHEN, service: "1003" });
    assert.ok(caller.ok, caller.output);
    assert.equal(logged(caller, "status"), "480");
  });

  it("rings every phone of the called extension and cancels the others when one answers", async () => {
    const desk = await h.phone("1002", "call-uas-answer.xml");
    const soft = await h.phone("1002", "call-uas-trying-cancelled.xml");
    assert.equal(h.registrar.contacts("1002").length, 2);
    const caller = await h.uac("call-uac.xml", { ...AS_KITCHEN, service: "1002" });
    const [answered, cancelled] = await Promise.all([desk.run, soft.run]);
    assert.ok(caller.ok, caller.output);
    assert.ok(answered.ok, answered.output);
    assert.ok(cancelled.ok, cancelled.output);
    assert.equal(
      logged(caller, "answer_contact"),
      `<sip:1002@127.0.0.1:${desk.port};transport=UDP>`,
    );
    assert.equal(
      branchOf(logged(cancelled, "cancel_via")),
      branchOf(logged(cancelled, "invite_via")),
    );
    assert.equal(logged(cancelled, "acked"), "yes");
    assert.deepEqual(allLogged(caller, "bye"), ["answered"]);
  });
});
