// The media service's public face: what the host registers. Everything else in media/ is internal.
export { MediaService } from "./media-service.js";
