import assert from "node:assert/strict";
import { AS_KITCHEN, ProxyHarness } from "./proxy-harness.js";
import { RawSipPeer } from "./raw-sip-peer.js";

/** The status line of a response. */
function statusOf(message: string): string {
  return message.split("\r\n", 1)[0]!;
}

describe("CallProxy edges (raw UDP peer)", function () {
  this.timeout(120_000);
  let h: ProxyHarness;
  let peer: RawSipPeer;

  beforeEach(async () => {
    h = new ProxyHarness();
    await h.start();
    peer = new RawSipPeer(h.port);
    await peer.open();
  });
  afterEach(async () => {
    await peer.close();
    await h.stop();
  });

  it("challenges an INVITE without credentials with 407 Proxy-Authenticate", async () => {
    peer.send(peer.request("INVITE", { callId: "noauth" }));
    const answer = await peer.expect(/^SIP\/2\.0 407 /, "a 407");
    assert.match(
      answer,
      /\r\nProxy-Authenticate: Digest realm="hearth\.test",nonce="[^"]+",qop="auth",algorithm=MD5\r\n/,
    );
    assert.deepEqual(h.proxy.calls(), []);
  });

  it("answers 483 to an INVITE with Max-Forwards 0, before asking for credentials", async () => {
    peer.send(peer.request("INVITE", { callId: "hops", extra: ["Max-Forwards: 0"] }));
    assert.equal(
      statusOf(await peer.expect(/^SIP\/2\.0 4/, "an answer")),
      "SIP/2.0 483 Too Many Hops",
    );
  });

  it("answers 482 to an INVITE that already passed through hearth", async () => {
    peer.send(
      peer.request("INVITE", {
        callId: "loop",
        extra: ["Max-Forwards: 68", `Via: SIP/2.0/UDP 127.0.0.1:${h.port};branch=z9hG4bKearlier`],
      }),
    );
    assert.equal(
      statusOf(await peer.expect(/^SIP\/2\.0 4/, "an answer")),
      "SIP/2.0 482 Loop Detected",
    );
  });

  it("refuses in-dialog requests for dialogs it does not know, drops stray ACKs and responses, and keeps serving", async () => {
    const route = `Route: <sip:127.0.0.1:${h.port};lr>`;
    const hostile: [string, string[], RegExp | undefined][] = [
      [
        "BYE",
        peer.request("BYE", {
          callId: "ghost1",
          to: "<sip:1002@127.0.0.1>;tag=nope",
          extra: [route],
        }),
        /^SIP\/2\.0 481 /,
      ],
      ["BYE without a To tag", peer.request("BYE", { callId: "ghost2" }), /^SIP\/2\.0 481 /],
      [
        "re-INVITE",
        peer.request("INVITE", {
          callId: "ghost3",
          to: "<sip:1002@127.0.0.1>;tag=x",
          extra: [route, "Max-Forwards: 70"],
        }),
        /^SIP\/2\.0 481 /,
      ],
      [
        "UPDATE",
        peer.request("UPDATE", { callId: "ghost4", to: "<sip:1002@127.0.0.1>;tag=x" }),
        /^SIP\/2\.0 481 /,
      ],
      [
        "INFO",
        peer.request("INFO", { callId: "ghost5", to: "<sip:1002@127.0.0.1>;tag=x" }),
        /^SIP\/2\.0 481 /,
      ],
      [
        "PRACK",
        peer.request("PRACK", { callId: "ghost6", to: "<sip:1002@127.0.0.1>;tag=x" }),
        /^SIP\/2\.0 481 /,
      ],
      ["CANCEL", peer.request("CANCEL", { callId: "ghost7" }), /^SIP\/2\.0 481 /],
      [
        "BYE with Max-Forwards: abc",
        peer.request("BYE", {
          callId: "ghost8",
          to: "<sip:1002@127.0.0.1>;tag=x",
          extra: ["Max-Forwards: abc"],
        }),
        /^SIP\/2\.0 400 /,
      ],
      [
        "BYE with Route to elsewhere",
        peer.request("BYE", {
          callId: "ghost9",
          to: "<sip:1002@127.0.0.1>;tag=x",
          extra: ["Route: <sip:192.0.2.1;lr>", "Max-Forwards: 70"],
        }),
        /^SIP\/2\.0 481 /,
      ],
      [
        "ACK",
        peer.request("ACK", { callId: "ghost10", to: "<sip:1002@127.0.0.1>;tag=x" }),
        undefined,
      ],
      [
        "ACK with Max-Forwards 0",
        peer.request("ACK", {
          callId: "ghost11",
          to: "<sip:1002@127.0.0.1>;tag=x",
          extra: ["Max-Forwards: 0"],
        }),
        undefined,
      ],
      [
        "a response with no transaction",
        [
          "SIP/2.0 200 OK",
          `Via: SIP/2.0/UDP 127.0.0.1:${h.port};branch=z9hG4bKnobody`,
          "From: <sip:1001@127.0.0.1>;tag=a",
          "To: <sip:1002@127.0.0.1>;tag=b",
          "Call-ID: ghost12",
          "CSeq: 1 INVITE",
        ],
        undefined,
      ],
      [
        "a 180 with no transaction",
        [
          "SIP/2.0 180 Ringing",
          `Via: SIP/2.0/UDP 127.0.0.1:${h.port};branch=z9hG4bK1`,
          "From: <sip:1001@127.0.0.1>;tag=a",
          "To: <sip:1002@127.0.0.1>;tag=b",
          "Call-ID: ghost13",
          "CSeq: 9 INVITE",
        ],
        undefined,
      ],
    ];
    for (const [what, lines, expected] of hostile) {
      const before = peer.received.length;
      peer.send(lines);
      // OPTIONS after each one proves hearth is alive and that anything it answered came first.
      const probe = `alive-${before}`;
      peer.send(peer.request("OPTIONS", { callId: probe, uri: `sip:127.0.0.1:${h.port}` }));
      await peer.expect(
        new RegExp(`^SIP/2\\.0 200 [^]*Call-ID: ${probe}\\r\\n`),
        `OPTIONS answered after ${what}`,
      );
      // Only answers about this message count: an INVITE's 481 is retransmitted until ACKed.
      const callId = lines.find((l) => l.startsWith("Call-ID: "))!;
      const answers = peer.received.slice(before).filter((m) => m.includes(`\r\n${callId}\r\n`));
      if (expected === undefined) assert.deepEqual(answers, [], `${what} is dropped`);
      else {
        assert.equal(answers.length, 1, `${what} gets one answer`);
        assert.match(answers[0]!, expected, what);
      }
    }
    assert.deepEqual(h.proxy.calls(), []);

    // And a real call still goes through afterwards.
    const callee = await h.phone("1002", "call-uas-answer.xml");
    const caller = await h.uac("call-uac.xml", { ...AS_KITCHEN, service: "1002" });
    assert.ok(caller.ok, caller.output);
    assert.ok((await callee.run).ok);
  });
});
