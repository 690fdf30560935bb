import { z } from "zod";
import { childSchema, unionBranches, unwrapSchema } from "./schema-at.js";
import type { SecretRef } from "./secret-ref.js";

/** A secret reference found in a config, and where. */
export interface FoundSecretRef {
  /** Key path, e.g. ["pbx", "extensions", "1001", "password"]. */
  readonly path: readonly (string | number)[];
  readonly ref: SecretRef;
}

/** Every secret reference in `value` (validated by `schema`), in schema order. */
export function findSecretRefs(schema: z.core.$ZodType, value: unknown): FoundSecretRef[] {
  const found: FoundSecretRef[] = [];
  walk(schema, value, [], found);
  return found;
}

function walk(
  schema: z.core.$ZodType,
  value: unknown,
  path: (string | number)[],
  found: FoundSecretRef[],
): void {
  if (value === null || typeof value !== "object") return;
  const { core, isSecretRef } = unwrapSchema(schema);
  if (isSecretRef) {
    found.push({ path, ref: value as SecretRef });
  } else if (core instanceof z.ZodUnion) {
    const branch = unionBranches(core, value).find((b) => z.safeParse(b, value).success);
    if (branch !== undefined) walk(branch, value, path, found);
  } else if (core instanceof z.ZodArray) {
    (value as unknown[]).forEach((item, i) => walk(core.element, item, [...path, i], found));
  } else {
    for (const [key, child] of Object.entries(value)) {
      const childType = childSchema(core, key, value);
      if (childType !== undefined) walk(childType, child, [...path, key], found);
    }
  }
}
