/**
 * Short, user-facing text for a value found in the config, for the "got …" half of a problem
 * (`expected a number like 115200, got "fast"`). Never call it on a resolved secret.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (this option is required)";
  if (value === null) return "an empty value";
  if (typeof value === "string") {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}
