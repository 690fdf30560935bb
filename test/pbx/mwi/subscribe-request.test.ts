import assert from "node:assert/strict";
import sip from "sip";
import { readSubscribe } from "../../../pbx/mwi/subscribe-request.js";
import { checkMessage, isRequest, type SipRequest } from "../../../pbx/sip/sip-message.js";

const LIMITS = { minSec: 60, maxSec: 3600, defaultSec: 3600 };

/** A SUBSCRIBE as the `sip` parser and the endpoint's check leave it. */
function subscribe(...extra: string[]): SipRequest {
  const text = [
    "SUBSCRIBE sip:1001@hearth.test SIP/2.0",
    "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-1",
    "From: <sip:1001@hearth.test>;tag=a",
    "To: <sip:1001@hearth.test>",
    "Call-ID: c1",
    "CSeq: 1 SUBSCRIBE",
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
  const checked = checkMessage(sip.parse(text)!);
  if ("problem" in checked || !isRequest(checked)) throw new Error("the test SUBSCRIBE is broken");
  return checked;
}

const CONTACT = "Contact: <sip:1001@192.0.2.7:5060>";

describe("readSubscribe", () => {
  it("reads event id, expiry, contact and route set", () => {
    const read = readSubscribe(
      subscribe(
        "Event: Message-Summary;id=7",
        "Expires: 600",
        CONTACT,
        "Record-Route: <sip:proxy.lan:5070;lr>",
      ),
      LIMITS,
    );
    assert.equal(read.kind, "ok");
    if (read.kind !== "ok") return;
    assert.equal(read.expiresSec, 600);
    assert.equal(read.eventId, "7");
    assert.equal(read.remoteTarget, "sip:1001@192.0.2.7:5060");
    assert.equal(read.routeSet.length, 1);
  });

  it("takes the compact Event form, one hour by default, and caps long expiries", () => {
    const byDefault = readSubscribe(subscribe("o: message-summary", CONTACT), LIMITS);
    assert.deepEqual(byDefault.kind === "ok" && byDefault.expiresSec, 3600);
    const capped = readSubscribe(
      subscribe("Event: message-summary", "Expires: 99999", CONTACT),
      LIMITS,
    );
    assert.deepEqual(capped.kind === "ok" && capped.expiresSec, 3600);
    const ending = readSubscribe(
      subscribe("Event: message-summary", "Expires: 0", CONTACT),
      LIMITS,
    );
    assert.deepEqual(ending.kind === "ok" && ending.expiresSec, 0);
  });

  it("tells other or missing event packages apart (489)", () => {
    assert.equal(readSubscribe(subscribe("Event: presence", CONTACT), LIMITS).kind, "bad-event");
    assert.equal(readSubscribe(subscribe(CONTACT), LIMITS).kind, "bad-event");
  });

  it("refuses too brief (423) and unreadable requests (400)", () => {
    const ev = "Event: message-summary";
    assert.equal(readSubscribe(subscribe(ev, "Expires: 5", CONTACT), LIMITS).kind, "too-brief");
    assert.deepEqual(readSubscribe(subscribe(ev, "Expires: soon", CONTACT), LIMITS), {
      kind: "bad",
      reason: "Expires is not a number of seconds",
    });
    assert.equal(readSubscribe(subscribe(ev), LIMITS).kind, "bad");
    assert.equal(readSubscribe(subscribe(ev, "Contact: <tel:+15550100>"), LIMITS).kind, "bad");
    assert.equal(
      readSubscribe(subscribe(ev, CONTACT, "Record-Route: <garbage>"), LIMITS).kind,
      "bad",
    );
  });
});
