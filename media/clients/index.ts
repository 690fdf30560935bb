// Control points: who talks to the media server, and which quirks each one gets.
export { ClientRegistry, type SeenClient } from "./client-registry.js";
export {
  clientProfiles,
  detectProfile,
  profileById,
  type ClientProfile,
  type ClientQuirks,
} from "./client-profiles.js";
