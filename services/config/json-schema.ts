import { z } from "zod";
import { hearthConfigSchema } from "./hearth-config-schema.js";

/**
 * The config schema as JSON Schema (draft 2020-12, input side: defaults shown, everything
 * optional that may be omitted), for the dashboard's settings form and editor tooling. Secret
 * references carry `"secretRef": true`. Cross-field rules (a mailbox naming a voicemail source)
 * are not expressible there; validateConfig still checks them.
 */
export function hearthConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(hearthConfigSchema, { io: "input", unrepresentable: "any" });
}
