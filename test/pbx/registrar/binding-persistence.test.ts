import assert from "node:assert/strict";
import { BindingStore } from "../../../pbx/registrar/binding-store.js";
import { collect } from "../../storage/catalog/temp-catalog-dir.js";
import { freeSipPort } from "../../fixtures/sip/sipp.js";
import { RegistrarHarness } from "./registrar-harness.js";

describe("Registrar bindings in the catalog", function () {
  this.timeout(90_000);
  let h: RegistrarHarness;

  beforeEach(() => (h = new RegistrarHarness()));
  afterEach(() => h.stop());

  it("brings bindings back after a restart on the same catalog, under binding/<ext>/<hash>", async () => {
    await h.start({ persistSlackSec: 0 });
    assert.ok((await h.register("1001", "desk", 600)).ok);
    assert.ok((await h.register("1002", "office", 600, "tcp")).ok);
    const before = [...h.registrar!.contacts("1001"), ...h.registrar!.contacts("1002")];
    const keys = await collect(h.namespace!.keys({ prefix: "binding/" }));
    assert.deepEqual(
      keys.sort(),
      before.map((b) => BindingStore.key(b.extension, b.contact)).sort(),
    );
    assert.match(keys[0]!, /^binding\/100[12]\/[0-9a-f]{16}$/);

    await h.restart({ persistSlackSec: 0 });
    const after = [...h.registrar!.contacts("1001"), ...h.registrar!.contacts("1002")];
    assert.deepEqual(after, before);
  });

  it("drops bindings that expired while it was stopped, from memory and the catalog", async () => {
    await h.start({ persistSlackSec: 1, minExpiresSec: 1 });
    assert.ok((await h.register("1001", "short", 1)).ok);
    assert.ok((await h.register("1001", "long", 600)).ok);
    await h.stopServer();
    // Past the short binding's expiry plus the slack the restore allows.
    await new Promise((r) => setTimeout(r, 2500));
    await h.restart({ persistSlackSec: 1, minExpiresSec: 1 });
    assert.deepEqual(
      h.registrar!.contacts("1001").map((b) => b.contact.split("@")[0]),
      ["sip:long"],
    );
    assert.equal((await collect(h.namespace!.keys({ prefix: "binding/" }))).length, 1);
  });

  it("does not write the catalog on a refresh within the slack, but does on add and on removal", async () => {
    await h.start({ persistSlackSec: 3600 });
    const run = await h.sipp("lifecycle.xml", {
      service: "1001",
      user: "1001",
      password: "kitchen-secret",
      keys: { contact_user: "desk", expires: "60" },
    });
    assert.ok(run.ok, run.output);
    // register (write), refresh (none), list (none), remove (write), again (write), * (write)
    assert.equal(h.namespace!.writes, 4);

    const refreshes = h.namespace!.writes;
    for (let i = 0; i < 3; i++) assert.ok((await h.register("1001", "desk", 60)).ok);
    // The first adds the binding `*` removed; each later sipp run comes from a new source port,
    // which is a move (a new Call-ID alone would not be written).
    assert.equal(h.namespace!.writes, refreshes + 3);
  });

  it("does not write a refresh that only brings a new Call-ID from the same address", async () => {
    await h.start({ persistSlackSec: 3600 });
    const localPort = await freeSipPort();
    const register = () =>
      h.sipp("register.xml", {
        localPort,
        service: "1001",
        user: "1001",
        password: "kitchen-secret",
        keys: { contact_user: "desk", expires: "60" },
      });
    assert.ok((await register()).ok);
    const afterAdd = h.namespace!.writes;
    for (let i = 0; i < 3; i++) assert.ok((await register()).ok, "each run is a new Call-ID");
    assert.equal(h.namespace!.writes, afterAdd);
  });

  for (const [slackSec, writes] of [
    [1, 2],
    [3600, 1],
  ] as const) {
    it(`${writes === 2 ? "writes" : "does not write"} a refresh 2.5 s later when the slack is ${slackSec} s`, async () => {
      await h.start({ persistSlackSec: slackSec });
      const run = await h.sipp("refresh-later.xml", {
        service: "1001",
        user: "1001",
        password: "kitchen-secret",
        keys: { contact_user: "desk", expires: "60" },
      });
      assert.ok(run.ok, run.output);
      assert.equal(h.namespace!.writes, writes);
      const stored = await h.namespace!.get<{ expiresAt: number }>(
        BindingStore.key("1001", h.registrar!.contacts("1001")[0]!.contact),
      );
      const live = h.registrar!.contacts("1001")[0]!.expiresAt;
      if (writes === 2) assert.equal(stored?.expiresAt, live);
      else
        assert.ok(
          stored !== undefined && stored.expiresAt < live,
          "the stored expiry lags the live one",
        );
    });
  }
});
