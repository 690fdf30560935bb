import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { parseAuthenticationResults } from "../../../pbx/voicemail/authentication-results.js";
import { isDkimPassFor } from "../../../pbx/voicemail/dkim-verdict.js";
import { headerValues } from "../../../pbx/voicemail/header-values.js";
import { classifyNotice } from "../../../pbx/voicemail/voicemail-notice.js";
import { GMAIL_PASS, mail } from "../../fixtures/imap/google-voice-mails.js";

const GOOGLE = ["mx.google.com"];

describe("Authentication-Results and the DKIM rule", () => {
  it("parses Gmail's header: authserv-id, results and properties, comments dropped", () => {
    const parsed = parseAuthenticationResults(GMAIL_PASS.replace(/\r\n/g, ""));
    assert.equal(parsed?.authservId, "mx.google.com");
    assert.deepEqual(
      parsed?.results.map((r) => [r.method, r.result]),
      [
        ["dkim", "pass"],
        ["spf", "pass"],
        ["dmarc", "pass"],
      ],
    );
    assert.equal(parsed?.results[0]?.properties["header.i"], "@google.com");
    assert.equal(parsed?.results[1]?.properties["smtp.mailfrom"], "3aBcD@voice.bounces.google.com");
  });

  it("reads a version, spaces around =, quoted values and nested comments", () => {
    const parsed = parseAuthenticationResults(
      'mx.google.com 1; dkim = pass (good (really)) header.d="google.com" reason="a;b"',
    );
    assert.deepEqual(parsed?.results, [
      { method: "dkim", result: "pass", properties: { "header.d": "google.com", reason: "a;b" } },
    ]);
  });

  const verdicts: Array<[string, string[], boolean]> = [
    ["Gmail's genuine header", [GMAIL_PASS], true],
    ["header.d instead of header.i", ["mx.google.com; dkim=pass header.d=google.com"], true],
    ["a signer address in header.i", ["mx.google.com; dkim=pass header.i=voice@google.com"], true],
    ["upper case", ["MX.GOOGLE.COM; DKIM=PASS header.d=GOOGLE.COM"], true],
    [
      "two signatures, one ours",
      ["mx.google.com; dkim=pass header.d=esp.example; dkim=pass header.d=google.com"],
      true,
    ],
    ["no header", [], false],
    ["dkim=fail", ["mx.google.com; dkim=fail header.i=@google.com"], false],
    ["dkim=none", ["mx.google.com; dkim=none"], false],
    [
      "the pass only in a comment",
      ["mx.google.com; dkim=fail (dkim=pass header.d=google.com) header.d=google.com"],
      false,
    ],
    ["a pass for another domain", ["mx.google.com; dkim=pass header.d=evil.example"], false],
    [
      "a pass for a subdomain look-alike",
      ["mx.google.com; dkim=pass header.d=google.com.evil.example"],
      false,
    ],
    ["a pass for a parent look-alike", ["mx.google.com; dkim=pass header.i=@notgoogle.com"], false],
    ["an untrusted authserv-id", ["mx.evil.example; dkim=pass header.d=google.com"], false],
    [
      "a forged pass below the real header",
      ["mx.google.com; dkim=none", "mx.google.com; dkim=pass header.d=google.com"],
      false,
    ],
    ["the pass smuggled in the authserv-id", ["dkim=pass header.d=google.com"], false],
    ["no results", ["mx.google.com; none"], false],
    [
      "a quoted ; inside a value",
      ['mx.google.com; dkim=fail reason="x; dkim=pass header.d=google.com"'],
      false,
    ],
    ["an unclosed comment", ["mx.google.com; dkim=fail (dkim=pass header.d=google.com"], false],
  ];
  for (const [what, headers, expected] of verdicts) {
    it(`${expected ? "trusts" : "refuses"} ${what}`, () => {
      assert.equal(isDkimPassFor(headers, "google.com", GOOGLE), expected);
    });
  }

  it("gets past a stray closing parenthesis (it once looped forever)", () => {
    const parsed = parseAuthenticationResults("mx.google.com; dkim=fail) header.d=google.com )");
    assert.deepEqual(parsed?.results[0], {
      method: "dkim",
      result: "fail",
      properties: { "header.d": "google.com" },
    });
  });

  it("never throws on random bytes, and never finds a pass in them", () => {
    for (let i = 0; i < 2000; i++) {
      const text = randomBytes(1 + (i % 200)).toString("latin1");
      assert.equal(isDkimPassFor([text], "google.com", GOOGLE), false);
      parseAuthenticationResults(`mx.google.com; ${text}`);
    }
  });

  it("reads header fields top first, unfolded, and drops a field cut by the byte limit", () => {
    const block = Buffer.from(
      "Received: x\r\nauthentication-results: a;\r\n dkim=pass\r\nSubject: s\r\nAuthentication-Results : b; dkim=fail\r\n\r\nAuthentication-Results: body; not a header\r\n",
    );
    assert.deepEqual(headerValues(block, "Authentication-Results"), [
      "a; dkim=pass",
      "b; dkim=fail",
    ]);
    const cut = Buffer.from(
      "Authentication-Results: a; dkim=pass\r\nAuthentication-Results: b; dkim=pa",
    );
    assert.deepEqual(headerValues(cut, "authentication-results", true), ["a; dkim=pass"]);
  });

  it("classifies by sender, subject and DKIM together", () => {
    const facts = (
      text: string,
      from = "voice-noreply@google.com",
      subject = "New voicemail from (555) 123-4567 at 3:14 PM",
      to = "family.example@gmail.com",
    ) => ({
      fromAddresses: [from],
      toAddresses: [to],
      subject,
      header: Buffer.from(text),
      isHeaderTruncated: false,
    });
    const rule = { from: "voice-noreply@google.com", trustedAuthservIds: GOOGLE };
    assert.equal(classifyNotice(facts(mail()), rule), "voicemail");
    assert.equal(classifyNotice(facts(mail({ authResults: [] })), rule), "forged");
    assert.equal(classifyNotice(facts(mail(), "Voice-NoReply@Google.com"), rule), "voicemail");
    assert.equal(
      classifyNotice(facts(mail(), "voice-noreply@google.com.evil.example"), rule),
      "other",
    );
    assert.equal(
      classifyNotice(facts(mail(), undefined, "New text message from (555) 123-4567"), rule),
      "other",
    );
    assert.equal(
      classifyNotice(facts(mail(), undefined, "Re: New voicemail from (555)"), rule),
      "other",
    );
    assert.equal(
      classifyNotice(
        {
          fromAddresses: [],
          toAddresses: [],
          subject: undefined,
          header: undefined,
          isHeaderTruncated: false,
        },
        rule,
      ),
      "other",
    );
  });

  it("keeps only one Google Voice number's notices when `to` names its account", () => {
    const facts = (to: string, authResults?: string[]) => ({
      fromAddresses: ["voice-noreply@google.com"],
      toAddresses: [to],
      subject: "New voicemail from (555) 123-4567 at 3:14 PM",
      header: Buffer.from(mail(authResults ? { authResults } : {})),
      isHeaderTruncated: false,
    });
    const home = {
      from: "voice-noreply@google.com",
      trustedAuthservIds: GOOGLE,
      to: ["home.family@gmail.com"],
    };
    assert.equal(classifyNotice(facts("Home.Family@gmail.com"), home), "voicemail");
    assert.equal(classifyNotice(facts("work.family@gmail.com"), home), "other");
    // Another number's forgery is that number's source's business; this one ignores it.
    assert.equal(classifyNotice(facts("work.family@gmail.com", []), home), "other");
    assert.equal(classifyNotice(facts("home.family@gmail.com", []), home), "forged");
  });
});
