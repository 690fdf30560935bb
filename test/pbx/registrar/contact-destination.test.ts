import assert from "node:assert/strict";
import { contactDestination } from "../../../pbx/registrar/contact-destination.js";
import type { ContactBinding } from "../../../pbx/registrar/contact-binding.js";

function binding(contact: string, source: ContactBinding["source"]): ContactBinding {
  return {
    extension: "1001",
    contact,
    expiresAt: 0,
    callId: "c",
    cseq: 1,
    source,
    registeredAt: 0,
  };
}

describe("contactDestination", () => {
  it("uses the Contact's port when the REGISTER came from the Contact's host over UDP", () => {
    const b = binding("sip:1001@192.0.2.7:5062", {
      protocol: "UDP",
      address: "192.0.2.7",
      port: 40000,
    });
    assert.deepEqual(contactDestination(b), { protocol: "UDP", address: "192.0.2.7", port: 5062 });
    const noPort = binding("sip:1001@192.0.2.7", {
      protocol: "UDP",
      address: "192.0.2.7",
      port: 5060,
    });
    assert.deepEqual(contactDestination(noPort), {
      protocol: "UDP",
      address: "192.0.2.7",
      port: 5060,
    });
  });

  it("answers a phone behind NAT, or on TCP, where its REGISTER came from", () => {
    const natted = { protocol: "UDP", address: "203.0.113.9", port: 34567 } as const;
    assert.deepEqual(contactDestination(binding("sip:1001@192.168.1.10:5060", natted)), natted);
    const tcp = { protocol: "TCP", address: "192.0.2.7", port: 51000 } as const;
    assert.deepEqual(
      contactDestination(binding("sip:1001@192.0.2.7:5060;transport=tcp", tcp)),
      tcp,
    );
  });
});
