import assert from "node:assert/strict";
import pino from "pino";
import {
  EventPublisher,
  libraryUpdateValues,
  MAX_CONTAINER_UPDATES,
  MAX_SEQ,
  mergeContainerUpdateIds,
  nextSeq,
  parseCallbacks,
  parseGenaRequest,
  parseTimeout,
  propertySet,
} from "../../../media/eventing/index.js";

describe("GENA parts", () => {
  it("reads TIMEOUT as seconds or infinite, anything else as absent", () => {
    assert.equal(parseTimeout("Second-1800"), 1800);
    assert.equal(parseTimeout("second-0"), 0);
    assert.equal(parseTimeout("Second-infinite"), "infinite");
    assert.equal(parseTimeout("Second-INFINITE"), "infinite");
    assert.equal(parseTimeout("Second--5"), undefined);
    assert.equal(parseTimeout("Second-12345678901"), undefined);
    assert.equal(parseTimeout("1800"), undefined);
    assert.equal(parseTimeout(undefined), undefined);
  });

  it("keeps the http URLs of a CALLBACK in order", () => {
    const urls = parseCallbacks(
      "<http://10.0.0.5:4004/evt/1> <https://10.0.0.5/> <nonsense> <http://[fe80::1]:80/x>, <http://10.0.0.6/>",
    );
    assert.deepEqual(
      urls.map((url) => url.href),
      ["http://10.0.0.5:4004/evt/1", "http://[fe80::1]/x", "http://10.0.0.6/"],
    );
    assert.deepEqual(parseCallbacks("http://10.0.0.5/"), []);
    assert.deepEqual(parseCallbacks(`<http://10.0.0.5/${"a".repeat(3000)}>`), []);
  });

  it("sorts requests into subscribe, renew, unsubscribe and refusals", () => {
    const cb = "<http://10.0.0.5:4004/>";
    assert.deepEqual(
      parseGenaRequest("SUBSCRIBE", { nt: "upnp:event", callback: cb, timeout: "Second-300" }),
      { kind: "subscribe", callbacks: [new URL("http://10.0.0.5:4004/")], timeout: 300 },
    );
    assert.deepEqual(parseGenaRequest("SUBSCRIBE", { sid: " uuid:a ", timeout: "x" }), {
      kind: "renew",
      sid: "uuid:a",
      timeout: undefined,
    });
    assert.deepEqual(parseGenaRequest("UNSUBSCRIBE", { sid: "uuid:a" }), {
      kind: "unsubscribe",
      sid: "uuid:a",
    });
    const status = (method: string, headers: Record<string, string>) => {
      const request = parseGenaRequest(method, headers);
      return request.kind === "refused" ? request.status : request.kind;
    };
    assert.equal(status("SUBSCRIBE", { sid: "uuid:a", callback: cb }), 400);
    assert.equal(status("SUBSCRIBE", { sid: "uuid:a", nt: "upnp:event" }), 400);
    assert.equal(status("UNSUBSCRIBE", { sid: "uuid:a", callback: cb }), 400);
    assert.equal(status("UNSUBSCRIBE", {}), 412);
    assert.equal(status("SUBSCRIBE", { nt: "upnp:event", callback: "" }), 412);
    assert.equal(status("SUBSCRIBE", { nt: "UPNP:EVENT", callback: cb }), 412);
    assert.equal(status("SUBSCRIBE", { sid: `uuid:${"a".repeat(200)}` }), 412);
  });

  it("wraps SEQ from 4294967295 to 1, never back to 0", () => {
    assert.equal(nextSeq(0), 1);
    assert.equal(nextSeq(41), 42);
    assert.equal(nextSeq(MAX_SEQ - 1), MAX_SEQ);
    assert.equal(nextSeq(MAX_SEQ), 1);
  });

  it("escapes values in the property set once", () => {
    assert.equal(
      propertySet(new Map([["A_ARG", `<a & "b">\u0001`]])),
      '<?xml version="1.0" encoding="utf-8"?><e:propertyset xmlns:e="urn:schemas-upnp-org:event-1-0"><e:property><A_ARG>&lt;a &amp; &quot;b&quot;&gt;</A_ARG></e:property></e:propertyset>',
    );
  });

  it("lists changed and removed containers of a library update", () => {
    assert.deepEqual(
      libraryUpdateValues({
        systemUpdateId: 42,
        containers: [
          { id: "1$4", updateId: 42 },
          { id: "0", updateId: 42 },
          { id: "odd,id", updateId: 42 },
        ],
        removedContainers: ["7QK2M0Z4B9XA"],
      }),
      { SystemUpdateID: "42", ContainerUpdateIDs: "1$4,42,0,42,7QK2M0Z4B9XA,42" },
    );
    assert.deepEqual(
      libraryUpdateValues({ systemUpdateId: 3, containers: [], removedContainers: [] }),
      { SystemUpdateID: "3" },
    );
  });

  it("merges ContainerUpdateIDs: each container once, latest value last, capped", () => {
    assert.equal(mergeContainerUpdateIds("a,1,b,1", "a,2,c,2"), "b,1,a,2,c,2");
    assert.equal(mergeContainerUpdateIds("", "a,2"), "a,2");
    assert.equal(mergeContainerUpdateIds("a,2", ""), "a,2");
    const many = Array.from({ length: MAX_CONTAINER_UPDATES + 5 }, (_, i) => `c${i},${i}`);
    const merged = mergeContainerUpdateIds(many.join(","), "");
    assert.equal(merged.split(",").length, MAX_CONTAINER_UPDATES * 2);
    assert.ok(merged.startsWith("c5,5,"));
  });

  it("refuses a change to a variable the service does not event", () => {
    const publisher = new EventPublisher({
      service: "msr",
      log: pino({ level: "silent" }),
      variables: [{ name: "ValidationSucceededUpdateID", initial: () => "0" }],
    });
    assert.throws(
      () => publisher.changed({ SystemUpdateID: "1" }),
      /SystemUpdateID is not evented by msr/,
    );
    publisher.close();
  });
});
