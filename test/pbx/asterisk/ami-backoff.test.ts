import assert from "node:assert/strict";
import { reconnectDelayMs } from "../../../pbx/asterisk/ami-backoff.js";

describe("AMI reconnect backoff", () => {
  const policy = { initialMs: 1_000, maxMs: 60_000 };

  it("doubles per attempt up to the cap, with half of each delay jittered", () => {
    assert.equal(
      reconnectDelayMs(policy, 1, () => 0),
      500,
    );
    assert.equal(
      reconnectDelayMs(policy, 1, () => 1),
      1_000,
    );
    assert.equal(
      reconnectDelayMs(policy, 3, () => 1),
      4_000,
    );
    assert.equal(
      reconnectDelayMs(policy, 40, () => 1),
      60_000,
    );
    assert.equal(
      reconnectDelayMs(policy, 40, () => 0),
      30_000,
      "never collapses to zero",
    );
  });

  it("stays within bounds for odd random values and attempts", () => {
    assert.equal(
      reconnectDelayMs(policy, 0, () => 2),
      1_000,
    );
    assert.equal(
      reconnectDelayMs(policy, 2, () => -1),
      1_000,
    );
  });
});
