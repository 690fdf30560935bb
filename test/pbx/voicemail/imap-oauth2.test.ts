import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import pino from "pino";
import { HearthError } from "../../../services/errors.js";
import {
  createVoicemailSource,
  type MailboxState,
  type VoicemailSource,
} from "../../../pbx/voicemail/index.js";
import { type DovecotServer, startDovecot } from "../../fixtures/imap/dovecot.js";
import { genuineVoicemail } from "../../fixtures/imap/google-voice-mails.js";

const log = pino({ level: "silent" });

async function waitFor(what: string, check: () => boolean, describe: () => unknown) {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}; last seen: ${JSON.stringify(describe())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The token introspection endpoint dovecot's oauth2 passdb asks (RFC 7662 style, GET with the
 * token as Bearer): one token is good at a time, everything else is `{"active": false}`.
 */
class Introspection {
  goodToken = "ya29.first-token";
  readonly asked: string[] = [];
  readonly #server: Server = createServer((request, response) => {
    const token = (request.headers.authorization ?? "").replace(/^Bearer /, "");
    this.asked.push(token);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify(
        token === this.goodToken ? { active: true, username: "voice" } : { active: false },
      ),
    );
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    const address = this.#server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return `http://127.0.0.1:${port}/introspect`;
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

// OAuth2 logins against a real dovecot whose oauth2 passdb checks tokens with a local
// introspection server, as Gmail checks them with Google's. imapflow picks OAUTHBEARER when the
// server offers it and XOAUTH2 otherwise (Gmail offers both); each is tested on its own.
for (const mechanism of ["xoauth2", "oauthbearer"] as const) {
  describe(`imap voicemail source with an OAuth2 access token (${mechanism}, real dovecot)`, function () {
    this.timeout(90_000);
    let dir: string;
    let dovecot: DovecotServer;
    let introspection: Introspection;
    let admin: ImapFlow;
    let folderCount = 0;
    const sources: VoicemailSource[] = [];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), "hearth-imap-oauth-"));
      introspection = new Introspection();
      const introspectionUrl = await introspection.start();
      dovecot = await startDovecot({ dir, oauth2: { introspectionUrl, mechanisms: [mechanism] } });
      admin = new ImapFlow({
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        auth: { user: dovecot.user, pass: dovecot.password },
        logger: false,
      });
      await admin.connect();
    });

    after(async () => {
      await admin?.logout().catch(() => undefined); // the server may already be gone
      await dovecot?.stop();
      await introspection?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    afterEach(async () => {
      for (const source of sources.splice(0)) await source.stop();
    });

    async function folderWithOneNotice(): Promise<string> {
      const folder = `OAuth${++folderCount}`;
      await admin.mailboxCreate(folder);
      await admin.append(folder, genuineVoicemail());
      return folder;
    }

    function source(folder: string, accessToken: () => string): VoicemailSource {
      const created = createVoicemailSource(
        "gv",
        {
          source: "imap",
          host: dovecot.host,
          port: dovecot.port,
          tls: false,
          user: dovecot.user,
          accessToken,
          mailbox: folder,
          from: "voice-noreply@google.com",
          trustedServers: ["mx.google.com"],
          pollMinutes: 5,
          markReadOnClear: false,
        },
        { log, intervalMs: 60 * 60_000, reconnect: { initialMs: 100, maxMs: 1_000 } },
      );
      sources.push(created);
      return created;
    }

    const isCounted = (s: VoicemailSource, expected: MailboxState) =>
      s.state()?.new === expected.new && s.state()?.old === expected.old;

    it("logs in with the access token and counts", async () => {
      const s = source(await folderWithOneNotice(), () => introspection.goodToken);
      await s.start();
      await waitFor(
        "counted",
        () => isCounted(s, { new: 1, old: 0 }),
        () => s.health(),
      );
      assert.equal(s.health().state, "ok");
      assert.equal(s.health().details?.login, "oauth2");
      assert.ok(introspection.asked.includes(introspection.goodToken));
    });

    it("says authentication failed for a token the server refuses, and never counts", async () => {
      const s = source(await folderWithOneNotice(), () => "ya29.expired-token");
      await s.start();
      await waitFor(
        "degraded",
        () => /authentication failed/.test(s.health().reason ?? ""),
        () => s.health(),
      );
      assert.equal(s.health().state, "degraded");
      assert.match(s.health().reason ?? "", /refused the OAuth2 access token/);
      assert.match(s.health().fix ?? "", /expired/);
      assert.equal(s.state(), undefined);
    });

    it("reads the token again at every connection, so a renewed token is picked up", async () => {
      const folder = await folderWithOneNotice();
      introspection.goodToken = "ya29.renewed-token";
      let inFile = "ya29.stale-token"; // what the secret's file holds until it is renewed
      const s = source(folder, () => inFile);
      await s.start();
      await waitFor(
        "refused while stale",
        () => /authentication failed/.test(s.health().reason ?? ""),
        () => s.health(),
      );
      inFile = "ya29.renewed-token";
      await waitFor(
        "counted after renewal",
        () => isCounted(s, { new: 1, old: 0 }),
        () => s.health(),
      );
      assert.equal(s.health().state, "ok");
    });

    it("is degraded with the secret's own fix when the token cannot be read", async () => {
      const s = source(await folderWithOneNotice(), () => {
        throw new HearthError(
          "E_SECRET",
          "secret file /etc/hearth/secrets/gmail-token does not exist",
          {
            fix: "Create it with the token on one line.",
          },
        );
      });
      await s.start();
      await waitFor(
        "degraded",
        () => /could not read the access token/.test(s.health().reason ?? ""),
        () => s.health(),
      );
      assert.match(s.health().reason ?? "", /gmail-token does not exist/);
      assert.equal(s.health().fix, "Create it with the token on one line.");
    });
  });
}
