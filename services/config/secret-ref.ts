import { readFileSync } from "node:fs";
import { z } from "zod";
import { HearthError } from "../errors.js";
import { absolutePath } from "./absolute-path.js";
import { describeValue } from "./describe-value.js";
import { didYouMean } from "./did-you-mean.js";

declare module "zod" {
  interface GlobalMeta {
    /** Marks the secret-reference schema, so walkers can find every secret in a config. */
    secretRef?: boolean;
  }
}

const HINT = "{ file: /etc/hearth/secrets/<name> } or { env: VARIABLE_NAME }";

/**
 * Where a secret lives: `{ file: /etc/hearth/secrets/gmail }` (its content, trailing newline
 * removed) or `{ env: HEARTH_AMI_SECRET }`. The config file never holds the secret itself, so it
 * can be shown, diffed and backed up. A plain string is refused with a message saying so.
 */
export const secretRef = z
  .union(
    [
      z.strictObject({
        file: absolutePath("/etc/hearth/secrets/<name>").describe(
          "File holding the secret (trailing newline removed); keep it mode 600.",
        ),
      }),
      z.strictObject({
        env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
            error: (issue) => envNameMessage(issue.input),
          })
          .describe("Environment variable holding the secret."),
      }),
    ],
    { error: (issue) => secretRefMessage(issue.input) },
  )
  .meta({ secretRef: true });

/** A reference to a secret, as validated by {@link secretRef}. */
export type SecretRef = z.output<typeof secretRef>;

/** True for the {@link secretRef} schema and its `.describe()`d copies. */
export function isSecretRefSchema(schema: z.core.$ZodType): boolean {
  return z.globalRegistry.get(schema)?.secretRef === true;
}

/**
 * Reads the secret a reference points to. Call it when the secret is needed, not at config load:
 * the daemon resolves secrets only for services that are enabled. The value must never be logged.
 * @throws HearthError E_SECRET naming the file or variable and how to fix it.
 */
export function resolveSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): string {
  if ("env" in ref) {
    const value = env[ref.env];
    const fix = `set ${ref.env} in hearth's environment (\`systemctl edit hearth\`: Environment= or EnvironmentFile=), or use { file: … } instead`;
    if (value === undefined) fail(`environment variable ${ref.env} is not set; ${fix}`, fix);
    if (value === "") fail(`environment variable ${ref.env} is empty; ${fix}`, fix);
    return value;
  }
  let text: string;
  try {
    text = readFileSync(ref.file, "utf8");
  } catch (err) {
    const [problem, fix] = unreadable(ref.file, err);
    fail(`secret file ${ref.file} ${problem}; ${fix}`, fix, err);
  }
  // `echo secret > file` leaves a newline that is not part of the secret.
  const secret = text.replace(/[\r\n]+$/, "");
  if (secret === "") {
    const fix = "write the secret into it on one line";
    fail(`secret file ${ref.file} is empty; ${fix}`, fix);
  }
  return secret;
}

function fail(message: string, fix: string, cause?: unknown): never {
  throw new HearthError("E_SECRET", message, { fix, cause });
}

function unreadable(file: string, err: unknown): [problem: string, fix: string] {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return [
      "does not exist",
      `create it with the secret on one line (chmod 600 ${file}), or correct the path`,
    ];
  }
  if (code === "EACCES" || code === "EPERM") {
    return [
      "cannot be read by this user (permission denied)",
      `make it readable by the user hearth runs as (chown hearth ${file}; chmod 600 ${file})`,
    ];
  }
  if (code === "EISDIR") return ["is a directory", "point file: at the file holding the secret"];
  return [`cannot be read (${code ?? String(err)})`, "check the file and its permissions"];
}

function secretRefMessage(input: unknown): string {
  const expected = `expected a secret reference ${HINT}`;
  if (typeof input === "string" || typeof input === "number") {
    // Never echo the value: it is most likely the secret itself.
    return `${expected}, got a plain ${typeof input}; secrets are never written into the config file: put it in a file only hearth can read, or in an environment variable`;
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return `${expected}, got ${describeValue(input)}`;
  }
  const keys = Object.keys(input);
  if (keys.includes("file") && keys.includes("env")) {
    return `${expected}, got both file and env; keep one`;
  }
  const unknown = keys.find((key) => key !== "file" && key !== "env");
  if (unknown !== undefined) {
    const guess = didYouMean(unknown, ["file", "env"]);
    return `${expected}, got unknown key \`${unknown}\`${guess ? ` (did you mean \`${guess}\`?)` : ""}`;
  }
  const value = (input as Record<string, unknown>)[keys[0] ?? ""];
  if (keys[0] === "env") return envNameMessage(value);
  if (keys[0] === "file") {
    return `expected file to be an absolute path like /etc/hearth/secrets/<name>, got ${describeValue(value)}`;
  }
  return `${expected}, got an empty mapping`;
}

function envNameMessage(value: unknown): string {
  return `expected env to name an environment variable like HEARTH_AMI_SECRET, got ${describeValue(value)}`;
}
