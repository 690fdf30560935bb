/**
 * The AMI client against test/fixtures/ami/ami-replayer.ts — a TRANSCRIPT REPLAYER, NOT ASTERISK
 * (none can be installed here). It replays wire text transcribed from Asterisk's source and docs.
 */
import assert from "node:assert/strict";
import { pino } from "pino";
import { AmiClient, type AmiClientOptions } from "../../../pbx/asterisk/ami-client.js";
import { AmiError } from "../../../pbx/asterisk/ami-error.js";
import type { AmiMessage } from "../../../pbx/asterisk/ami-message.js";
import { AmiReplayer } from "../../fixtures/ami/ami-replayer.js";
import { waitFor } from "../../fixtures/ami/wait-for.js";

describe("AMI client (against the transcript replayer, not Asterisk)", () => {
  let replayer: AmiReplayer;
  let client: AmiClient | undefined;

  beforeEach(async () => {
    replayer = await AmiReplayer.start();
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    await replayer.close();
  });

  function startClient(options: Partial<AmiClientOptions> = {}): AmiClient {
    client = new AmiClient({
      host: "127.0.0.1",
      port: replayer.port,
      username: "hearth",
      secret: "s3cret",
      backoff: { initialMs: 20, maxMs: 200 },
      log: pino({ level: "silent" }),
      ...options,
    });
    client.start();
    return client;
  }

  it("logs in with Username, Secret and Events and reports ready", async () => {
    const c = startClient();
    let readies = 0;
    c.onReady(() => (readies += 1));
    await waitFor("ready", () => c.state === "ready");
    const login = replayer.actions("Login")[0];
    assert.match(
      login?.wire ?? "",
      /^Action: Login\r\nActionID: hearth-\d+\r\nUsername: hearth\r\nSecret: s3cret\r\nEvents: system,call\r\n\r\n$/,
    );
    assert.equal(readies, 1);
    assert.equal(c.status().logins, 1);
  });

  it("reports a refused login as a clear reason and retries slowly, not in a loop", async () => {
    replayer.failing.add("Login");
    const c = startClient({ authRetryMs: 60_000 });
    await waitFor("auth-failed", () => c.state === "auth-failed");
    assert.match(
      c.status().reason ?? "",
      /refused the AMI login for user "hearth": Authentication failed/,
    );
    await waitFor("the replayer to close the session", () => replayer.openConnections === 0);
    await new Promise((r) => setTimeout(r, 300)); // > backoff max: a fast retry would have happened
    assert.equal(replayer.actions("Login").length, 1, "no second login before authRetryMs");
    assert.equal(c.state, "auth-failed");
  });

  it("recovers once the secret is accepted again", async () => {
    replayer.failing.add("Login");
    const c = startClient({ authRetryMs: 50 });
    await waitFor("auth-failed", () => c.state === "auth-failed");
    replayer.failing.delete("Login");
    await waitFor("ready", () => c.state === "ready");
    assert.equal(c.status().reason, undefined);
  });

  it("correlates answers by ActionID while unrelated events interleave", async () => {
    const c = startClient();
    const seen: AmiMessage[] = [];
    c.onEvent((e) => seen.push(e));
    await waitFor("ready", () => c.state === "ready");
    replayer.vars.NewMessages = "2";
    replayer.vars.OldMessages = "5";
    const [count, ping] = await Promise.all([
      c.send("MailboxCount", { Mailbox: "1001@default" }),
      c.send("Ping"),
    ]);
    assert.equal(count.response.get("Mailbox"), "1001@default");
    assert.equal(count.response.count("NewMessages"), 2);
    assert.equal(ping.response.get("Ping"), "Pong");
    const originate = await c.send(
      "Originate",
      { Channel: "PJSIP/1001", Context: "from-internal", Exten: "1002", Priority: 1, Async: true },
      { completionEvent: "OriginateResponse" },
    );
    assert.equal(originate.response.get("Message"), "Originate successfully queued");
    assert.equal(originate.completion?.get("Response"), "Success");
    assert.equal(originate.completion?.get("Channel"), "PJSIP/1001-00000008");
    assert.ok(
      seen.some((e) => e.event === "Newchannel"),
      "the interleaved Newchannel reached event listeners",
    );
    assert.ok(!seen.some((e) => e.event === "OriginateResponse"), "the completion was consumed");
  });

  it("collects EventList answers until EventList: Complete", async () => {
    const c = startClient();
    await waitFor("ready", () => c.state === "ready");
    replayer.inject("PeerStatus", {
      Endpoint: "1001",
      PeerStatus: "Registered",
      Address: "1.2.3.4:5060",
    });
    const contacts = await c.send("PJSIPShowContacts");
    assert.deepEqual(
      contacts.events.map((e) => e.get("Endpoint")),
      ["1001", "1002"],
    );
    assert.equal(contacts.completion?.event, "ContactListComplete");
    assert.equal(contacts.completion?.count("ListItems"), 2);
    const channels = await c.send("CoreShowChannels");
    assert.equal(channels.events.length, 1);
    assert.deepEqual(channels.events[0]?.getAll("ChanVariable"), [
      "CDR(userfield)=note: called back",
      "DIALSTATUS=ANSWER",
    ]);
  });

  it("rejects an Error response with Asterisk's message", async () => {
    const c = startClient();
    await waitFor("ready", () => c.state === "ready");
    await assert.rejects(c.send("NoSuchAction"), (err: unknown) => {
      assert.ok(err instanceof AmiError);
      assert.equal(err.failure, "rejected");
      assert.equal(
        err.amiMessage,
        "Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.",
      );
      return true;
    });
  });

  it("times out one action without harming the link", async () => {
    const c = startClient();
    await waitFor("ready", () => c.state === "ready");
    replayer.silent.add("MWIGet");
    await assert.rejects(
      c.send("MWIGet", { Mailbox: "1001" }, { timeoutMs: 100 }),
      /did not answer MWIGet/,
    );
    assert.equal((await c.send("Ping")).response.get("Ping"), "Pong");
  });

  it("refuses values that would smuggle a second action", async () => {
    const c = startClient();
    await waitFor("ready", () => c.state === "ready");
    await assert.rejects(c.send("Ping", { X: "a\r\nAction: Originate" }), RangeError);
    assert.equal(replayer.actions("Originate").length, 0);
  });

  it("pings on its interval and reconnects when pongs stop, firing ready again", async () => {
    const c = startClient({ pingIntervalMs: 50, pingTimeoutMs: 100 });
    let readies = 0;
    c.onReady(() => (readies += 1));
    await waitFor("pings", () => replayer.actions("Ping").length >= 2);
    replayer.silent.add("Ping");
    await waitFor("a second connection", () => replayer.connections >= 2);
    replayer.silent.delete("Ping");
    await waitFor("ready again", () => readies >= 2 && c.state === "ready");
    assert.equal(replayer.actions("Login").length >= 2, true);
  });

  it("reconnects after the server drops the connection and fails pending actions", async () => {
    const c = startClient();
    await waitFor("ready", () => c.state === "ready");
    replayer.silent.add("MWIGet");
    const pending = c.send("MWIGet", { Mailbox: "1001" }, { timeoutMs: 30_000 });
    await waitFor("the action to arrive", () => replayer.actions("MWIGet").length === 1);
    replayer.dropConnections();
    await assert.rejects(
      pending,
      (err: unknown) => err instanceof AmiError && err.failure === "disconnected",
    );
    await waitFor("ready again", () => c.status().logins === 2 && c.state === "ready");
  });

  it("rejects sends while not logged in, instead of queueing them", async () => {
    const c = new AmiClient({
      host: "127.0.0.1",
      port: replayer.port,
      username: "u",
      secret: "s",
      log: pino({ level: "silent" }),
    });
    await assert.rejects(
      c.send("Ping"),
      (err: unknown) => err instanceof AmiError && err.failure === "not-connected",
    );
  });

  it("survives hostile bytes from the server and keeps answering", async () => {
    const c = startClient({ limits: { maxMessageBytes: 64 * 1024 } });
    await waitFor("ready", () => c.state === "ready");
    replayer.sendRaw(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]));
    replayer.sendRaw(`Event: Huge\r\nX: ${"A".repeat(1024 * 1024)}\r\n\r\n`);
    replayer.sendRaw("no colon here\r\n\r\nResponse: Success\r\nActionID: hearth-999999\r\n\r\n");
    replayer.sendRaw("Event: Truncated\r\nHalf: a");
    replayer.sendRaw("\r\n\r\n");
    await waitFor("malformed input counted", () => c.status().malformed >= 2);
    assert.equal((await c.send("Ping")).response.get("Ping"), "Pong");
    assert.equal(c.state, "ready");
  });

  it("logs off on stop", async () => {
    const c = startClient();
    await waitFor("ready", () => c.state === "ready");
    await c.stop();
    await waitFor("Logoff", () => replayer.actions("Logoff").length === 1);
    assert.equal(c.state, "stopped");
  });
});
