import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { extensionsByMailbox } from "../../../pbx/voicemail/index.js";
import { parseMailboxCount } from "../../../pbx/voicemail/parse-mailbox-count.js";

describe("parseMailboxCount", () => {
  for (const [text, expected] of [
    ["3", { new: 3, old: 0 }],
    ["  0\n", { new: 0, old: 0 }],
    ['{"new":3,"old":1}', { new: 3, old: 1 }],
    ['{"new":2}', { new: 2, old: 0 }],
    ['{"old":1,"new":2,"extra":"ignored"}', { new: 2, old: 1 }],
  ] as const) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseMailboxCount(text), expected));
  }

  for (const text of [
    "",
    "three",
    "-1",
    "1.5",
    "1e9",
    "[1]",
    "null",
    '{"new":-1}',
    '{"old":1}',
    '{"new":"3"}',
    "3 4",
  ]) {
    it(`refuses ${JSON.stringify(text)} with a sentence`, () => {
      assert.equal(typeof parseMailboxCount(text), "string");
    });
  }

  it("never throws on random bytes", () => {
    for (let i = 0; i < 1000; i++) parseMailboxCount(randomBytes(i % 64).toString("utf8"));
  });
});

describe("extensionsByMailbox", () => {
  it("groups extensions by the source their lamp follows", () => {
    const map = extensionsByMailbox({
      "1001": { mailbox: "gv" },
      "1002": {},
      "1003": { mailbox: "gv" },
      "1004": { mailbox: "work" },
    });
    assert.deepEqual(
      [...map.entries()],
      [
        ["gv", ["1001", "1003"]],
        ["work", ["1004"]],
      ],
    );
  });
});
