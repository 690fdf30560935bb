import assert from "node:assert/strict";
import { PendingBytes } from "../../../../services/console/log/pending-bytes.js";

describe("PendingBytes", () => {
  it("gives back what was pushed, in order, across block boundaries", () => {
    const pending = new PendingBytes(8);
    const source = Buffer.from("0123456789abcdefghijklmnopqrstuvwxyz");
    for (let i = 0; i < source.length; i += 5) pending.push(source.subarray(i, i + 5));
    assert.equal(pending.sizeBytes, source.length);
    assert.deepEqual(pending.take(), source);
    assert.equal(pending.sizeBytes, 0);
    pending.push(Buffer.from("again"));
    assert.equal(pending.take().toString(), "again");
  });

  it("keeps a copy, so the caller may reuse its buffer", () => {
    const pending = new PendingBytes(8);
    const reused = Buffer.from("first");
    pending.push(reused);
    reused.write("XXXXX");
    assert.equal(pending.take().toString(), "first");
  });

  it("puts failed bytes back in front of newer ones", () => {
    const pending = new PendingBytes(8);
    pending.push(Buffer.from("newer"));
    pending.unshift(Buffer.from("older-"));
    assert.equal(pending.take().toString(), "older-newer");
  });

  it("drops the oldest bytes and keeps what follows a line end", () => {
    const pending = new PendingBytes(1024);
    pending.push(Buffer.from("aaaa\nbbbb\ncccc\ndddd\n"));
    const dropped = pending.dropOldest(12);
    assert.deepEqual(dropped, { droppedBytes: 10, isHeadLineStart: true });
    assert.equal(pending.take().toString(), "cccc\ndddd\n");
  });

  it("drops whole blocks when no line end is near, and says the rest starts mid-line", () => {
    const pending = new PendingBytes(4);
    pending.push(Buffer.from("abcdefghij"));
    const dropped = pending.dropOldest(5);
    assert.deepEqual(dropped, { droppedBytes: 8, isHeadLineStart: false });
    assert.equal(pending.take().toString(), "ij");
  });

  it("drops nothing while under the limit", () => {
    const pending = new PendingBytes(4);
    pending.push(Buffer.from("abc\n"));
    assert.deepEqual(pending.dropOldest(4), { droppedBytes: 0, isHeadLineStart: false });
    assert.equal(pending.take().toString(), "abc\n");
  });
});
