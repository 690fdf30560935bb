import sip from "sip";
import type { ContactBinding } from "../registrar/contact-binding.js";
import type { SipRemote } from "../sip/sip-transport.js";

/**
 * Where to send a request to a registered contact. Over TCP: back where the REGISTER came from,
 * on that connection (RFC 3261 §18.1.1 connection reuse; the phone's Contact port is often not
 * listening). Over UDP: the Contact's host and port when the REGISTER came from that host —
 * the phone said where it listens (a Cisco 79xx wants requests at its Contact and ignores rport);
 * from another address the phone is behind NAT and only the source address reaches it
 * (RFC 3581).
 */
export function contactDestination(binding: ContactBinding): SipRemote {
  const { source } = binding;
  if (source.protocol === "TCP") return source;
  const uri = sip.parseUri(binding.contact);
  if (uri === undefined || uri.host !== source.address) return source;
  const transport = typeof uri.params.transport === "string" ? uri.params.transport : "udp";
  if (transport.toLowerCase() !== "udp") return source;
  const port = Number.isInteger(uri.port) && uri.port > 0 && uri.port < 65536 ? uri.port : 5060;
  return { protocol: "UDP", address: source.address, port };
}
