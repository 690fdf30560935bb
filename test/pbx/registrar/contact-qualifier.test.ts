import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { ContactQualifier, type Reachability } from "../../../pbx/registrar/contact-qualifier.js";
import { freeSipPort, isUdpBound, runSipp } from "../../fixtures/sip/sipp.js";
import { eventually, EXTENSIONS, RegistrarHarness } from "./registrar-harness.js";

/** A UDP port that takes every datagram and never answers: a phone that is gone or firewalled. */
async function silentPhone(): Promise<{ port: number; received: string[]; socket: Socket }> {
  const port = await freeSipPort();
  const socket = createSocket("udp4");
  const received: string[] = [];
  socket.on("message", (data) => received.push(data.toString("latin1")));
  await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
  return { port, received, socket };
}

describe("ContactQualifier (OPTIONS to registered phones)", function () {
  this.timeout(60_000);
  let h: RegistrarHarness;
  let qualifier: ContactQualifier | undefined;
  let silent: Socket | undefined;

  beforeEach(async () => {
    h = new RegistrarHarness();
    await h.start();
  });
  afterEach(async () => {
    qualifier?.stop();
    qualifier = undefined;
    silent?.close();
    silent = undefined;
    await h.stop();
  });

  /** Registers 1001 (for 300 s) with its Contact on `contactPort`; resolves with that Contact. */
  async function register(contactPort: number): Promise<string> {
    const run = await h.sipp("mwi-register-contact.xml", {
      service: "1001",
      user: "1001",
      password: EXTENSIONS[0]!.password,
      keys: { contact_port: String(contactPort) },
    });
    assert.ok(run.ok, run.output);
    return `sip:1001@127.0.0.1:${contactPort}`;
  }

  function startQualifier(intervalMs: number, timeoutMs: number): ContactQualifier {
    qualifier = new ContactQualifier(
      { endpoint: h.endpoint!, registrar: h.registrar!, log: h.log },
      { domain: "hearth.test", intervalMs, timeoutMs },
    );
    qualifier.start();
    return qualifier;
  }

  it("finds a phone that answers reachable with its round trip, and unreachable once it stops", async () => {
    const q = startQualifier(300, 1_000);
    const changes: Reachability[] = [];
    q.onChange((_binding, now) => changes.push(now));
    // A sipp UAS plays the phone: it answers one OPTIONS with 200, then exits.
    const phonePort = await freeSipPort();
    const phone = runSipp("uas-options.xml", { port: 0, localPort: phonePort });
    await eventually(() => isUdpBound(phonePort), "the sipp UAS listens");
    const contact = await register(phonePort);
    const answered = await phone;
    assert.ok(answered.ok, answered.output);

    await eventually(() => changes.length >= 2, "reachable, then unreachable");
    const [first, second] = changes;
    assert.equal(first?.state, "reachable");
    assert.equal(first?.status, 200);
    assert.equal(typeof first?.roundTripMs, "number");
    assert.equal(second?.state, "unreachable");
    assert.equal(second?.roundTripMs, undefined);
    assert.equal(q.reachability("1001", contact)?.state, "unreachable");
  });

  it("finds a registered phone that never answers unreachable after the timeout", async () => {
    const phone = await silentPhone();
    silent = phone.socket;
    const contact = await register(phone.port);
    // Started after the registration: bindings that already exist (or were restored) are asked too.
    const q = startQualifier(60_000, 500);
    assert.equal(q.reachability("1001", contact)?.state, "pending");
    await eventually(
      () => q.reachability("1001", contact)?.state === "unreachable",
      "1001 is unreachable",
    );
    assert.match(phone.received[0] ?? "", /^OPTIONS sip:1001@127\.0\.0\.1:\d+ SIP\/2\.0\r\n/);
    assert.match(phone.received[0] ?? "", /\r\nFrom: +<sip:hearth@hearth\.test>;tag=/);
    assert.ok(q.reachability("1001", contact)?.checkedAt);
    assert.equal(q.reachability("1002", contact), undefined);
  });

  it("forgets a contact whose registration ends", async () => {
    await h.stop();
    h = new RegistrarHarness();
    await h.start({ maxExpiresSec: 1 }); // every registration is cut to one second
    const phone = await silentPhone();
    silent = phone.socket;
    const q = startQualifier(60_000, 500);
    const contact = await register(phone.port);
    await eventually(() => h.registrar!.contacts("1001").length === 0, "the registration expired");
    assert.equal(q.reachability("1001", contact), undefined);
  });
});
