import assert from "node:assert/strict";
import { AmiMessage } from "../../../pbx/asterisk/ami-message.js";
import { AmiParser } from "../../../pbx/asterisk/ami-parser.js";

/** Framing tests on byte strings shaped like Asterisk's (see test/fixtures/ami/*.ami for sources). */
function collect(limits?: { maxMessageBytes?: number; maxHeaders?: number }) {
  const out = { banners: [] as string[], messages: [] as AmiMessage[], malformed: [] as string[] };
  const parser = new AmiParser(
    {
      onBanner: (t) => out.banners.push(t),
      onMessage: (m) => out.messages.push(m),
      onMalformed: (r) => out.malformed.push(r),
    },
    limits,
  );
  return { parser, out, feed: (s: string | Buffer) => parser.push(Buffer.from(s)) };
}

describe("AMI framing parser", () => {
  it("reads the banner line that has no blank line after it, then messages", () => {
    const { feed, out } = collect();
    feed("Asterisk Call Manager/13.0.0\r\nResponse: Success\r\nActionID: 1\r\n");
    feed("Message: Authentication accepted\r\n\r\n");
    assert.deepEqual(out.banners, ["Asterisk Call Manager/13.0.0"]);
    assert.equal(out.messages.length, 1);
    assert.equal(out.messages[0]?.response, "Success");
    assert.equal(
      out.messages[0]?.get("message"),
      "Authentication accepted",
      "names are case-insensitive",
    );
  });

  it("splits on the first ': ' only and keeps repeated headers in order", () => {
    const { feed, out } = collect();
    feed(
      "Event: CoreShowChannel\r\nChanVariable: CDR(userfield)=note: called back\r\n" +
        "ChanVariable: DIALSTATUS=ANSWER\r\nMessage: Invalid/unknown command: X. Use Action: ListCommands\r\nPath: \r\nEmpty:\r\n\r\n",
    );
    const m = out.messages[0];
    assert.deepEqual(m?.getAll("ChanVariable"), [
      "CDR(userfield)=note: called back",
      "DIALSTATUS=ANSWER",
    ]);
    assert.equal(m?.get("Message"), "Invalid/unknown command: X. Use Action: ListCommands");
    assert.equal(m?.get("Path"), "");
    assert.equal(m?.get("Empty"), "");
  });

  it("tolerates bare LF line ends and messages split at every byte", () => {
    const { feed, out } = collect();
    const text = "Asterisk Call Manager/13.0.0\nEvent: A\nX: 1\n\nEvent: B\r\nY: 2\r\n\r\n";
    for (const byte of Buffer.from(text)) feed(Buffer.from([byte]));
    assert.deepEqual(
      out.messages.map((m) => m.event),
      ["A", "B"],
    );
    assert.equal(out.messages[1]?.get("Y"), "2");
  });

  it("ends a message on Asterisk's 'No Contacts found\\n' (a bare LF before the CRLF)", () => {
    const { feed, out } = collect();
    feed(
      "Response: Error\r\nActionID: 7\r\nMessage: No Contacts found\n\r\n\r\nEvent: Next\r\n\r\n",
    );
    assert.deepEqual(
      out.messages.map((m) => m.response ?? m.event),
      ["Error", "Next"],
    );
  });

  it("drops an oversized line and keeps working after it", () => {
    const { feed, out } = collect({ maxMessageBytes: 64 * 1024 });
    feed("Event: Before\r\n\r\nEvent: Huge\r\nX: ");
    const mb = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < mb.length; i += 65536) feed(mb.subarray(i, i + 65536));
    feed("\r\n\r\nEvent: After\r\n\r\n");
    assert.deepEqual(
      out.messages.map((m) => m.event),
      ["Before", "After"],
    );
    assert.equal(out.malformed.length, 1);
  });

  it("caps the header count", () => {
    const { feed, out } = collect({ maxHeaders: 10 });
    feed(`Event: Many\r\n${"H: v\r\n".repeat(50)}\r\nEvent: Ok\r\n\r\n`);
    assert.deepEqual(
      out.messages.map((m) => m.event),
      ["Ok"],
    );
    assert.match(out.malformed[0] ?? "", /more than 10 headers/);
  });

  it("never throws on garbage, binary, NULs or truncated input", () => {
    const { feed, out, parser } = collect();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const bytes = Buffer.alloc(Math.floor(random() * 2000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      feed(bytes);
    }
    feed("\0\0\0: \r\n:\r\n: x\r\n\xff\xfe\r\n\r\n");
    feed("Response: Succ");
    parser.reset();
    feed("Event: Clean\r\n\r\n");
    assert.equal(out.messages.at(-1)?.event, "Clean");
    assert.ok(out.malformed.length > 0, "garbage was reported");
  });

  it("reads counts only when they are plain numbers", () => {
    const m = new AmiMessage([
      ["NewMessages", "3"],
      ["OldMessages", "-1"],
      ["ListItems", "1e9"],
    ]);
    assert.equal(m.count("NewMessages"), 3);
    assert.equal(m.count("OldMessages"), undefined);
    assert.equal(m.count("ListItems"), undefined);
  });
});
