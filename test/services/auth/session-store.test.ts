import assert from "node:assert/strict";
import { isCsrfTokenValid, SessionStore } from "../../../services/auth/session-store.js";

describe("SessionStore", () => {
  let now = 0;
  beforeEach(() => {
    now = 1_000_000;
  });

  it("finds a session by its cookie value and refuses anything else", () => {
    const store = new SessionStore({ now: () => now });
    const { id, session } = store.create();
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(store.get(id), session);
    assert.equal(store.get(undefined), undefined);
    assert.equal(store.get("x".repeat(43)), undefined);
    assert.equal(store.get(`${id}=`), undefined);
  });

  it("expires a session unused for the idle timeout, and slides it on use", () => {
    const store = new SessionStore({ now: () => now, idleTimeoutMs: 1000 });
    const { id, session } = store.create();
    now += 900;
    assert.equal(store.get(id), session);
    now += 900;
    assert.equal(store.get(id), session);
    now += 1001;
    assert.equal(store.get(id), undefined);
    assert.equal(session.isRevoked, true);
  });

  it("drops the least recently used session past the limit", () => {
    const store = new SessionStore({ now: () => now, maxSessions: 2 });
    const a = store.create();
    const b = store.create();
    store.get(a.id);
    store.create();
    assert.equal(store.get(b.id), undefined);
    assert.ok(store.get(a.id));
    assert.equal(store.size, 2);
  });

  it("revokes all sessions but one", () => {
    const store = new SessionStore();
    const a = store.create();
    const b = store.create();
    store.revokeAllExcept(a.session);
    assert.ok(store.get(a.id));
    assert.equal(store.get(b.id), undefined);
    assert.equal(b.session.isRevoked, true);
  });

  it("checks the CSRF token exactly", () => {
    const { session } = new SessionStore().create();
    assert.equal(isCsrfTokenValid(session, session.csrfToken), true);
    assert.equal(isCsrfTokenValid(session, session.csrfToken.slice(1)), false);
    assert.equal(isCsrfTokenValid(session, undefined), false);
    assert.equal(isCsrfTokenValid(session, ["a"]), false);
  });
});
