import assert from "node:assert/strict";
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import pino from "pino";
import {
  createVoicemailSource,
  isClearable,
  type MailboxState,
  type VoicemailSource,
} from "../../../pbx/voicemail/index.js";
import { type DovecotServer, MAIL_UID, startDovecot } from "../../fixtures/imap/dovecot.js";
import {
  badMails,
  forgedVoicemails,
  genuineVoicemail,
  otherGoogleVoiceMails,
} from "../../fixtures/imap/google-voice-mails.js";

const log = pino({ level: "silent" });
const HOUR_MS = 60 * 60_000;

/** Polls `check` until it returns true; fails with `what` and the last value after the deadline. */
async function waitFor(
  what: string,
  check: () => boolean,
  describe: () => unknown,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}; last seen: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("imap voicemail source (real dovecot)", function () {
  this.timeout(90_000);
  let dir: string;
  let dovecot: DovecotServer;
  let admin: ImapFlow;
  let folderCount = 0;
  const sources: VoicemailSource[] = [];

  const connectAdmin = async () => {
    admin = new ImapFlow({
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    admin.on("error", () => undefined); // the crash test kills the server under it
    await admin.connect();
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-imap-"));
    dovecot = await startDovecot({ dir, idleCheckSeconds: 1 });
    await connectAdmin();
  });

  after(async () => {
    await admin?.logout().catch(() => undefined); // the server may already be gone
    await dovecot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const source of sources.splice(0)) await source.stop();
  });

  /** A fresh folder per test, so tests do not see each other's mail. */
  async function newFolder(): Promise<string> {
    const folder = `Voicemail${++folderCount}`;
    await admin.mailboxCreate(folder);
    return folder;
  }

  function source(
    folder: string,
    extra: { useIdle?: boolean; intervalMs?: number; password?: string; to?: string[] } = {},
  ): VoicemailSource {
    const created = createVoicemailSource(
      "gv",
      {
        source: "imap",
        host: dovecot.host,
        port: dovecot.port,
        tls: false,
        user: dovecot.user,
        password: extra.password ?? dovecot.password,
        mailbox: folder,
        from: "voice-noreply@google.com",
        trustedServers: ["mx.google.com"],
        pollMinutes: 5,
        markReadOnClear: false,
        ...(extra.to ? { to: extra.to } : {}),
      },
      {
        log,
        useIdle: extra.useIdle ?? true,
        intervalMs: extra.intervalMs ?? HOUR_MS,
        reconnect: { initialMs: 100, maxMs: 1_000 },
      },
    );
    sources.push(created);
    return created;
  }

  async function waitForState(s: VoicemailSource, expected: MailboxState, what = "count") {
    await waitFor(
      `${what}: expected ${JSON.stringify(expected)}`,
      () => s.state()?.new === expected.new && s.state()?.old === expected.old,
      () => ({ state: s.state(), health: s.health() }),
    );
  }

  it("counts exactly the unread genuine voicemails among forged, noise and broken mail", async () => {
    const folder = await newFolder();
    const append = (text: string, flags: string[] = []) => admin.append(folder, text, flags);
    for (const make of Object.values(forgedVoicemails)) {
      await append(make());
      await append(make(), ["\\Seen"]); // a read forged notice is not an old voicemail either
    }
    for (const make of Object.values(otherGoogleVoiceMails)) await append(make());
    let expectedNew = 0;
    for (const bad of Object.values(badMails)) {
      await append(bad.text());
      if (bad.counts) expectedNew++;
    }
    await append(genuineVoicemail());
    await append(genuineVoicemail());
    await append(genuineVoicemail(), ["\\Seen"]);
    expectedNew += 2;

    const s = source(folder);
    await s.start();
    await waitForState(s, { new: expectedNew, old: 1 });
    assert.equal(s.health().state, "ok");
  });

  it("follows new mail and a \\Seen set elsewhere through IDLE, without waiting for a poll", async () => {
    const folder = await newFolder();
    const s = source(folder); // recount timer one hour away: only IDLE can bring changes in time
    const seen: MailboxState[] = [];
    s.onChange((state) => seen.push(state));
    await s.start();
    await waitForState(s, { new: 0, old: 0 }, "first count of an empty folder");
    assert.equal(s.health().details?.mode, "idle");

    await admin.append(folder, forgedVoicemails["dkim=fail"]!());
    await admin.append(folder, genuineVoicemail());
    await waitForState(s, { new: 1, old: 0 }, "after a genuine notice arrived");
    await admin.append(folder, genuineVoicemail());
    await waitForState(s, { new: 2, old: 0 }, "after a second genuine notice arrived");

    const lock = await admin.getMailboxLock(folder);
    try {
      const uids = (await admin.search({ subject: "New voicemail" }, { uid: true })) || [];
      // Mark the last genuine one read: its UID is the highest.
      await admin.messageFlagsAdd([Math.max(...uids)], ["\\Seen"], { uid: true });
    } finally {
      lock.release();
    }
    await waitForState(s, { new: 1, old: 1 }, "after one notice was read in another client");
    // The forged notice never lit anything: no state ever counted more than the genuine ones.
    assert.ok(
      seen.every((state) => state.new + state.old <= 2),
      JSON.stringify(seen),
    );
  });

  it("follows the mailbox by polling when IDLE is off", async () => {
    const folder = await newFolder();
    const s = source(folder, { useIdle: false, intervalMs: 300 });
    await s.start();
    await waitForState(s, { new: 0, old: 0 }, "first count");
    assert.equal(s.health().details?.mode, "poll");
    await admin.append(folder, genuineVoicemail());
    await admin.append(folder, forgedVoicemails["dkim=none"]!());
    await waitForState(s, { new: 1, old: 0 }, "after a genuine notice arrived");
    const lock = await admin.getMailboxLock(folder);
    try {
      await admin.messageFlagsAdd("1:*", ["\\Seen"]);
    } finally {
      lock.release();
    }
    await waitForState(s, { new: 0, old: 1 }, "after everything was read elsewhere");
  });

  it("marks only the genuine unread notices read when the lamp is cleared", async () => {
    const folder = await newFolder();
    await admin.append(folder, genuineVoicemail());
    await admin.append(folder, genuineVoicemail());
    await admin.append(folder, forgedVoicemails["no Authentication-Results"]!());
    const s = source(folder);
    await s.start();
    await waitForState(s, { new: 2, old: 0 });
    assert.ok(isClearable(s));
    assert.equal(await s.markRead(), 2);
    await waitForState(s, { new: 0, old: 2 }, "after markRead");
    const lock = await admin.getMailboxLock(folder);
    try {
      const unseen = (await admin.search({ seen: false }, { uid: true })) || [];
      assert.equal(unseen.length, 1, "the forged notice is left unread");
    } finally {
      lock.release();
    }
  });

  it("counts one Google Voice number's notices when `to` names its account", async () => {
    // Two Google Voice numbers, two Google accounts; the work account forwards its mail here, so
    // both numbers' notices land in one folder, told apart by their To address.
    const folder = await newFolder();
    await admin.append(folder, genuineVoicemail(undefined, "home.family@gmail.com"));
    await admin.append(folder, genuineVoicemail(undefined, "work.family@gmail.com"));
    await admin.append(folder, genuineVoicemail(undefined, "work.family@gmail.com"));
    await admin.append(folder, genuineVoicemail(undefined, "work.family@gmail.com"), ["\\Seen"]);
    const home = source(folder, { to: ["Home.Family@gmail.com"] });
    const work = source(folder, { to: ["work.family@gmail.com"] });
    await home.start();
    await work.start();
    await waitForState(home, { new: 1, old: 0 }, "the home number");
    await waitForState(work, { new: 2, old: 1 }, "the work number");
    assert.deepEqual(home.health().details?.to, ["Home.Family@gmail.com"]);

    // Clearing the home lamp marks only the home number's notice read.
    assert.ok(isClearable(home));
    assert.equal(await home.markRead(), 1);
    await waitForState(home, { new: 0, old: 1 }, "home after markRead");
    const lock = await admin.getMailboxLock(folder);
    try {
      assert.equal(((await admin.search({ seen: false }, { uid: true })) || []).length, 2);
    } finally {
      lock.release();
    }
    await admin.append(folder, genuineVoicemail(undefined, "home.family@gmail.com"));
    await waitForState(home, { new: 1, old: 1 }, "home after a new notice");
    await waitForState(work, { new: 2, old: 1 }, "work unchanged");
  });

  it("counts per Gmail label: each label is a folder of its own", async () => {
    // Gmail filters put each number's notices under a label ("GV/Home", "GV/Work"); IMAP shows
    // labels as folders with Gmail's "/" separator.
    await admin.mailboxCreate("GV/Home");
    await admin.mailboxCreate("GV/Work");
    await admin.append("GV/Home", genuineVoicemail());
    await admin.append("GV/Work", genuineVoicemail());
    await admin.append("GV/Work", genuineVoicemail());
    const home = source("GV/Home");
    const work = source("GV/Work");
    await home.start();
    await work.start();
    await waitForState(home, { new: 1, old: 0 }, "GV/Home");
    await waitForState(work, { new: 2, old: 0 }, "GV/Work");
    await admin.append("GV/Home", genuineVoicemail());
    await waitForState(home, { new: 2, old: 0 }, "GV/Home after a new notice");
    assert.deepEqual(work.state(), { new: 2, old: 0 });
  });

  it("reports a wrong password as degraded with a fix, and never counts", async () => {
    const folder = await newFolder();
    const s = source(folder, { password: "wrong" });
    await s.start();
    await waitFor(
      "degraded",
      () => s.health().state === "degraded" && /password/.test(s.health().reason ?? ""),
      () => s.health(),
    );
    assert.match(s.health().fix ?? "", /app password/);
    assert.equal(s.state(), undefined);
    if (isClearable(s)) await assert.rejects(s.markRead(), { code: "E_PEER_DOWN" });
  });

  it("reports a missing folder as degraded", async () => {
    const s = source("NoSuchFolder");
    await s.start();
    await waitFor(
      "degraded",
      () => /NoSuchFolder/.test(s.health().reason ?? ""),
      () => s.health(),
    );
    assert.equal(s.health().state, "degraded");
  });

  it("goes degraded when dovecot dies and recounts from scratch when it is back", async () => {
    const folder = await newFolder();
    await admin.append(folder, genuineVoicemail());
    const s = source(folder);
    await s.start();
    await waitForState(s, { new: 1, old: 0 });

    await dovecot.kill();
    await waitFor(
      "degraded after the kill",
      () => s.health().state === "degraded",
      () => s.health(),
    );
    assert.match(s.health().reason ?? "", /connect/);
    assert.deepEqual(s.state(), { new: 1, old: 0 }, "the last count is kept while down");

    // Two notices arrive while the server is down (delivered straight into the Maildir, as the
    // MDA would): only a full recount after reconnecting can see them.
    for (const [i, text] of [genuineVoicemail(), genuineVoicemail()].entries()) {
      const file = join(dovecot.maildir, `.${folder}`, "new", `${Date.now()}.down${i}.hearth-test`);
      writeFileSync(file, text);
      chownSync(file, MAIL_UID, MAIL_UID);
    }
    await dovecot.restart();
    await connectAdmin();
    await waitForState(s, { new: 3, old: 0 }, "after dovecot came back");
    assert.equal(s.health().state, "ok");
  });
});
