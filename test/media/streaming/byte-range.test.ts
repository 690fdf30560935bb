import assert from "node:assert/strict";
import { parseByteRange } from "../../../media/streaming/index.js";

describe("parseByteRange (RFC 9110 single byte ranges)", () => {
  const size = 1000;

  it("reads a-b, a- and the suffix -n, clamping a last position past the end", () => {
    assert.deepEqual(parseByteRange("bytes=0-99", size), { kind: "part", start: 0, end: 99 });
    assert.deepEqual(parseByteRange("bytes=100-", size), { kind: "part", start: 100, end: 999 });
    assert.deepEqual(parseByteRange("bytes=-64", size), { kind: "part", start: 936, end: 999 });
    assert.deepEqual(parseByteRange("bytes=990-5000", size), {
      kind: "part",
      start: 990,
      end: 999,
    });
    assert.deepEqual(parseByteRange("bytes=-5000", size), { kind: "part", start: 0, end: 999 });
    assert.deepEqual(parseByteRange("bytes=999-999", size), { kind: "part", start: 999, end: 999 });
    assert.deepEqual(parseByteRange("Bytes = 1-2 ", size), { kind: "part", start: 1, end: 2 });
  });

  it("finds ranges that start past the end, empty suffixes and any range of an empty file unsatisfiable", () => {
    for (const [header, sizeBytes] of [
      ["bytes=1000-", size],
      ["bytes=1000-1001", size],
      ["bytes=-0", size],
      ["bytes=0-", 0],
      ["bytes=-1", 0],
      [`bytes=${"9".repeat(20)}-`, size],
    ] as const) {
      assert.deepEqual(parseByteRange(header, sizeBytes), { kind: "unsatisfiable" }, header);
    }
  });

  it("ignores what it cannot or will not serve: no header, garbage, other units, several ranges", () => {
    for (const header of [
      undefined,
      "",
      "bytes",
      "bytes=",
      "bytes=-",
      "bytes=abc",
      "bytes=1-2-3",
      "bytes=5-3",
      "bytes=0x10-",
      "bytes=+1-2",
      "bytes=1.5-2",
      "items=0-1",
      "bytes 0-1",
      "bytes=0-1,5-6",
      "bytes=0-1,",
      `bytes=${"1".repeat(21)}-`,
    ]) {
      assert.deepEqual(parseByteRange(header, size), { kind: "whole" }, String(header));
    }
  });
});
