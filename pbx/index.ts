// The phone service's public face: the host starts PbxService; the CLI reads its status API.
export { PbxService } from "./pbx-service.js";
export type { PhonesStatus, ExtensionStatusView, SourceStatusView } from "./phones-status.js";
