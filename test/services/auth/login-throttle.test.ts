import assert from "node:assert/strict";
import { LoginThrottle } from "../../../services/auth/login-throttle.js";

describe("LoginThrottle", () => {
  let now = 0;
  const throttle = () => new LoginThrottle({ now: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it("allows 5 wrong passwords, then locks out for a minute, doubling with each further failure", () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(t.check("a"), { isAllowed: true });
      t.fail("a");
    }
    assert.deepEqual(t.check("a"), { isAllowed: false, retryAfterSeconds: 60 });
    now += 60_000;
    assert.deepEqual(t.check("a"), { isAllowed: true });
    t.fail("a");
    assert.deepEqual(t.check("a"), { isAllowed: false, retryAfterSeconds: 120 });
    now += 120_000;
    t.fail("a");
    assert.deepEqual(t.check("a"), { isAllowed: false, retryAfterSeconds: 240 });
  });

  it("caps the lockout at an hour", () => {
    const t = throttle();
    for (let i = 0; i < 30; i++) t.fail("a");
    assert.deepEqual(t.check("a"), { isAllowed: false, retryAfterSeconds: 3600 });
  });

  it("keeps clients apart and forgets one after a correct password", () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) t.fail("a");
    assert.equal(t.check("b").isAllowed, true);
    t.succeed("a");
    assert.equal(t.check("a").isAllowed, true);
  });

  it("reports only the first failure of a window, and starts a new window after 15 quiet minutes", () => {
    const t = throttle();
    assert.equal(t.fail("a"), true);
    assert.equal(t.fail("a"), false);
    now += 15 * 60_000 + 1;
    assert.equal(t.fail("a"), true);
  });

  it("counts a quiet period only from the end of a lockout", () => {
    const t = throttle();
    for (let i = 0; i < 10; i++) t.fail("a"); // locked for 32 min
    now += 40 * 60_000; // lockout over, but only 8 quiet minutes since it ended
    assert.equal(t.check("a").isAllowed, true);
    t.fail("a");
    assert.equal(t.check("a").isAllowed, false);
  });

  it("remembers a bounded number of clients", () => {
    const t = new LoginThrottle({ now: () => now, maxClients: 2, freeAttempts: 1 });
    t.fail("a");
    t.fail("b");
    t.fail("c");
    assert.equal(t.check("a").isAllowed, true);
    assert.equal(t.check("c").isAllowed, false);
  });
});
