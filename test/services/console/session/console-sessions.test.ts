import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ConsoleSessions,
  type ConsoleClient,
  type SessionRole,
} from "../../../../services/console/session/console-sessions.js";

class TestClient implements ConsoleClient {
  readonly received: Buffer[] = [];
  readonly notices: string[] = [];
  role: SessionRole | undefined;
  queued = 0;
  closedWith: string | undefined;
  constructor(readonly who: string) {}
  send(bytes: Buffer) {
    this.received.push(bytes);
  }
  notice(text: string) {
    this.notices.push(text);
  }
  roleChanged(role: SessionRole) {
    this.role = role;
  }
  queuedBytes() {
    return this.queued;
  }
  close(reason: string) {
    this.closedWith = reason;
  }
}

function setup(options: { stallMs?: number } = {}) {
  const events: string[] = [];
  const sessions = new ConsoleSessions({
    onEvent: (e) => events.push(e),
    maxQueuedBytes: 1000,
    ...options,
  });
  return { sessions, events };
}

describe("ConsoleSessions", () => {
  it("makes the first rw client the writer and later ones spectators", () => {
    const { sessions, events } = setup();
    const alice = new TestClient("alice");
    const bob = new TestClient("bob");
    assert.equal(sessions.attach(alice, "rw"), "writer");
    assert.equal(sessions.attach(bob, "rw"), "spectator");
    assert.equal(sessions.isWriter(alice), true);
    assert.equal(sessions.isWriter(bob), false);
    assert.match(bob.notices.join("\n"), /alice is writing/);
    assert.deepEqual(events, ["alice attached read-write", "bob attached read-only"]);
  });

  it("hands the write lock to the longest-attached client that asked to write when the writer leaves", () => {
    const { sessions } = setup();
    const alice = new TestClient("alice");
    const watcher = new TestClient("watcher");
    const bob = new TestClient("bob");
    sessions.attach(alice, "rw");
    sessions.attach(watcher, "ro");
    sessions.attach(bob, "rw");
    sessions.detach(alice);
    assert.equal(bob.role, "writer");
    assert.equal(watcher.role, "spectator");
    assert.equal(sessions.isWriter(watcher), false);
  });

  it("never makes a read-only client the writer, even when nobody writes", () => {
    const { sessions } = setup();
    const watcher = new TestClient("watcher");
    assert.equal(sessions.attach(watcher, "ro"), "spectator");
    assert.equal(sessions.isWriter(watcher), false);
  });

  it("force-attach demotes the writer and tells it", () => {
    const { sessions, events } = setup();
    const alice = new TestClient("alice");
    const bob = new TestClient("bob");
    sessions.attach(alice, "rw");
    assert.equal(sessions.attach(bob, "force"), "writer");
    assert.equal(alice.role, "spectator");
    assert.match(alice.notices.join("\n"), /bob took over writing/);
    assert.match(events.at(-1)!, /bob attached, forcing alice to watch/);
  });

  it("lets a client change its role over its own connection", () => {
    const { sessions } = setup();
    const alice = new TestClient("alice");
    const bob = new TestClient("bob");
    sessions.attach(alice, "rw");
    sessions.attach(bob, "rw");
    assert.equal(sessions.request(alice, "ro"), "spectator");
    assert.equal(bob.role, "writer", "spectating hands the lock on");
    assert.equal(sessions.request(alice, "force"), "writer");
    assert.equal(bob.role, "spectator");
  });

  it("sends output to everyone, skips a client too far behind and drops it when it reads nothing", async () => {
    const { sessions, events } = setup({ stallMs: 30 });
    const fast = new TestClient("fast");
    const stuck = new TestClient("stuck");
    sessions.attach(fast, "rw");
    sessions.attach(stuck, "ro");
    sessions.broadcast(Buffer.from("one"));
    stuck.queued = 5000;
    sessions.broadcast(Buffer.from("two"));
    assert.deepEqual(fast.received.map(String), ["one", "two"]);
    assert.deepEqual(stuck.received.map(String), ["one"], "nothing more once behind");
    assert.equal(stuck.closedWith, undefined, "not dropped before it had time to read");
    await sleep(150);
    assert.match(stuck.closedWith ?? "", /dropped: 5000 bytes unread/);
    assert.equal(sessions.size, 1);
    assert.match(events.at(-1)!, /stuck dropped: stopped reading/);
  });

  it("keeps a slow client that is still reading, and tells it how much it missed", async () => {
    const { sessions, events } = setup({ stallMs: 200 });
    const slow = new TestClient("slow");
    sessions.attach(slow, "rw");
    slow.queued = 5000;
    sessions.broadcast(Buffer.from("two"));
    await sleep(50);
    slow.queued = 3000; // it read some: the check at 200 ms waits on, the next is at 400 ms
    sessions.broadcast(Buffer.from("three"));
    await sleep(250);
    assert.equal(slow.closedWith, undefined, "a client that reads is not dropped");
    slow.queued = 400; // below half the limit: caught up
    sessions.broadcast(Buffer.from("four"));
    assert.deepEqual(slow.received.map(String), ["four"]);
    assert.match(slow.notices.at(-1)!, /^8 bytes of output skipped/);
    assert.match(events.at(-1)!, /slow fell behind: 8 bytes skipped/);
  });

  it("tells a client that caught up while the port was quiet", async () => {
    const { sessions } = setup({ stallMs: 20 });
    const slow = new TestClient("slow");
    sessions.attach(slow, "rw");
    slow.queued = 5000;
    sessions.broadcast(Buffer.from("missed"));
    slow.queued = 0;
    await sleep(100);
    assert.match(slow.notices.at(-1)!, /^6 bytes of output skipped/);
    sessions.broadcast(Buffer.from("next"));
    assert.deepEqual(slow.received.map(String), ["next"]);
    assert.equal(slow.closedWith, undefined);
  });

  it("hangs up on everyone when closed", () => {
    const { sessions } = setup();
    const a = new TestClient("a");
    sessions.attach(a, "rw");
    sessions.closeAll("hearth is stopping");
    assert.equal(a.closedWith, "hearth is stopping");
    assert.equal(sessions.size, 0);
  });
});
