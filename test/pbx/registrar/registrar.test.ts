import assert from "node:assert/strict";
import type { BindingEvent } from "../../../pbx/registrar/registrar.js";
import { logged } from "../../fixtures/sip/sipp.js";
import { collect } from "../../storage/catalog/temp-catalog-dir.js";
import { eventually, RegistrarHarness } from "./registrar-harness.js";

const KITCHEN = { service: "1001", user: "1001", password: "kitchen-secret" };

/** A WWW-Authenticate value with its nonce blanked, to compare the shape of two challenges. */
function shape(challenge: string | undefined): string {
  assert.ok(challenge, "no WWW-Authenticate logged");
  return challenge.replace(/nonce="[^"]*"/, 'nonce="…"');
}

describe("Registrar (sipp as the phone)", function () {
  this.timeout(90_000);
  let h: RegistrarHarness;

  beforeEach(() => (h = new RegistrarHarness()));
  afterEach(() => h.stop());

  for (const transport of ["udp", "tcp"] as const) {
    it(`runs a REGISTER lifecycle with digest over ${transport}: 401, 200, refresh, list, Expires 0, *`, async () => {
      await h.start();
      const events: BindingEvent[] = [];
      h.registrar!.onBinding((e) => events.push(e));
      const run = await h.sipp("lifecycle.xml", {
        ...KITCHEN,
        transport,
        keys: { contact_user: "desk", expires: "60" },
      });
      assert.ok(run.ok, run.output);
      assert.equal(
        shape(logged(run, "challenge")),
        'Digest realm="hearth.test",nonce="…",qop="auth",algorithm=MD5',
      );
      for (const step of ["registered", "refreshed", "listed", "again"]) {
        assert.match(
          logged(run, step) ?? "",
          new RegExp(
            `^<sip:desk@127\\.0\\.0\\.1:\\d+;transport=${transport.toUpperCase()}>;expires=(60|59)$`,
          ),
          step,
        );
      }
      assert.equal(logged(run, "removed"), "");
      assert.equal(logged(run, "cleared"), "");
      assert.deepEqual(
        events.map((e) => e.kind),
        ["added", "removed", "added", "removed"],
      );
      assert.equal(events[0]!.binding.source.protocol, transport.toUpperCase());
      assert.deepEqual(h.registrar!.contacts("1001"), []);
    });
  }

  it("answers a retransmitted REGISTER (same Call-ID, CSeq and branch) with 200 again, once bound", async () => {
    await h.start();
    const events: BindingEvent[] = [];
    h.registrar!.onBinding((e) => events.push(e));
    const run = await h.sipp("register-retransmitted.xml", {
      ...KITCHEN,
      keys: { contact_user: "desk", expires: "60" },
    });
    assert.ok(run.ok, run.output);
    assert.match(logged(run, "again") ?? "", /<sip:desk@[^>]+>;expires=\d+/);
    assert.deepEqual(
      events.map((e) => e.kind),
      ["added"],
      "the retransmission changes nothing",
    );
  });

  it("keeps several contacts per extension and reports them with their source", async () => {
    await h.start();
    assert.ok((await h.register("1001", "desk", 60)).ok);
    const second = await h.register("1001", "softphone", 120, "tcp");
    assert.ok(second.ok, second.output);
    assert.match(
      logged(second, "contact")!,
      /<sip:desk@[^>]+>;expires=\d+, <sip:softphone@[^>]+>;expires=\d+|<sip:softphone@[^>]+>;expires=\d+, <sip:desk@/,
    );
    const contacts = h.registrar!.contacts("1001");
    assert.deepEqual(contacts.map((c) => c.contact.split("@")[0]).sort(), [
      "sip:desk",
      "sip:softphone",
    ]);
    assert.deepEqual(contacts.map((c) => c.source.protocol).sort(), ["TCP", "UDP"]);
    assert.ok(contacts.every((c) => c.source.address === "127.0.0.1" && c.userAgent === "sipp"));
    const listed = h.registrar!.list();
    assert.deepEqual(
      listed.map((e) => [e.number, e.name, e.contacts.length]),
      [
        ["1001", "Kitchen", 2],
        ["1002", "Office", 0],
      ],
    );
  });

  it("answers a wrong password and an unknown user identically: 401 with the same challenge shape", async () => {
    await h.start({ authFailureLimit: 100 });
    const keys = { contact_user: "desk", expires: "60" };
    const wrong = await h.sipp("register-rejected.xml", {
      service: "1001",
      user: "1001",
      password: "guess",
      keys,
    });
    const unknown = await h.sipp("register-rejected.xml", {
      service: "4711",
      user: "4711",
      password: "guess",
      keys,
    });
    assert.ok(wrong.ok, wrong.output);
    assert.ok(unknown.ok, unknown.output);
    assert.equal(shape(logged(wrong, "second")), shape(logged(unknown, "second")));
    assert.equal(shape(logged(wrong, "second")), shape(logged(wrong, "first")));
    assert.deepEqual(h.registrar!.contacts("1001"), []);
  });

  it("answers 423 with Min-Expires when the asked expiry is too brief", async () => {
    await h.start({ minExpiresSec: 30 });
    const run = await h.sipp("register-too-brief.xml", {
      ...KITCHEN,
      keys: { contact_user: "desk", expires: "10" },
    });
    assert.ok(run.ok, run.output);
    assert.equal(logged(run, "min"), "30");
    assert.deepEqual(h.registrar!.contacts("1001"), []);
  });

  it("cuts an expiry above the maximum down to it", async () => {
    await h.start({ maxExpiresSec: 300 });
    const run = await h.register("1001", "desk", 7200);
    assert.match(logged(run, "contact")!, /;expires=(300|299)$/);
  });

  it("drops a binding when it expires and says so", async () => {
    await h.start({ minExpiresSec: 1 });
    const expired = new Promise<BindingEvent>((resolve) =>
      h.registrar!.onBinding((e) => e.kind === "expired" && resolve(e)),
    );
    assert.ok((await h.register("1001", "desk", 2)).ok);
    assert.equal(h.registrar!.contacts("1001").length, 1);
    const event = await expired;
    assert.equal(event.binding.extension, "1001");
    assert.deepEqual(h.registrar!.contacts("1001"), []);
    await eventually(
      async () => (await collect(h.namespace!.keys({ prefix: "binding/" }))).length === 0,
      "the binding is deleted from the catalog",
    );
  });

  it("answers a correct digest on an expired nonce with stale=true", async () => {
    await h.start({ nonceLifetimeSec: 1 });
    const run = await h.sipp("register-stale.xml", {
      ...KITCHEN,
      keys: { contact_user: "desk", expires: "60" },
    });
    assert.ok(run.ok, run.output);
    assert.equal(logged(run, "stale"), "stale=true");
    assert.deepEqual(h.registrar!.contacts("1001"), []);
  });

  it("throttles an address after repeated failures: 403 without a challenge until the window ends", async () => {
    await h.start({ authFailureLimit: 3, authFailureWindowSec: 4 });
    const keys = { contact_user: "desk", expires: "60" };
    for (let i = 0; i < 3; i++) {
      const run = await h.sipp("register-rejected.xml", {
        service: "1001",
        user: "1001",
        password: `guess${i}`,
        keys,
      });
      assert.ok(run.ok, run.output);
    }
    const blocked = await h.sipp("register-forbidden.xml", { ...KITCHEN, keys });
    assert.ok(blocked.ok, `expected 403 without a challenge:\n${blocked.output}`);
    assert.equal(
      (await h.register("1001", "desk", 60)).ok,
      false,
      "even the right password is refused while blocked",
    );
    await eventually(
      async () => (await h.register("1001", "desk", 60)).ok,
      "the window ends and registration works again",
      30_000,
    );
    assert.equal(h.registrar!.contacts("1001").length, 1);
  });

  it("refuses to let one extension register another's line", async () => {
    await h.start();
    const run = await h.sipp("register.xml", {
      service: "1002",
      user: "1001",
      password: "kitchen-secret",
      keys: { contact_user: "x", expires: "60" },
    });
    assert.equal(run.ok, false);
    assert.deepEqual(h.registrar!.contacts("1002"), []);
  });
});
