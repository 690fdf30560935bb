import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { logged } from "../../fixtures/sip/sipp.js";
import { RegistrarHarness } from "../registrar/registrar-harness.js";
import { hostileGroups } from "./hostile-messages.js";

/** Sends each message as one datagram; resolves with how many the OS accepted. */
async function sendUdp(port: number, messages: readonly Buffer[]): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  let sent = 0;
  for (const message of messages) {
    await new Promise<void>((resolve, reject) =>
      socket.send(message, port, "127.0.0.1", (err) => (err ? reject(err) : (sent++, resolve()))),
    );
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return sent;
}

/** Opens a connection to 127.0.0.1:port; the client keeps its side open after the server's FIN. */
function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * Sends each message on its own connection, half-closes it (FIN after the bytes) and waits for
 * the server to close or a few seconds; resolves with how many were fully written.
 */
async function sendTcp(port: number, messages: readonly Buffer[]): Promise<number> {
  let sent = 0;
  for (const message of messages) {
    const socket = await dial(port);
    socket.on("error", () => undefined); // the server may reset a flood mid-write: that is the point
    socket.resume();
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await new Promise<void>((resolve) => socket.end(message, () => resolve()));
    sent++;
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
    socket.destroy();
  }
  return sent;
}

describe("SIP endpoint and registrar under hostile input", function () {
  this.timeout(180_000);
  const h = new RegistrarHarness();

  // Bad digests count as failures from 127.0.0.1; a high limit keeps the liveness registration
  // (same address) from being throttled by the suite itself. Throttling has its own test.
  before(() => h.start({ authFailureLimit: 10_000 }));
  after(() => h.stop());

  async function assertAlive(transport: "udp" | "tcp", after: string): Promise<void> {
    const options = await h.sipp("options.xml", { transport });
    assert.ok(options.ok, `OPTIONS unanswered after ${after}:\n${options.output}`);
    const register = await h.register("1002", `alive-${transport}`, 60, transport);
    assert.ok(register.ok, `registration failed after ${after}:\n${register.output}`);
    assert.match(logged(register, "contact") ?? "", /alive-/);
  }

  it("has at least 60 malformed messages for each transport", () => {
    const groups = hostileGroups();
    assert.ok(groups.filter((g) => !g.tcpOnly).flatMap((g) => g.messages).length >= 60);
    assert.ok(groups.flatMap((g) => g.messages).length >= 60);
  });

  for (const transport of ["udp", "tcp"] as const) {
    for (const group of hostileGroups()) {
      if (group.tcpOnly && transport === "udp") continue;
      it(`survives ${group.name} over ${transport} and still answers OPTIONS and REGISTER`, async () => {
        const before = h.endpoint!.problems.total();
        const sent =
          transport === "udp"
            ? await sendUdp(h.port, group.messages)
            : await sendTcp(h.port, group.messages);
        assert.equal(sent, group.messages.length, "every message was sent");
        await assertAlive(transport, group.name);
        if (group.name === "random bytes and NULs") {
          assert.ok(h.endpoint!.problems.total() > before, "the garbage was seen and counted");
        }
      });
    }
  }

  it("keeps serving while a TCP peer holds half a message open and another half-closed", async () => {
    const partial =
      "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-half\r\n";
    const hanging = await dial(h.port);
    hanging.on("error", () => undefined);
    hanging.write(partial);
    const halfClosed = await dial(h.port);
    halfClosed.on("error", () => undefined);
    halfClosed.end(partial);
    await assertAlive("tcp", "half-open connections");
    await assertAlive("udp", "half-open connections");
    hanging.destroy();
    halfClosed.destroy();
  });

  it("counted the problems by kind", () => {
    const counts = h.endpoint!.problems.counts();
    assert.ok((counts.malformed ?? 0) > 20, JSON.stringify(counts));
    assert.ok((counts["too-large"] ?? 0) >= 1, JSON.stringify(counts));
  });
});
