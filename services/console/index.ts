export { ConsoleService } from "./console-service.js";
export type { ConsolesStatus } from "./consoles.js";
export type { ConsolePortView } from "./console-port.js";
export type { ConsoleControlMessage, ConsoleControlRequest } from "./transports/ws-attach.js";
export { EscapeParser, ESCAPE_HELP, type EscapeCommand } from "./session/escape-parser.js";
