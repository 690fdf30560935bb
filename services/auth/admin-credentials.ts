import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { HearthError } from "../errors.js";
import { atomicWrite } from "./atomic-write.js";
import {
  hashPassword,
  isPasswordHash,
  verifyPassword,
  type PasswordHash,
} from "./password-hash.js";
import { readablePassword } from "./readable-password.js";

/** Shortest password the dashboard accepts as a new admin password. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest accepted; scrypt copes with more, but nobody types it and it bounds the work per try. */
export const MAX_PASSWORD_LENGTH = 1024;

/** What admin.json holds: the hash, and whether it is still the generated first-run password. */
interface AdminFile {
  version: 1;
  passwordHash: PasswordHash;
  isInitial: boolean;
  changedAt: string;
}

export type PasswordChangeResult = "changed" | "too-short" | "too-long";

export interface AdminCredentialsOptions {
  /** hearth's data dir; files live in <dataDir>/host/. */
  dataDir: string;
  log: Logger;
  /** Where the dashboard is reachable, for the first-run log line. */
  dashboardUrl: string;
}

/**
 * The dashboard's single admin password. On first start it generates one, logs it once, keeps
 * only its scrypt hash in <dataDir>/host/admin.json (0600) and the plain text in
 * <dataDir>/host/initial-admin-password (0600) until the admin chooses their own.
 */
export class AdminCredentials {
  readonly file: string;
  readonly initialPasswordFile: string;
  #state: AdminFile;
  /** Verifications run one at a time: each scrypt takes 32 MiB, and a burst must not take 1 GB. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(folder: string, state: AdminFile) {
    this.file = join(folder, "admin.json");
    this.initialPasswordFile = join(folder, "initial-admin-password");
    this.#state = state;
  }

  /** Loads admin.json, creating it (and logging the first-run password) when absent. */
  static async open(options: AdminCredentialsOptions): Promise<AdminCredentials> {
    const folder = join(options.dataDir, "host");
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const existing = await readAdminFile(join(folder, "admin.json"));
    if (existing !== null) {
      const credentials = new AdminCredentials(folder, existing);
      if (existing.isInitial) credentials.#remindOfInitialPassword(options.log);
      return credentials;
    }
    const password = readablePassword();
    const state = await newAdminFile(password, true);
    const credentials = new AdminCredentials(folder, state);
    await credentials.#save();
    await atomicWrite(credentials.initialPasswordFile, `${password}\n`);
    // The one place a password reaches the log, on purpose: a headless box has no other screen.
    // It sits in the message (not a field) because field-level redaction would hide it.
    options.log.warn(
      `first-run admin password for the dashboard at ${options.dashboardUrl} is ${password} — ` +
        `change it after logging in (until then it is also in ${credentials.initialPasswordFile})`,
    );
    return credentials;
  }

  /** True while the generated first-run password is still the admin password. */
  get mustChangePassword(): boolean {
    return this.#state.isInitial;
  }

  /** True when `password` is the admin password. */
  verify(password: string): Promise<boolean> {
    if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) {
      return Promise.resolve(false);
    }
    return this.#serialized(() => verifyPassword(password, this.#state.passwordHash));
  }

  /**
   * Replaces the password and removes the first-run password file. The caller has already checked
   * the current password (through the throttle, see Auth.attempt).
   */
  async setPassword(next: string): Promise<PasswordChangeResult> {
    if (next.length < MIN_PASSWORD_LENGTH) return "too-short";
    if (next.length > MAX_PASSWORD_LENGTH) return "too-long";
    this.#state = await newAdminFile(next, false);
    await this.#save();
    await rm(this.initialPasswordFile, { force: true });
    return "changed";
  }

  #serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    // The queue only orders work; each caller sees its own result or error through `run`.
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #save(): Promise<void> {
    return atomicWrite(this.file, `${JSON.stringify(this.#state, null, 2)}\n`);
  }

  #remindOfInitialPassword(log: Logger): void {
    log.info(
      { file: this.initialPasswordFile },
      "the first-run admin password is still in use; log in to the dashboard and choose your own",
    );
  }
}

async function newAdminFile(password: string, isInitial: boolean): Promise<AdminFile> {
  const hash = await hashPassword(password);
  return { version: 1, passwordHash: hash, isInitial, changedAt: new Date().toISOString() };
}

async function readAdminFile(file: string): Promise<AdminFile | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new HearthError("E_CONFIG", `cannot read ${file}: ${(err as Error).message}`, {
      cause: err,
      fix: `make ${file} readable by the user hearth runs as`,
    });
  }
  const parsed = parseJson(text) as Partial<AdminFile> | undefined;
  if (
    parsed?.version === 1 &&
    isPasswordHash(parsed.passwordHash) &&
    typeof parsed.isInitial === "boolean"
  ) {
    return parsed as AdminFile;
  }
  throw new HearthError("E_CONFIG", `${file} is damaged: it does not hold a password hash`, {
    fix: `move it away (sudo mv ${file} ${file}.bad) and restart hearth; a new first-run password will be printed to the log`,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A damaged file is reported by the caller with the fix; the parse error adds nothing useful.
    return undefined;
  }
}
