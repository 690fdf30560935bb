import assert from "node:assert/strict";
import { chooseCut } from "../../../../services/console/log/log-file.js";

describe("chooseCut", () => {
  const lines = Buffer.from("aaaaaaaaa\nbbbbbbbbb\nccccccccc\n"); // three lines of 10 bytes

  it("takes everything that fits", () => {
    assert.deepEqual(chooseCut(lines, 10, 0, false, 100), { count: 30, isRotateAfter: false });
  });

  it("cuts after the last whole line that fits, then rotates", () => {
    assert.deepEqual(chooseCut(lines, 70, 0, false, 95), { count: 20, isRotateAfter: true });
  });

  it("rotates before a line that does not fit a file ending on a line", () => {
    assert.deepEqual(chooseCut(lines, 95, 0, false, 100), { count: 0, isRotateAfter: true });
  });

  it("finishes a line the file holds open, a little past the limit", () => {
    assert.deepEqual(chooseCut(lines, 95, 0, true, 100), { count: 10, isRotateAfter: true });
  });

  it("cuts a line longer than a whole file at the limit", () => {
    const long = Buffer.alloc(300, "x");
    assert.deepEqual(chooseCut(long, 0, 0, false, 100), { count: 100, isRotateAfter: true });
    // A continuation behind a fresh stamp.
    assert.deepEqual(chooseCut(long, 0, 25, true, 100), { count: 75, isRotateAfter: true });
  });

  it("always moves a fresh file forward by at least one byte", () => {
    const long = Buffer.alloc(300, "x");
    assert.deepEqual(chooseCut(long, 0, 25, true, 20), { count: 1, isRotateAfter: true });
  });
});
