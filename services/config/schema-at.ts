import { z } from "zod";
import { isSecretRefSchema } from "./secret-ref.js";

/** A schema with its optional/default wrappers peeled off, and what those wrappers said. */
export interface UnwrappedSchema {
  /** The schema doing the work: an object, record, array, union, number, string… */
  readonly core: z.core.$ZodType;
  /** The default from a `.default()`/`.prefault()` wrapper, when there is one. */
  readonly defaultValue?: unknown;
  /** True for a secret reference ({ file } or { env }), which walkers treat as one option. */
  readonly isSecretRef: boolean;
}

/** Peels `.optional()`, `.nullable()`, `.default()`, `.prefault()`, `.readonly()` and pipes. */
export function unwrapSchema(schema: z.core.$ZodType): UnwrappedSchema {
  let core = schema;
  let defaultValue: unknown;
  for (;;) {
    if (isSecretRefSchema(core)) return { core, defaultValue, isSecretRef: true };
    if (core instanceof z.ZodDefault || core instanceof z.ZodPrefault) {
      defaultValue ??= core._zod.def.defaultValue;
      core = core._zod.def.innerType;
    } else if (
      core instanceof z.ZodOptional ||
      core instanceof z.ZodNullable ||
      core instanceof z.ZodReadonly ||
      core instanceof z.ZodNonOptional
    ) {
      core = core._zod.def.innerType;
    } else if (core instanceof z.ZodPipe) {
      core = core._zod.def.in;
    } else return { core, defaultValue, isSecretRef: false };
  }
}

/**
 * The schema for `key` inside `schema`, given the value being checked there (used to pick the
 * branch of a discriminated union). Undefined when the schema has no such key.
 */
export function childSchema(
  schema: z.core.$ZodType,
  key: PropertyKey,
  value: unknown,
): z.core.$ZodType | undefined {
  const { core } = unwrapSchema(schema);
  if (core instanceof z.ZodObject) {
    return Object.hasOwn(core.shape, key) ? core.shape[String(key)] : undefined;
  }
  if (core instanceof z.ZodRecord) return core.valueType;
  if (core instanceof z.ZodArray) return core.element;
  if (core instanceof z.ZodUnion) {
    for (const option of unionBranches(core, value)) {
      const child = childSchema(option, key, value);
      if (child !== undefined) return child;
    }
  }
  return undefined;
}

/**
 * The branches of a union that may apply to `value`: for a discriminated union the one whose
 * discriminator matches (all of them when none does), for a plain union all of them.
 */
export function unionBranches(union: z.ZodUnion, value: unknown): z.core.$ZodType[] {
  const options = [...union.options] as z.core.$ZodType[];
  const discriminator = (union._zod.def as { discriminator?: string }).discriminator;
  if (discriminator === undefined || value === null || typeof value !== "object") return options;
  const tag = (value as Record<string, unknown>)[discriminator];
  const matching = options.filter((option) => {
    const field = childSchema(option, discriminator, value);
    return field !== undefined && z.safeParse(field, tag).success;
  });
  return matching.length > 0 ? matching : options;
}

/**
 * The schema that checks the value at `path` of `data` (a parsed, unvalidated config), unwrapped,
 * or undefined when the path leads nowhere in the schema.
 */
export function schemaAt(
  root: z.core.$ZodType,
  path: readonly PropertyKey[],
  data: unknown,
): UnwrappedSchema | undefined {
  let schema: z.core.$ZodType | undefined = root;
  let value = data;
  for (const segment of path) {
    schema = childSchema(schema, segment, value);
    if (schema === undefined) return undefined;
    value = value !== null && typeof value === "object" ? (value as never)[segment] : undefined;
  }
  const found = unwrapSchema(schema);
  // A union whose value picks one branch (by its discriminator) is that branch.
  const branches = found.core instanceof z.ZodUnion ? unionBranches(found.core, value) : [];
  return branches.length === 1 && branches[0] !== undefined ? unwrapSchema(branches[0]) : found;
}
