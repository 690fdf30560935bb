import { lstat, mkdir, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { HearthError, describeError } from "../../errors.js";

/** socat takes the link as part of its address: these characters would change its meaning. */
const SAFE_LINK = /^\/[A-Za-z0-9_./@+-]+$/;

/**
 * Readies `linkPath` for socat's `link=` option: checks socat can parse it, makes its directory,
 * and removes a stale link left by a socat that was killed outright. A file that is not a
 * symlink is never removed: it is not hearth's.
 */
export async function preparePtyLink(name: string, linkPath: string): Promise<void> {
  if (!SAFE_LINK.test(linkPath))
    throw new HearthError(
      "E_CONFIG",
      `getty bridge for ${name}: unusable pty link path ${linkPath}`,
      {
        fix: "Use an absolute path of letters, digits and _ . / @ + - (socat parses it).",
      },
    );
  await mkdir(dirname(linkPath), { recursive: true }).catch((err: unknown) => {
    throw new HearthError(
      "E_CONFIG",
      `getty bridge for ${name}: cannot create ${dirname(linkPath)}: ${describeError(err)}`,
      {
        fix: "Run hearth from hearth.service, which creates /run/hearth (RuntimeDirectory=hearth).",
        cause: err,
      },
    );
  });
  const stat = await ifExists(lstat(linkPath));
  if (stat === undefined) return;
  if (!stat.isSymbolicLink())
    throw new HearthError(
      "E_CONFIG",
      `getty bridge for ${name}: ${linkPath} exists and is not a pty link`,
      {
        fix: `Remove ${linkPath}; hearth creates the link itself.`,
      },
    );
  await unlink(linkPath);
}

/** Removes the link if it is one (socat removes it itself on SIGTERM, not after SIGKILL). */
export async function removePtyLink(linkPath: string): Promise<void> {
  const stat = await ifExists(lstat(linkPath));
  if (stat?.isSymbolicLink()) await unlink(linkPath);
}

/** The result, or undefined when the path does not exist (yet, or any more); other errors throw. */
export async function ifExists<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
