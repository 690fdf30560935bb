import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import pino from "pino";
import { SipEndpoint } from "../../../pbx/sip/sip-endpoint.js";
import { freeSipPort, isUdpBound, logged, runSipp } from "../../fixtures/sip/sipp.js";
import { eventually } from "../registrar/registrar-harness.js";

/** Sends one datagram to 127.0.0.1:port and resolves with the first answer (or undefined). */
function exchange(port: number, text: string, waitMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    const timer = setTimeout(() => finish(undefined), waitMs);
    const finish = (answer: string | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    socket.on("message", (data) => finish(data.toString("latin1")));
    socket.bind(0, "127.0.0.1", () => socket.send(text, port, "127.0.0.1"));
  });
}

function request(method: string, cseqMethod = method, branch = "z9hG4bK-t1"): string {
  return [
    `${method} sip:hearth@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5999;branch=${branch}`,
    "From: <sip:probe@127.0.0.1>;tag=a1",
    "To: <sip:hearth@127.0.0.1>",
    `Call-ID: ${branch}@test`,
    `CSeq: 7 ${cseqMethod}`,
    "Max-Forwards: 70",
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
}

describe("SipEndpoint", function () {
  this.timeout(60_000);
  let endpoint: SipEndpoint;
  let port: number;

  beforeEach(async () => {
    port = await freeSipPort();
    endpoint = new SipEndpoint({
      host: "127.0.0.1",
      port,
      transports: ["udp", "tcp"],
      log: pino({ level: "silent" }),
    });
    await endpoint.start();
  });
  afterEach(() => endpoint.stop());

  for (const transport of ["udp", "tcp"] as const) {
    it(`answers OPTIONS 200 with Allow, Accept and Supported over ${transport} (sipp)`, async () => {
      const run = await runSipp("options.xml", { port, transport });
      assert.ok(run.ok, run.output);
      assert.equal(logged(run, "allow"), "OPTIONS");
      assert.equal(logged(run, "accept"), "application/sdp, application/simple-message-summary");
    });
  }

  it("lists the methods that have handlers in Allow", async () => {
    endpoint.onRequest("REGISTER", (rq) => endpoint.reply(rq, 200, "OK"));
    const run = await runSipp("options.xml", { port });
    assert.ok(run.ok, run.output);
    assert.equal(logged(run, "allow"), "OPTIONS, REGISTER");
  });

  it("answers a known method nobody handles with 405 and an unknown one with 501", async () => {
    assert.match(
      (await exchange(port, request("SUBSCRIBE", "SUBSCRIBE", "z9hG4bK-s")))!,
      /^SIP\/2.0 405 Method Not Allowed\r\n[\s\S]*Allow: OPTIONS\r\n/,
    );
    assert.match(
      (await exchange(port, request("FROBNICATE", "FROBNICATE", "z9hG4bK-f")))!,
      /^SIP\/2.0 501 Not Implemented\r\n/,
    );
  });

  it("answers 400 when the CSeq method does not match the request", async () => {
    const answer = await exchange(port, request("OPTIONS", "INVITE"));
    assert.match(
      answer!,
      /^SIP\/2.0 400 Bad Request \(CSeq method differs from the request method\)\r\n/,
    );
  });

  it("answers 500 when a handler throws, and keeps serving", async () => {
    endpoint.onRequest("MESSAGE", () => {
      throw new Error("handler bug");
    });
    assert.match(
      (await exchange(port, request("MESSAGE", "MESSAGE", "z9hG4bK-m")))!,
      /^SIP\/2.0 500 Server Internal Error\r\n/,
    );
    assert.equal(endpoint.problems.counts()["handler-threw"], 1);
    assert.ok((await runSipp("options.xml", { port })).ok);
  });

  it("sends a request in a client transaction and resolves with the phone's answer (sipp UAS)", async () => {
    const phonePort = await freeSipPort();
    const phone = runSipp("uas-options.xml", { port: 0, localPort: phonePort });
    await eventually(() => isUdpBound(phonePort), "the sipp UAS listens");
    const response = await endpoint.send(
      {
        method: "OPTIONS",
        uri: `sip:phone@127.0.0.1:${phonePort}`,
        headers: {
          to: { uri: `sip:phone@127.0.0.1:${phonePort}`, params: {} },
          from: { uri: "sip:hearth@127.0.0.1", params: {} },
        },
      },
      { protocol: "UDP", address: "127.0.0.1", port: phonePort },
    );
    assert.equal(response.status, 200);
    assert.equal(endpoint.cameFromPeer(response), true);
    const run = await phone;
    assert.ok(run.ok, run.output);
  });

  it("tells its own 503 for a TCP dial that failed from a peer's answer", async () => {
    const deadPort = await freeSipPort(); // nothing listens there
    const response = await endpoint.send(
      {
        method: "OPTIONS",
        uri: `sip:phone@127.0.0.1:${deadPort};transport=tcp`,
        headers: {
          to: { uri: `sip:phone@127.0.0.1:${deadPort}`, params: {} },
          from: { uri: "sip:hearth@127.0.0.1", params: {} },
        },
      },
      { protocol: "TCP", address: "127.0.0.1", port: deadPort },
    );
    assert.equal(response.status, 503);
    assert.equal(endpoint.cameFromPeer(response), false);
  });
});
