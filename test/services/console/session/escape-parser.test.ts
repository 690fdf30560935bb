import assert from "node:assert/strict";
import { EscapeParser } from "../../../../services/console/session/escape-parser.js";

const text = (parts: Array<Buffer | string>) =>
  parts.map((p) => (typeof p === "string" ? `<${p}>` : p.toString("latin1")));

describe("EscapeParser", () => {
  it("passes plain bytes through as the same buffer", () => {
    const bytes = Buffer.from("ls -l\r");
    const out = new EscapeParser().feed(bytes);
    assert.equal(out.length, 1);
    assert.equal(out[0], bytes);
  });

  it("turns Ctrl-E c . f s a w ? into commands and keeps the bytes around them", () => {
    const parser = new EscapeParser();
    assert.deepEqual(text(parser.feed(Buffer.from("ab\x05c.cd"))), ["ab", "<detach>", "cd"]);
    assert.deepEqual(text(parser.feed(Buffer.from("\x05cf\x05cs\x05ca\x05cw\x05c?"))), [
      "<force>",
      "<spectate>",
      "<attach>",
      "<who>",
      "<help>",
    ]);
  });

  it("takes the break number after l and reads sequences split across chunks", () => {
    const parser = new EscapeParser();
    assert.deepEqual(text(parser.feed(Buffer.from("x\x05"))), ["x"]);
    assert.deepEqual(text(parser.feed(Buffer.from("c"))), []);
    assert.deepEqual(text(parser.feed(Buffer.from("l"))), []);
    assert.deepEqual(text(parser.feed(Buffer.from("0y"))), ["<break>", "y"]);
  });

  it("gives Ctrl-E followed by anything but c to the board unchanged", () => {
    const parser = new EscapeParser();
    assert.deepEqual(text(parser.feed(Buffer.from("\x05x"))), ["\x05", "x"]);
    assert.deepEqual(text(parser.feed(Buffer.from("\x05\x05cf"))), ["\x05", "<force>"]);
  });

  it("answers an unknown escape letter with the help", () => {
    assert.deepEqual(text(new EscapeParser().feed(Buffer.from("\x05cZ"))), ["<help>"]);
  });
});
