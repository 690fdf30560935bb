/**
 * The parsed form of a Search's SearchCriteria (ContentDirectory:1 §2.5.5): what
 * `parseSearchCriteria` returns and `searchPredicate` compiles. Plain data, so tests compare it
 * with `deepEqual` and a request can log it.
 */
export type SearchExpression = LogicalExpression | CompareExpression | ExistsExpression;

/** "a and b and c" is one node with three operands; parentheses make nested nodes. */
export interface LogicalExpression {
  kind: "and" | "or";
  /** Two or more. */
  operands: readonly SearchExpression[];
}

/** `property binOp "value"`; `value` is the quoted text with its escapes undone. */
export interface CompareExpression {
  kind: "compare";
  property: SearchProperty;
  operator: SearchOperator;
  value: string;
}

/** `property exists true|false`. */
export interface ExistsExpression {
  kind: "exists";
  property: SearchProperty;
  /** true for "exists true": the object must have the property. */
  isPresent: boolean;
}

export type RelationalOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";
/** Spelled as the spec spells them, whatever case the client used. */
export type StringOperator = "contains" | "doesNotContain" | "derivedfrom";
export type SearchOperator = RelationalOperator | StringOperator;

/** The properties a SearchCriteria may name, in SearchCapabilities order. */
export const searchProperties = [
  "@id",
  "@parentID",
  "@refID",
  "dc:title",
  "dc:creator",
  "dc:date",
  "upnp:class",
  "upnp:artist",
  "upnp:album",
  "upnp:genre",
  "upnp:albumArtist",
  "upnp:originalTrackNumber",
  "res@size",
  "res@duration",
  "res@protocolInfo",
] as const;

export type SearchProperty = (typeof searchProperties)[number];

/** GetSearchCapabilities' SearchCaps. */
export const SEARCH_CAPABILITIES = searchProperties.join(",");

/**
 * How a property's values compare: ids exactly; text folded (case and accents); the class by its
 * dotted path; dates at the coarser precision; numbers and durations numerically.
 */
export type PropertyKind = "id" | "text" | "class" | "date" | "number" | "duration";

export const propertyKinds: Readonly<Record<SearchProperty, PropertyKind>> = {
  "@id": "id",
  "@parentID": "id",
  "@refID": "id",
  "dc:title": "text",
  "dc:creator": "text",
  "dc:date": "date",
  "upnp:class": "class",
  "upnp:artist": "text",
  "upnp:album": "text",
  "upnp:genre": "text",
  "upnp:albumArtist": "text",
  "upnp:originalTrackNumber": "number",
  "res@size": "number",
  "res@duration": "duration",
  "res@protocolInfo": "text",
};

const PROPERTY_SET: ReadonlySet<string> = new Set(searchProperties);

export function isSearchProperty(name: string): name is SearchProperty {
  return PROPERTY_SET.has(name);
}
