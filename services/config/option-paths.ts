import { z } from "zod";
import { childSchema, unwrapSchema } from "./schema-at.js";

/** Stands for any key of a record (`pbx.extensions.*.name`). */
export const ANY_KEY = "*";
/** Stands for any item of a list (`media.roots.[].path`). */
export const ANY_ITEM = "[]";

/**
 * Every option a schema accepts, as key paths to its leaves: through objects, records (key
 * {@link ANY_KEY}), lists (item {@link ANY_ITEM}) and unions of objects. A branch of a
 * discriminated union adds a segment naming it, `<type=smb>`, so each branch's options are listed
 * on their own (`backup.jobs.*.destinations.[].<type=smb>.password`); see {@link parseBranch}.
 * A secret reference counts as one option. Used to check that etc/hearth.example.yaml documents
 * everything, and for settings forms.
 */
export function optionPaths(schema: z.core.$ZodType): string[][] {
  const paths = new Map<string, string[]>();
  walk(schema, [], paths);
  return [...paths.values()];
}

/** The discriminator key and value of a `<key=value>` branch segment, else undefined. */
export function parseBranch(segment: string): { key: string; value: string } | undefined {
  const match = /^<([^=>]+)=([^>]*)>$/.exec(segment);
  return match ? { key: match[1] ?? "", value: match[2] ?? "" } : undefined;
}

function walk(schema: z.core.$ZodType, path: string[], paths: Map<string, string[]>): void {
  const { core, isSecretRef } = unwrapSchema(schema);
  if (!isSecretRef) {
    if (core instanceof z.ZodObject) {
      for (const [key, child] of Object.entries(core.shape)) walk(child, [...path, key], paths);
      return;
    }
    if (core instanceof z.ZodRecord) return walk(core.valueType, [...path, ANY_KEY], paths);
    if (core instanceof z.ZodArray) return walk(core.element, [...path, ANY_ITEM], paths);
    if (core instanceof z.ZodUnion && core.options.some(isObject)) {
      const discriminator = (core._zod.def as { discriminator?: string }).discriminator;
      for (const option of core.options) {
        const tag = discriminator === undefined ? undefined : tagOf(option, discriminator);
        walk(option, tag === undefined ? path : [...path, `<${discriminator}=${tag}>`], paths);
      }
      return;
    }
  }
  paths.set(path.join("\0"), path);
}

function isObject(schema: z.core.$ZodType): boolean {
  return unwrapSchema(schema).core instanceof z.ZodObject;
}

function tagOf(option: z.core.$ZodType, discriminator: string): string | undefined {
  const field = childSchema(option, discriminator, undefined);
  const core = field === undefined ? undefined : unwrapSchema(field).core;
  return core instanceof z.ZodLiteral ? String([...core.values][0]) : undefined;
}
