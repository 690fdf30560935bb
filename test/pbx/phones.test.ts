import assert from "node:assert/strict";
import { createSocket, type Socket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import pino from "pino";
import { pbxConfigSchema } from "../../pbx/config-schema.js";
import { phonesPage } from "../../pbx/phones-page.js";
import type { ExtensionStatusView, PhonesStatus } from "../../pbx/phones-status.js";
import { Phones } from "../../pbx/phones.js";
import { formatPhones } from "../../services/cli/pbx-command.js";
import { Catalog } from "../../storage/catalog/catalog.js";
import { type DovecotServer, startDovecot } from "../fixtures/imap/dovecot.js";
import { genuineVoicemail } from "../fixtures/imap/google-voice-mails.js";
import { freeSipPort, runSipp } from "../fixtures/sip/sipp.js";
import { TempCatalogDir } from "../storage/catalog/temp-catalog-dir.js";
import { eventually } from "./registrar/registrar-harness.js";

const HOME = "home.family@gmail.com";
const WORK = "work.family@gmail.com";
const ENV = { HEARTH_SIP_1001: "kitchen-secret", HEARTH_SIP_1002: "office-secret" };

// The phone system put together as the daemon does, with real peers: two Google Voice numbers
// in one Gmail-like dovecot light two different lamps (the home number's notices told apart by
// their To address, the work number's sorted under a label by a Gmail filter); turning the home
// lamp off marks its notices read; a registered phone that does not answer OPTIONS shows so.
describe("Phones (voicemail per Google Voice number, clearing, qualify)", function () {
  this.timeout(120_000);
  const temp = new TempCatalogDir();
  let dir: string;
  let dovecot: DovecotServer;
  let admin: ImapFlow;
  let catalog: Catalog;
  let phones: Phones;
  let silent: Socket;
  let silentPort: number;
  let sipPort: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-phones-"));
    dovecot = await startDovecot({ dir, idleCheckSeconds: 1 });
    admin = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await admin.connect();
    await admin.mailboxCreate("Family");
    await admin.mailboxCreate("GV/Work");
    await admin.append("Family", genuineVoicemail(undefined, HOME));
    await admin.append("Family", genuineVoicemail(undefined, WORK)); // forwarded, also filtered
    await admin.append("GV/Work", genuineVoicemail(undefined, WORK));
    await admin.append("GV/Work", genuineVoicemail(undefined, WORK));

    silent = createSocket("udp4"); // a phone's port that takes datagrams and never answers
    silentPort = await freeSipPort();
    await new Promise<void>((resolve) => silent.bind(silentPort, "127.0.0.1", resolve));

    await temp.create();
    catalog = await Catalog.open({ dir: temp.path() });
    sipPort = await freeSipPort();
    const imap = {
      source: "imap",
      host: dovecot.host,
      port: dovecot.port,
      tls: false,
      user: dovecot.user,
      password: { env: "HEARTH_GMAIL" },
    };
    const config = pbxConfigSchema.parse({
      sip: { port: sipPort, listen: "127.0.0.1", domain: "hearth.test", qualifySeconds: 1 },
      extensions: {
        "1001": { name: "Kitchen", password: { env: "HEARTH_SIP_1001" }, mailbox: "gv-home" },
        "1002": { name: "Office", password: { env: "HEARTH_SIP_1002" }, mailbox: "gv-work" },
      },
      voicemail: {
        "gv-home": { ...imap, mailbox: "Family", to: [HOME], markReadOnClear: true },
        "gv-work": { ...imap, mailbox: "GV/Work" },
      },
    });
    phones = new Phones({
      config,
      catalog: catalog.namespace("pbx"),
      log: pino({ level: process.env.HEARTH_TEST_LOG ?? "silent" }),
      env: { ...ENV, HEARTH_GMAIL: dovecot.password },
    });
    await phones.start();
  });

  after(async () => {
    await phones?.stop();
    await catalog?.close();
    await temp.remove();
    silent?.close();
    await admin?.logout().catch(() => undefined); // the server may already be gone
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const extension = (number: string): ExtensionStatusView => {
    const found = phones.status().extensions.find((e) => e.number === number);
    assert.ok(found, `extension ${number} in the status`);
    return found;
  };
  const counted = (number: string, expected: { new: number; old: number }) => () => {
    const v = extension(number).voicemail;
    return v?.new === expected.new && v.old === expected.old;
  };

  it("lights each number's lamp from its own notices", async () => {
    await eventually(counted("1001", { new: 1, old: 0 }), "1001 counts the home notice", 30_000);
    await eventually(counted("1002", { new: 2, old: 0 }), "1002 counts GV/Work", 30_000);
    assert.equal(extension("1001").lamp, true);
    assert.equal(extension("1002").lamp, true);
    assert.equal(extension("1001").markReadOnClear, true);
    assert.equal(extension("1002").markReadOnClear, undefined);
    assert.equal(phones.status().health.state, "ok");
  });

  it("clears the home lamp by marking its notice read, and leaves the rest alone", async () => {
    await eventually(counted("1001", { new: 1, old: 0 }), "1001 counted", 30_000);
    assert.deepEqual(await phones.lampOff("1001"), {
      kind: "marked-read",
      mailbox: "gv-home",
      marked: 1,
    });
    await eventually(counted("1001", { new: 0, old: 1 }), "the home notice is read");
    assert.equal(extension("1001").lamp, false);
    assert.equal(extension("1001").lampOverride, undefined, "the lamp follows its mailbox again");
    const lock = await admin.getMailboxLock("Family");
    try {
      const unseen = (await admin.search({ seen: false }, { uid: true })) || [];
      assert.equal(unseen.length, 1, "the work number's copy in Family is still unread");
    } finally {
      lock.release();
    }
    // Without markReadOnClear, off forces the lamp and touches no mail.
    assert.deepEqual(await phones.lampOff("1002"), { kind: "forced" });
    assert.equal(extension("1002").lampOverride, "off");
    assert.equal(extension("1002").lamp, false);
    assert.deepEqual(extension("1002").voicemail, { new: 2, old: 0 });
    assert.equal(await phones.lampOff("1999"), undefined);
    phones.setLamp("1002", undefined);

    // The next home voicemail lights the lamp again.
    await admin.append("Family", genuineVoicemail(undefined, HOME));
    await eventually(counted("1001", { new: 1, old: 1 }), "a new home notice");
    assert.equal(extension("1001").lamp, true);
  });

  it("shows a registered phone that does not answer OPTIONS, on the page and in the CLI", async () => {
    const run = await runSipp("mwi-register-contact.xml", {
      port: sipPort,
      service: "1001",
      user: "1001",
      password: ENV.HEARTH_SIP_1001,
      keys: { contact_port: String(silentPort) },
    });
    assert.ok(run.ok, run.output);
    await eventually(
      () => extension("1001").contacts[0]?.reachability?.state === "unreachable",
      "1001's phone is found not answering",
    );
    const status = phones.status();
    assert.equal(status.health.state, "ok", "a silent phone does not degrade the service");
    const page = phonesPage(status);
    assert.match(page, /data-reachability="unreachable"/);
    assert.match(page, /Registered, not answering/);
    assert.match(page, /Clear \(mark notices read\)/);
    assert.match(formatPhones(status), /until \S+, NOT answering OPTIONS \(since \S+\)/);
  });

  it("refuses to clear a lamp while its mailbox is unreachable, and leaves the lamp alone", async () => {
    await eventually(() => extension("1001").lamp, "1001 is lit (a home notice waits)", 30_000);
    await dovecot.kill();
    await eventually(
      () => phones.status().sources.find((s) => s.name === "gv-home")?.health.state === "degraded",
      "gv-home is down",
    );
    await assert.rejects(phones.lampOff("1001"), { code: "E_PEER_DOWN" });
    assert.equal(extension("1001").lamp, true);
    assert.equal(extension("1001").lampOverride, undefined);
  });
});

describe("Phones page and hearth pbx status: reachability", () => {
  const contact = (reachability?: ExtensionStatusView["contacts"][number]["reachability"]) => ({
    contact: "sip:1001@192.168.1.20:5060",
    via: "UDP 192.168.1.20:5060",
    userAgent: "Cisco-CP7940G/8.0",
    expiresAt: "2026-06-04T12:44:00.000Z",
    registeredAt: "2026-06-04T11:44:00.000Z",
    ...(reachability ? { reachability } : {}),
  });
  const status = (contacts: ExtensionStatusView["contacts"]): PhonesStatus => ({
    domain: "home.arpa",
    port: 5060,
    transports: ["udp", "tcp"],
    extensions: [
      {
        number: "1001",
        name: "Kitchen",
        mwi: "unsolicited",
        contacts,
        lamp: false,
        subscribers: 0,
      },
    ],
    sources: [],
    calls: [],
    sipProblems: 0,
    health: { state: "ok" },
  });

  it("shows the round trip of a phone that answers", () => {
    const s = status([
      contact({
        state: "reachable",
        roundTripMs: 12,
        status: 200,
        checkedAt: "2026-06-04T12:00:00.000Z",
      }),
    ]);
    assert.match(
      phonesPage(s),
      /Cisco-CP7940G\/8\.0 at UDP 192\.168\.1\.20:5060, until 12:44 UTC; answers in 12 ms</,
    );
    assert.match(
      phonesPage(s),
      /badge--ok[^<]*<span class="badge-dot" aria-hidden="true"><\/span>Registered</,
    );
    assert.match(
      formatPhones(s),
      /Cisco-CP7940G\/8\.0 at UDP 192\.168\.1\.20:5060, until 2026-06-04T12:44:00\.000Z, answers OPTIONS in 12 ms$/m,
    );
  });

  it("says a phone not asked yet is being checked, and shows nothing when qualify is off", () => {
    assert.match(
      phonesPage(status([contact({ state: "pending" })])),
      /; checking whether it answers</,
    );
    assert.match(formatPhones(status([contact({ state: "pending" })])), /, not asked yet$/m);
    assert.match(phonesPage(status([contact()])), /until 12:44 UTC<\/li>/);
    assert.match(formatPhones(status([contact()])), /until 2026-06-04T12:44:00\.000Z$/m);
  });
});
