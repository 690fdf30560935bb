import assert from "node:assert/strict";
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

function setup() {
  const events: string[] = [];
  const sessions = new ConsoleSessions({ onEvent: (e) => events.push(e), maxQueuedBytes: 1000 });
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

  it("sends output to everyone and drops a client that stopped reading without stalling the others", () => {
    const { sessions, events } = setup();
    const fast = new TestClient("fast");
    const stuck = new TestClient("stuck");
    sessions.attach(fast, "rw");
    sessions.attach(stuck, "ro");
    sessions.broadcast(Buffer.from("one"));
    stuck.queued = 5000;
    sessions.broadcast(Buffer.from("two"));
    assert.deepEqual(fast.received.map(String), ["one", "two"]);
    assert.deepEqual(stuck.received.map(String), ["one"]);
    assert.match(stuck.closedWith ?? "", /dropped: 5000 bytes unread/);
    assert.equal(sessions.size, 1);
    assert.match(events.at(-1)!, /stuck dropped: stopped reading/);
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
