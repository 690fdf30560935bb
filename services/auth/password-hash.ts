import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** A stored password: scrypt parameters, salt and derived key. Never the password itself. */
export interface PasswordHash {
  kdf: "scrypt";
  /** CPU/memory cost; 2^15 with r=8 needs 32 MiB, which even a 1 GB box can spare for one login. */
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

const KEY_BYTES = 32;
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const;

/** Hashes `password` with scrypt and a fresh 16-byte random salt. */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULT_COST);
  return {
    kdf: "scrypt",
    ...DEFAULT_COST,
    salt: salt.toString("base64"),
    hash: key.toString("base64"),
  };
}

/** True when `password` matches `stored`; compares in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, "base64");
  const key = await derive(password, Buffer.from(stored.salt, "base64"), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when `value` has the shape of a PasswordHash (for reading admin.json). */
export function isPasswordHash(value: unknown): value is PasswordHash {
  const v = value as Partial<PasswordHash> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.kdf === "scrypt" &&
    [v.N, v.r, v.p].every((n) => Number.isInteger(n) && (n as number) > 0) &&
    typeof v.salt === "string" &&
    typeof v.hash === "string" &&
    v.hash.length > 0
  );
}

function derive(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  // maxmem must exceed 128*N*r (32 MiB at the default cost); Node's default is exactly 32 MiB.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
