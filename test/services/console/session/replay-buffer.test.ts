import assert from "node:assert/strict";
import { ReplayBuffer } from "../../../../services/console/session/replay-buffer.js";

/** What a replay must be, from the whole stream: the reference the ring is checked against. */
function expectedReplay(stream: Buffer, capacity: number): Buffer {
  if (stream.length <= capacity) return stream;
  const window = stream.subarray(stream.length - capacity);
  if (stream[stream.length - capacity - 1] === 0x0a) return window;
  const newline = window.indexOf(0x0a);
  return newline === -1 ? window : window.subarray(newline + 1);
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("ReplayBuffer", () => {
  it("replays everything, partial line included, while the whole stream fits", () => {
    const replay = new ReplayBuffer(64);
    replay.append(Buffer.from("U-Boot 2024.01\r\n"));
    replay.append(Buffer.from("Hit any key to stop autoboot:  3"));
    assert.equal(
      replay.snapshot().toString(),
      "U-Boot 2024.01\r\nHit any key to stop autoboot:  3",
    );
  });

  it("cuts the replay to begin just after a newline once the window has slid", () => {
    const replay = new ReplayBuffer(16);
    replay.append(Buffer.from("line one\nline t"));
    replay.append(Buffer.from("wo\nline three\n"));
    assert.equal(replay.snapshot().toString(), "line three\n");
  });

  it("keeps a window that begins exactly on a line start", () => {
    const replay = new ReplayBuffer(11);
    replay.append(Buffer.from("line two\n"));
    replay.append(Buffer.from("line three\n"));
    assert.equal(replay.snapshot().toString(), "line three\n");
    const exact = new ReplayBuffer(11);
    exact.append(Buffer.from("line two\nline three\n")); // one append longer than the ring
    assert.equal(exact.snapshot().toString(), "line three\n");
  });

  it("cuts an append of exactly the capacity when it continues a line", () => {
    const replay = new ReplayBuffer(4);
    replay.append(Buffer.from("ab"));
    replay.append(Buffer.from("cd\ne"));
    assert.equal(replay.snapshot().toString(), "e");
  });

  it("returns the window as it is when it holds no newline", () => {
    const replay = new ReplayBuffer(8);
    replay.append(Buffer.from("start\n"));
    replay.append(Buffer.from("abcdefghijklmnopqrst"));
    assert.equal(replay.snapshot().toString(), "mnopqrst");
  });

  it("stays within its capacity and matches the stream's tail after many appends", () => {
    const capacity = 1024;
    const replay = new ReplayBuffer(capacity);
    const next = random(42);
    const stream: Buffer[] = [];
    for (let i = 0; i < 5000; i++) {
      const chunk = Buffer.alloc(1 + Math.floor(next() * (i % 500 === 0 ? 3000 : 60)));
      for (let j = 0; j < chunk.length; j++)
        chunk[j] = next() < 0.03 ? 0x0a : Math.floor(next() * 256);
      replay.append(chunk);
      stream.push(chunk);
      if (i % 250 === 0) {
        const snapshot = replay.snapshot();
        assert.ok(snapshot.length <= capacity, `snapshot of ${snapshot.length} bytes`);
        assert.deepEqual(snapshot, expectedReplay(Buffer.concat(stream), capacity), `after ${i}`);
      }
    }
    assert.deepEqual(replay.snapshot(), expectedReplay(Buffer.concat(stream), capacity));
  });

  it("hands out a copy that later appends do not change", () => {
    const replay = new ReplayBuffer(8);
    replay.append(Buffer.from("abc\n"));
    const snapshot = replay.snapshot();
    replay.append(Buffer.from("defghijk\n"));
    assert.equal(snapshot.toString(), "abc\n");
  });

  it("forgets everything on clear and starts a new stream", () => {
    const replay = new ReplayBuffer(8);
    replay.append(Buffer.from("0123456789\nab"));
    replay.clear();
    assert.equal(replay.snapshot().length, 0);
    replay.append(Buffer.from("xyz"));
    assert.equal(replay.snapshot().toString(), "xyz");
  });

  it("refuses a capacity below one byte", () => {
    assert.throws(() => new ReplayBuffer(0), RangeError);
  });

  describe("lastLines", () => {
    it("returns the last lines without escape sequences or control characters", () => {
      const replay = new ReplayBuffer();
      replay.append(Buffer.from("\x1b[?1049h\x1b[H\x1b[2Jboot\r\n"));
      replay.append(Buffer.from("[  \x1b[1;32mOK\x1b[0m  ] Started\tsshd.\r\n"));
      replay.append(Buffer.from("\x1b]0;root@vm: ~\x07root@vm:~# \x1b[6n\x00\x07"));
      assert.deepEqual(replay.lastLines(2), ["[  OK  ] Started sshd.", "root@vm:~# "]);
      assert.deepEqual(replay.lastLines(10), ["boot", "[  OK  ] Started sshd.", "root@vm:~# "]);
    });

    it("decodes broken UTF-8 with replacement characters", () => {
      const replay = new ReplayBuffer();
      replay.append(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff, 0xc3, 0x28, 0x0a]));
      assert.deepEqual(replay.lastLines(1), ["café \ufffd\ufffd("]);
    });

    it("shows a progress line the way a terminal would after it redrew itself", () => {
      const replay = new ReplayBuffer();
      replay.append(Buffer.from("Loading  10%\rLoading  55%\rLoading 100%\r\ndone\n"));
      assert.deepEqual(replay.lastLines(2), ["Loading 100%", "done"]);
    });

    it("returns nothing for an empty buffer or a count below one", () => {
      const replay = new ReplayBuffer();
      assert.deepEqual(replay.lastLines(3), []);
      replay.append(Buffer.from("x\n"));
      assert.deepEqual(replay.lastLines(0), []);
    });
  });
});
