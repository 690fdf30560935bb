// SSDP discovery for the MediaServer (node-ssdp, hardened): who hears about hearth, and where.
export { SsdpAdvertiser, type SsdpAdvertiserOptions, type SsdpStatus } from "./ssdp-advertiser.js";
export {
  lanAddresses,
  onSubnet,
  UnknownInterfaceError,
  type LanAddress,
} from "./lan-interfaces.js";
