import assert from "node:assert/strict";
import { ConfigError, parseConfigText } from "../../services/config/index.js";

const FILE = "/etc/hearth/hearth.yaml";

/** The problems a config text has, formatted one per line. */
function problems(text: string): string[] {
  try {
    parseConfigText(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.format().split("\n");
  }
  return [];
}

/** A config with one imap source whose other keys are `keys` (YAML flow-map entries). */
function imapSource(keys: string): string {
  return `pbx:\n  voicemail:\n    gv: { source: imap, host: imap.gmail.com, user: me@gmail.com${keys} }\n`;
}

describe("pbx config", () => {
  it("takes an OAuth2 access token instead of a password for an imap source", () => {
    const { config } = parseConfigText(
      imapSource(", accessToken: { file: /etc/hearth/secrets/gmail-token }"),
      FILE,
    );
    const gv = config.pbx.voicemail.gv;
    assert.equal(gv?.source, "imap");
    if (gv?.source !== "imap") return;
    assert.deepEqual(gv.accessToken, { file: "/etc/hearth/secrets/gmail-token" });
    assert.equal(gv.password, undefined);
    assert.equal(gv.markReadOnClear, false);
    assert.equal(gv.to, undefined);
  });

  it("refuses an imap source with both a password and an access token", () => {
    assert.deepEqual(
      problems(imapSource(", password: { env: GMAIL_PASS }, accessToken: { env: GMAIL_TOKEN }")),
      [
        "/etc/hearth/hearth.yaml:3:111: pbx.voicemail.gv.accessToken: expected password or accessToken, not both: password logs in with an app password, accessToken with OAuth2; remove one",
      ],
    );
  });

  it("refuses an imap source with neither a password nor an access token", () => {
    assert.deepEqual(problems(imapSource("")), [
      "/etc/hearth/hearth.yaml:3:9: pbx.voicemail.gv: expected password (for Gmail an app password) or accessToken (an OAuth2 access token), got neither",
    ]);
  });

  it("checks the addresses of `to`", () => {
    assert.deepEqual(problems(imapSource(", password: { env: P }, to: [home.family]")), [
      '/etc/hearth/hearth.yaml:3:94: pbx.voicemail.gv.to[0]: expected a mail address like "family@gmail.com", got "home.family"',
    ]);
  });

  it("qualifies phones every 60 s unless told otherwise, and 0 turns it off", () => {
    assert.equal(parseConfigText("", FILE).config.pbx.sip.qualifySeconds, 60);
    const off = parseConfigText("pbx:\n  sip: { qualifySeconds: 0 }\n", FILE);
    assert.equal(off.config.pbx.sip.qualifySeconds, 0);
    assert.equal(problems("pbx:\n  sip: { qualifySeconds: -5 }\n").length, 1);
  });
});
