// ConnectionManager:1: what hearth can serve, and its one HTTP-GET connection.
export {
  connectionManager,
  connectionManagerState,
  type ConnectionManagerOptions,
} from "./connection-manager.js";
export { sourceProtocols, SERVED_FORMATS, type ServedFormat } from "./source-protocols.js";
