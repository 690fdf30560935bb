// GENA eventing (UDA 1.0 §4) for the MediaServer's services: subscriptions, NOTIFY, routes.
export { EventPublisher } from "./event-publisher.js";
export type {
  EventedVariable,
  EventLog,
  EventPublisherOptions,
  GenaAnswer,
  GenaRefusal,
} from "./event-types.js";
export {
  ContentDirectoryEvents,
  libraryUpdateValues,
  mergeContainerUpdateIds,
  CDS_MODERATION_MS,
  MAX_CONTAINER_UPDATES,
  type ContentDirectoryEventsOptions,
} from "./content-directory-events.js";
export { eventRoutes, eventPath, type EventRoutesOptions } from "./gena-routes.js";
export {
  parseGenaRequest,
  parseTimeout,
  parseCallbacks,
  MAX_CALLBACK_URL_CHARS,
  type GenaRequest,
  type RequestedTimeout,
} from "./gena-request.js";
export { propertySet, type EventValues } from "./property-set.js";
export { nextSeq, MAX_SEQ } from "./subscription-table.js";
export { realTimers, type EventTimers, type TimerHandle } from "./event-timers.js";
