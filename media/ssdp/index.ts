// SSDP discovery of the MediaServer: node-ssdp's messages on hearth's own per-interface sockets.
export { SsdpAdvertiser, type SsdpAdvertiserOptions, type SsdpStatus } from "./ssdp-advertiser.js";
export {
  chooseInterfaces,
  onSubnet,
  NOT_LAN,
  UnknownInterfaceError,
  type InterfaceChoice,
  type InterfaceQuery,
  type LanAddress,
} from "./lan-interfaces.js";
