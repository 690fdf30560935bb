import { xmlEscape } from "../soap/index.js";

/** Evented variables of one NOTIFY, by name; treated as immutable once built. */
export type EventValues = ReadonlyMap<string, string>;

/** No values: what a subscriber with nothing to deliver holds. */
export const NO_VALUES: EventValues = new Map();

/**
 * The body of a NOTIFY (UDA 1.0 §4.2.1): one `<e:property>` per variable. Variable names come from
 * the service definition (XML names); values pass through xmlEscape once.
 */
export function propertySet(values: EventValues): string {
  let properties = "";
  for (const [name, value] of values) {
    properties += `<e:property><${name}>${xmlEscape(value)}</${name}></e:property>`;
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<e:propertyset xmlns:e="urn:schemas-upnp-org:event-1-0">${properties}</e:propertyset>`
  );
}
