/**
 * The Asterisk bridge against test/fixtures/ami/ami-replayer.ts — a TRANSCRIPT REPLAYER, NOT
 * ASTERISK (none can be installed here). It replays wire text transcribed from Asterisk's source.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { AmiClient } from "../../../pbx/asterisk/ami-client.js";
import {
  AsteriskBridge,
  type AsteriskBridgeOptions,
} from "../../../pbx/asterisk/asterisk-bridge.js";
import { AsteriskMailboxSource } from "../../../pbx/asterisk/asterisk-mailbox-source.js";
import { AsteriskVoicemailSource } from "../../../pbx/asterisk/asterisk-voicemail-source.js";
import type { VoicemailSource } from "../../../pbx/voicemail/voicemail-source.js";
import { AmiReplayer } from "../../fixtures/ami/ami-replayer.js";
import { waitFor } from "../../fixtures/ami/wait-for.js";

describe("Asterisk bridge (against the transcript replayer, not Asterisk)", () => {
  const log = pino({ level: "silent" });
  let replayer: AmiReplayer;
  let client: AmiClient;
  let bridge: AsteriskBridge | undefined;
  let spool: string;

  beforeEach(async () => {
    replayer = await AmiReplayer.start();
    spool = await mkdtemp(join(tmpdir(), "hearth-spool-"));
    client = new AmiClient({
      host: "127.0.0.1",
      port: replayer.port,
      username: "hearth",
      secret: "s3cret",
      backoff: { initialMs: 20, maxMs: 200 },
      log,
    });
  });
  afterEach(async () => {
    bridge?.stop();
    bridge = undefined;
    await client.stop();
    await replayer.close();
    await rm(spool, { recursive: true, force: true });
  });

  async function startBridge(options: AsteriskBridgeOptions = {}): Promise<AsteriskBridge> {
    bridge = new AsteriskBridge(client, options, log);
    bridge.start();
    client.start();
    await waitFor("ready", () => client.state === "ready");
    return bridge;
  }

  it("pushes mailbox state with MWIUpdate, exactly these headers", async () => {
    const b = await startBridge();
    await b.setMailbox("1001", { new: 2, old: 1 });
    const update = replayer.actions("MWIUpdate")[0];
    assert.match(
      update?.wire ?? "",
      /^Action: MWIUpdate\r\nActionID: hearth-\d+\r\nMailbox: 1001@default\r\nOldMessages: 1\r\nNewMessages: 2\r\n\r\n$/,
    );
    assert.equal(b.health().state, "ok");
  });

  it("re-pushes every mailbox after the server drops the link (resync)", async () => {
    const b = await startBridge();
    await b.setMailbox("1001@family", { new: 3, old: 0 });
    await b.setMailbox("1002", { new: 0, old: 4 });
    assert.equal(replayer.actions("MWIUpdate").length, 2);
    replayer.dropConnections();
    await waitFor("re-push", () => replayer.actions("MWIUpdate").length >= 4, 15_000);
    const mailboxes = replayer
      .actions("MWIUpdate")
      .slice(2)
      .map((a) => a.get("Mailbox"));
    assert.deepEqual(mailboxes.sort(), ["1001@family", "1002@default"]);
    await waitFor(
      "registrations re-read too",
      () => replayer.actions("PJSIPShowContacts").length === 2,
    );
    await waitFor("channels re-read too", () => replayer.actions("CoreShowChannels").length === 2);
  });

  it("remembers state set while the link is down and pushes it at the next login", async () => {
    bridge = new AsteriskBridge(client, {}, log);
    bridge.start();
    await bridge.setMailbox("1001", { new: 1, old: 0 });
    assert.equal(replayer.actions("MWIUpdate").length, 0);
    client.start();
    await waitFor("pushed on login", () => replayer.actions("MWIUpdate").length === 1);
    assert.equal(replayer.actions("MWIUpdate")[0]?.get("NewMessages"), "1");
  });

  it("spool method: writes and removes placeholder files and sends VoicemailRefresh", async () => {
    const inbox = join(spool, "default", "1001", "INBOX");
    await mkdir(inbox, { recursive: true });
    await writeFile(join(inbox, "msg0000.txt"), "[message]\norigmailbox=1001\n"); // a real voicemail
    const b = await startBridge({ mwi: "spool", spoolDir: spool });
    await b.setMailbox("1001", { new: 2, old: 1 });
    assert.deepEqual((await readdir(inbox)).sort(), ["msg0000.txt", "msg0001.txt", "msg0002.txt"]);
    assert.deepEqual(await readdir(join(spool, "default", "1001", "Old")), ["msg0000.txt"]);
    const refresh = replayer.actions("VoicemailRefresh")[0];
    assert.match(
      refresh?.wire ?? "",
      /^Action: VoicemailRefresh\r\nActionID: hearth-\d+\r\nContext: default\r\nMailbox: 1001\r\n\r\n$/,
    );
    await b.setMailbox("1001", { new: 0, old: 0 });
    assert.deepEqual(await readdir(inbox), ["msg0000.txt"], "only our placeholders were removed");
    assert.equal(
      await readFile(join(inbox, "msg0000.txt"), "utf8"),
      "[message]\norigmailbox=1001\n",
    );
    assert.deepEqual(await readdir(join(spool, "default", "1001", "Old")), []);
    assert.equal(replayer.actions("VoicemailRefresh").length, 2);
    assert.equal(replayer.actions("MWIUpdate").length, 0);
  });

  it("refuses mailbox names that would escape the spool", async () => {
    const b = await startBridge({ mwi: "spool", spoolDir: spool });
    await b.setMailbox("../../etc@default", { new: 1, old: 0 });
    await b.setMailbox("1001@..", { new: 1, old: 0 });
    assert.deepEqual(await readdir(spool), []);
    assert.equal(replayer.actions("VoicemailRefresh").length, 0);
  });

  it("reads registrations (PJSIP and chan_sip) and follows ContactStatus / PeerStatus", async () => {
    const b = await startBridge();
    await waitFor("registrations", () => b.registrations().length === 4);
    const byEndpoint = Object.fromEntries(
      b.registrations().map((c) => [`${c.driver}:${c.endpoint}`, c]),
    );
    assert.equal(byEndpoint["pjsip:1001"]?.status, "reachable");
    assert.equal(byEndpoint["pjsip:1001"]?.roundtripUsec, 5210);
    assert.equal(byEndpoint["pjsip:1001"]?.userAgent, "Cisco-CP7945G/9.4.2");
    assert.equal(byEndpoint["pjsip:1002"]?.status, "unreachable");
    assert.equal(byEndpoint["sip:1001"]?.roundtripUsec, 6000);
    assert.equal(byEndpoint["sip:1003"]?.status, "unregistered");
    let changes = 0;
    b.onChange(() => (changes += 1));
    replayer.inject("ContactStatus", {
      URI: "sip:1002@192.168.1.34:5062;transport=udp",
      ContactStatus: "Reachable",
      Endpoint: "1002",
      RoundtripUsec: "800",
    });
    replayer.inject("PeerStatus", {
      Endpoint: "1003",
      PeerStatus: "Registered",
      Address: "10.0.0.3:5060",
    });
    await waitFor("events applied", () => changes >= 2);
    const after = Object.fromEntries(
      b.registrations().map((c) => [`${c.driver}:${c.endpoint}`, c]),
    );
    assert.equal(after["pjsip:1002"]?.status, "reachable");
    assert.equal(after["sip:1003"]?.status, "registered");
    assert.equal(after["sip:1003"]?.uri, "10.0.0.3:5060");
    replayer.inject("ContactStatus", {
      URI: "sip:1001@192.168.1.21:5060",
      ContactStatus: "Removed",
      Endpoint: "1001",
      RoundtripUsec: "0",
    });
    await waitFor(
      "removal",
      () => !b.registrations().some((c) => c.uri === "sip:1001@192.168.1.21:5060"),
    );
  });

  it("treats 'No Contacts found' and a missing chan_sip as empty lists, not failures", async () => {
    replayer.failing.add("PJSIPShowContacts");
    replayer.unknown.add("SIPpeers");
    const b = await startBridge();
    await waitFor("resync done", () => replayer.actions("CoreShowChannels").length === 1);
    await waitFor("channels read", () => b.calls().length === 1);
    assert.deepEqual(b.registrations(), []);
    assert.equal(b.health().state, "ok");
  });

  it("follows calls: CoreShowChannels on login, then Newchannel … Hangup into a call log", async () => {
    const b = await startBridge();
    await waitFor("channels", () => b.calls().length === 1);
    assert.equal(b.calls()[0]?.channel, "PJSIP/1001-00000003");
    assert.equal(b.calls()[0]?.state, "Up");
    for (const label of ["Newchannel", "Newstate", "DialBegin", "DialEnd"]) replayer.inject(label);
    await waitFor("dial end", () => b.calls().some((c) => c.dialStatus === "ANSWER"));
    const study = b.calls().find((c) => c.channel === "PJSIP/1002-00000009");
    assert.equal(study?.state, "Ring");
    assert.equal(study?.callerIdName, "Study");
    replayer.inject("Hangup");
    await waitFor("hangup", () => b.recentCalls().length === 1);
    assert.equal(b.recentCalls()[0]?.causeText, "Normal Clearing");
    assert.equal(b.calls().length, 1);
  });

  it("click-to-call: Originate Async, outcome from the OriginateResponse with its ActionID", async () => {
    const b = await startBridge();
    const result = await b.originate({ from: "1001", to: "15551234567", ringTimeoutMs: 20_000 });
    assert.deepEqual(result, {
      isSuccess: true,
      reason: 4,
      channel: "PJSIP/1001-00000008",
      uniqueid: "1786032005.21",
    });
    const wire = replayer.actions("Originate")[0]?.wire ?? "";
    assert.match(
      wire,
      /\r\nChannel: PJSIP\/1001\r\nContext: from-internal\r\nExten: 15551234567\r\nPriority: 1\r\n/,
    );
    assert.match(wire, /\r\nTimeout: 20000\r\nAsync: true\r\n\r\n$/);
    replayer.failing.add("Originate");
    const failed = await b.originate({ from: "1001", to: "1002" });
    assert.equal(failed.isSuccess, false);
    assert.equal(failed.reason, 0);
    await assert.rejects(b.originate({ from: "1001", to: "1002\r\nAction: Logoff" }), RangeError);
  });

  it("reports a refused login as failed health with a fix", async () => {
    replayer.failing.add("Login");
    bridge = new AsteriskBridge(client, {}, log);
    bridge.start();
    client.start();
    await waitFor("auth-failed", () => client.state === "auth-failed");
    const health = bridge.health();
    assert.equal(health.state, "failed");
    assert.match(health.reason ?? "", /Authentication failed/);
    assert.match(health.fix ?? "", /pbx\.ami\.secret/);
  });

  it("asterisk voicemail source: MailboxCount on login, MessageWaiting in between", async () => {
    const counts: Record<string, string> = { "1001@default": "2", "1002@family": "0" };
    replayer.vars.NewMessages = (req) => counts[req?.get("Mailbox") ?? ""] ?? "0";
    replayer.vars.OldMessages = "1";
    const source = new AsteriskVoicemailSource(client, { mailboxes: ["1001", "1002@family"] }, log);
    const seen: string[] = [];
    source.onChange((mailbox, state) => seen.push(`${mailbox}=${state.new}/${state.old}`));
    source.start();
    client.start();
    try {
      await waitFor(
        "counts",
        () => source.state("1002@family") !== undefined && source.state("1001") !== undefined,
      );
      assert.deepEqual(source.state("1001"), { new: 2, old: 1 });
      assert.deepEqual(source.state("1002@family"), { new: 0, old: 1 });
      assert.equal(source.health().state, "ok");
      counts["1001@default"] = "5"; // what a MailboxCount would now say too
      replayer.inject("MessageWaiting", {
        Mailbox: "1001@default",
        Waiting: "1",
        NewMessages: "5",
        OldMessages: "1",
      });
      replayer.inject("MessageWaiting", {
        Mailbox: "9999@default",
        Waiting: "1",
        NewMessages: "7",
        OldMessages: "0",
      });
      replayer.inject("MessageWaiting", {
        Mailbox: "1002@family",
        Waiting: "1",
        NewMessages: "lots",
        OldMessages: "1",
      });
      await waitFor("event applied", () => source.state("1001")?.new === 5);
      counts["1002@family"] = "3";
      await source.refresh();
      assert.deepEqual(source.state("1002@family"), { new: 3, old: 1 });
      assert.deepEqual(seen.sort(), ["1001=2/1", "1001=5/1", "1002@family=0/1", "1002@family=3/1"]);
    } finally {
      source.stop();
    }
  });

  it("one mailbox fits pbx/voicemail's VoicemailSource shape", async () => {
    replayer.vars.NewMessages = "1";
    replayer.vars.OldMessages = "0";
    const source: VoicemailSource = new AsteriskMailboxSource("vm-1001", "1001", client, {}, log);
    const calls: string[] = [];
    source.onChange((state, previous) => calls.push(`${previous?.new ?? "-"}->${state.new}`));
    await source.start();
    client.start();
    try {
      await waitFor("first count", () => source.state() !== undefined);
      replayer.inject("MessageWaiting", {
        Mailbox: "1001@default",
        Waiting: "0",
        NewMessages: "0",
        OldMessages: "0",
      });
      await waitFor("change", () => source.state()?.new === 0);
      assert.deepEqual(calls, ["-->1", "1->0"]);
      assert.equal(source.kind, "asterisk");
    } finally {
      await source.stop();
    }
  });
});
